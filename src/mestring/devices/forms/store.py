"""Forms of the device store: catalogue, items, filters, the scanner field, repair
and discarding. Plain forms; the services check the rules and save."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.devices.models import DeviceType, ItemStatus, Owner, Store, StoreRoom
from mestring.devices.services.store import REPAIR_NEXT_STATUSES, label_taken
from mestring.people.models import Unit, UnitKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
MONEY_ERRORS = {
    "invalid": _("Skriv beløpet som et tall, for eksempel 1250 eller 1250,50."),
    "min_value": _("Beløpet kan ikke være negativt."),
    "max_digits": _("Beløpet er for stort."),
    "max_whole_digits": _("Beløpet er for stort."),
    "max_decimal_places": _("Bruk høyst to desimaler."),
}


def _money_field(
    label: StrOrPromise, *, required: bool, help_text: StrOrPromise = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
        error_messages={"required": _("Skriv inn beløpet."), **MONEY_ERRORS},
    )


def _not_future(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(_("Datoen kan ikke være fram i tid."))
    return value


def _room_field(required: bool = False) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Lagerplass"),
        queryset=StoreRoom.objects.select_related("store").order_by("store__name", "name"),
        required=required,
        error_messages={"invalid_choice": _("Velg en lagerplass fra listen.")},
    )
    field.empty_label = _("Ingen lagerplass")
    return field


class DeviceTypeForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=150,
        error_messages={"required": _("Skriv inn navnet på typen.")},
    )
    category = forms.CharField(
        label=_("Kategori"),
        max_length=100,
        help_text=_("For eksempel Forflytning, Hygiene eller Seng og stell."),
        error_messages={"required": _("Skriv inn kategorien.")},
    )
    iso_class = forms.CharField(
        label=_("ISO 9999-klasse"),
        max_length=20,
        required=False,
        help_text=_("Valgfritt, for eksempel 12 06 06."),
    )
    low_stock_threshold = forms.IntegerField(
        label=_("Varsle når færre enn dette er ledige"),
        min_value=0,
        max_value=9999,
        initial=0,
        help_text=_("0 betyr ingen varsling."),
        error_messages={
            "required": _("Skriv inn et tall, 0 for ingen varsling."),
            "invalid": _("Skriv et helt tall."),
            "min_value": _("Tallet kan ikke være negativt."),
            "max_value": _("Tallet er for stort."),
        },
    )
    is_active = forms.BooleanField(label=_("I bruk"), required=False, initial=True)

    def __init__(self, *args: Any, device_type: DeviceType | None = None, **kwargs: Any) -> None:
        if device_type is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": device_type.name,
                    "category": device_type.category,
                    "iso_class": device_type.iso_class,
                    "low_stock_threshold": device_type.low_stock_threshold,
                    "is_active": device_type.is_active,
                },
            )
        super().__init__(*args, **kwargs)


class StoreForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=150,
        error_messages={"required": _("Skriv inn navnet på lageret.")},
    )
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    unit = forms.ModelChoiceField(
        label=_("Enhet som driver lageret"),
        help_text=_(
            "Tjenester som tildeles enheten, blir bestillinger på lagerets liste, og "
            "enheten ser personer med åpne bestillinger og utlån."
        ),
        queryset=Unit.objects.filter(is_active=True, kind=UnitKind.INTERNAL).order_by("name"),
        required=False,
        empty_label=_("Ingen enhet"),
    )
    is_active = forms.BooleanField(label=_("I bruk"), required=False, initial=True)

    def __init__(self, *args: Any, store: Store | None = None, **kwargs: Any) -> None:
        if store is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": store.name,
                    "address": store.address,
                    "unit": store.unit_id,
                    "is_active": store.is_active,
                },
            )
        super().__init__(*args, **kwargs)


class RoomForm(forms.Form):
    name = forms.CharField(
        label=_("Nytt rom"),
        max_length=100,
        help_text=_("For eksempel Hovedlager, Kjeller eller Rom 12."),
        error_messages={"required": _("Skriv inn navnet på rommet.")},
    )


class ItemCreateForm(forms.Form):
    device_type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=DeviceType.objects.filter(is_active=True).order_by("category", "name"),
        error_messages={
            "required": _("Velg type hjelpemiddel."),
            "invalid_choice": _("Velg en type fra listen."),
        },
    )
    label = forms.CharField(
        label=_("Strekkode / merkelapp"),
        max_length=60,
        help_text=_("Skann strekkoden eller skriv det som står på merkelappen."),
        error_messages={"required": _("Skann eller skriv inn merkelappen.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    serial_number = forms.CharField(label=_("Serienummer"), max_length=100, required=False)
    room = _room_field()
    value_nok = _money_field(_("Verdi (kr)"), required=False)
    owner = forms.ChoiceField(
        label=_("Eier"),
        choices=Owner.choices,
        initial=Owner.MUNICIPALITY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg eier."),
            "invalid_choice": _("Velg kommunen eller NAV som eier."),
        },
    )
    acquired_on = forms.DateField(
        label=_("Anskaffet"),
        required=False,
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages=DATE_ERRORS,
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "device_type").empty_label = _("Velg type")

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(_("Skann eller skriv inn merkelappen."))
        if label_taken(label):
            raise forms.ValidationError(
                _("Merkelappen «%(label)s» er allerede brukt på et annet hjelpemiddel.")
                % {"label": label}
            )
        return label

    def clean_acquired_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("acquired_on"))


class ItemEditForm(forms.Form):
    room = _room_field()
    value_nok = _money_field(_("Verdi (kr)"), required=False)
    note = forms.CharField(
        label=_("Merknad"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


STATUS_FILTER_CHOICES = [("", _("Alle statuser")), *ItemStatus.choices]


class ItemFilterForm(forms.Form):
    """The search and filters of the item list (GET). Junk values are ignored."""

    q = forms.CharField(label=_("Søk på merkelapp eller serienummer"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER_CHOICES, required=False)
    type = forms.ModelChoiceField(
        label=_("Type"),
        queryset=DeviceType.objects.order_by("category", "name"),
        required=False,
    )
    lager = forms.ModelChoiceField(
        label=_("Lager"), queryset=Store.objects.order_by("name"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "type").empty_label = _("Alle typer")
        model_choice_field(self, "lager").empty_label = _("Alle lagre")

    def filters(self) -> dict[str, Any]:
        """The valid filters; a filter with a bad value counts as not chosen."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "text": (data.get("q") or "").strip()[:100],
            "status": data.get("status") or "",
            "device_type": data.get("type"),
            "store": data.get("lager"),
        }


class RepairOpenForm(forms.Form):
    description = forms.CharField(
        label=_("Hva er galt"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv hva som er galt med hjelpemiddelet.")},
    )
    repairer = forms.CharField(
        label=_("Reparatør"),
        max_length=150,
        required=False,
        help_text=_("Hvem som reparerer, for eksempel leverandøren eller eget verksted."),
    )
    opened_on = forms.DateField(
        label=_("Sendt til reparasjon"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn datoen."), **DATE_ERRORS},
    )

    def clean_opened_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("opened_on"))


NEXT_STATUS_CHOICES = [
    (ItemStatus.CLEANING.value, _("Til rengjøring")),
    (ItemStatus.AVAILABLE.value, _("Ledig (rengjort)")),
]
assert {value for value, _label in NEXT_STATUS_CHOICES} == set(REPAIR_NEXT_STATUSES)


class RepairCloseForm(forms.Form):
    cost_nok = _money_field(_("Kostnad (kr)"), required=False, help_text=_("Tomt hvis ukjent."))
    closed_on = forms.DateField(
        label=_("Ferdig"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn datoen reparasjonen ble ferdig."), **DATE_ERRORS},
    )
    to_status = forms.ChoiceField(
        label=_("Hva skjer med hjelpemiddelet nå"),
        choices=NEXT_STATUS_CHOICES,
        initial=ItemStatus.CLEANING.value,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg om hjelpemiddelet skal til rengjøring eller er ledig."),
            "invalid_choice": _("Velg om hjelpemiddelet skal til rengjøring eller er ledig."),
        },
    )

    def clean_closed_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("closed_on"))


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor kasseres hjelpemiddelet"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv hvorfor hjelpemiddelet kasseres.")},
    )


class ScanForm(forms.Form):
    """The scanner field of the cleaning queue."""

    label = forms.CharField(
        label=_("Skann merkelappen på et rengjort hjelpemiddel"),
        max_length=60,
        help_text=_("Skanneren skriver merkelappen og trykker Enter."),
        error_messages={"required": _("Skann eller skriv merkelappen på hjelpemiddelet.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
