"""Forms for loans, deliveries, returns, NAV applications and inquiries."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.casework.models import Decision
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.devices.models import (
    NAV_TRANSITIONS,
    DeviceType,
    InquiryTopic,
    NavApplication,
    NavApplicationStatus,
    ReturnCondition,
    Store,
)
from mestring.devices.selectors.loans import decisions_for, measures_for
from mestring.people.models import Person
from mestring.plans.models import Measure

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def today_text() -> str:
    """Today as the user writes it (a DateInput is a text field: no formatting)."""
    return timezone.localdate().strftime("%d.%m.%Y")


DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}


def date_field(
    label: StrOrPromise, *, required: bool = True, missing: StrOrPromise = "", **kwargs: Any
) -> forms.DateField:
    errors: dict[str, StrOrPromise] = dict(DATE_ERRORS)
    if missing:
        errors["required"] = missing
    return forms.DateField(
        label=label,
        widget=DateInput(),
        help_text=kwargs.pop("help_text", DATE_HELP),
        required=required,
        error_messages=errors,
        **kwargs,
    )


def label_field(**kwargs: Any) -> forms.CharField:
    """The field a barcode scanner types into (it ends with Enter, which submits)."""
    return forms.CharField(
        label=kwargs.pop("label", _("Merkelapp (strekkode)")),
        max_length=60,
        help_text=kwargs.pop(
            "help_text", _("Skann strekkoden på hjelpemiddelet, eller skriv merkelappen.")
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
        error_messages={"required": _("Skann eller skriv merkelappen på hjelpemiddelet.")},
        **kwargs,
    )


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.get_subject_display()} – {obj.decided_on:%d.%m.%Y}"


ORDER_FIELDS = ["decision", "measure", "ordered_on", "expected_return_on"]


class _OrderForm(forms.Form):
    """What every order of a device for a person asks: where it comes from (a decision
    or a measure, not both) and its dates."""

    decision = DecisionChoice(
        label=_("Vedtak"),
        help_text=_("Vedtaket utlånet bygger på, hvis det finnes et."),
        queryset=Decision.objects.none(),
        required=False,
    )
    measure = forms.ModelChoiceField(
        label=_("Tiltak i planen"),
        help_text=_("Tiltaket i personens individuelle plan, hvis utlånet hører til et."),
        queryset=Measure.objects.none(),
        required=False,
    )
    ordered_on = date_field(_("Bestilt"), missing=_("Skriv inn bestillingsdatoen."))
    expected_return_on = date_field(
        _("Forventet tilbake"),
        missing=_("Skriv inn når hjelpemiddelet ventes tilbake."),
        help_text=_(
            "Skriv datoen som dd.mm.åååå. Kommunen låner ut for behov under to år; "
            "et varig behov søkes dekket av NAV."
        ),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"ordered_on": today_text()})
        super().__init__(*args, **kwargs)
        decision = model_choice_field(self, "decision")
        decision.queryset = decisions_for(person)
        decision.empty_label = _("Ingen vedtak")
        measure = model_choice_field(self, "measure")
        measure.queryset = measures_for(person)
        measure.empty_label = _("Ingen tiltak")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("decision") and cleaned.get("measure"):
            self.add_error("measure", _("Velg enten et vedtak eller et tiltak, ikke begge."))
        ordered, expected = cleaned.get("ordered_on"), cleaned.get("expected_return_on")
        if ordered and ordered > timezone.localdate():
            self.add_error("ordered_on", _("Bestillingsdatoen kan ikke være fram i tid."))
        if ordered and expected and expected < ordered:
            self.add_error(
                "expected_return_on", _("Forventet tilbake kan ikke være før bestillingsdatoen.")
            )
        return cleaned


class LoanOrderForm(_OrderForm):
    field_order = ["label", *ORDER_FIELDS, "note"]

    label = label_field()
    note = forms.CharField(label=_("Merknad"), max_length=500, required=False)


class DeviceTypeChoice(forms.ModelChoiceField):
    """The active device types by name, with the ISO class where there is one, so
    «rullator» is picked by name (no item's label needed)."""

    def label_from_instance(self, obj: DeviceType) -> str:
        if obj.iso_class:
            return f"{obj.name} ({obj.iso_class})"
        return obj.name


def device_type_field(**kwargs: Any) -> DeviceTypeChoice:
    return DeviceTypeChoice(
        label=_("Type hjelpemiddel"),
        help_text=_(
            "Lageret reserverer et ledig hjelpemiddel av typen, eller setter "
            "bestillingen på venteliste."
        ),
        queryset=DeviceType.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Velg type"),
        error_messages={"required": _("Velg hvilken type hjelpemiddel som trengs.")},
        **kwargs,
    )


class DeviceOrderForm(_OrderForm):
    """An order by type, from the person's page."""

    field_order = ["device_type", "store", *ORDER_FIELDS, "note"]

    device_type = device_type_field()
    store = forms.ModelChoiceField(
        label=_("Lager"),
        help_text=_("Lageret som skal levere. Et ledig hjelpemiddel herfra velges først."),
        queryset=Store.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Hvilket som helst"),
    )
    note = forms.CharField(label=_("Merknad til lageret"), max_length=500, required=False)


class OrderTypeForm(forms.Form):
    """The technician chooses the type of an order an assignment made."""

    device_type = device_type_field()
    expected_return_on = date_field(
        _("Forventet tilbake"), missing=_("Skriv inn når hjelpemiddelet ventes tilbake.")
    )


class StorePersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Navn eller fødselsdato"),
        max_length=100,
        help_text=_(
            "Finner personer med en åpen bestilling eller et utlån fra lageret. "
            "Skriv fornavn, etternavn eller fødselsdato (dd.mm.åååå)."
        ),
        error_messages={"required": _("Skriv et navn eller en fødselsdato.")},
    )


class DeliverForm(forms.Form):
    delivered_on = date_field(_("Levert dato"), missing=_("Skriv inn datoen det ble levert."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("delivered_on", today_text())
        super().__init__(*args, **kwargs)


class ScanForm(forms.Form):
    merkelapp = label_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page exists for scanning: the scanner types into this field at once.
        self.fields["merkelapp"].widget.attrs["autofocus"] = True


class ReturnForm(forms.Form):
    returned_on = date_field(_("Levert tilbake"), missing=_("Skriv inn returdatoen."))
    condition = forms.ChoiceField(
        label=_("Tilstand"),
        choices=ReturnCondition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg tilstanden hjelpemiddelet kom tilbake i.")},
    )
    note = forms.CharField(label=_("Merknad"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("returned_on", today_text())
        super().__init__(*args, **kwargs)


class NavApplicationForm(forms.Form):
    description = forms.CharField(
        label=_("Hva det søkes om"),
        max_length=300,
        error_messages={"required": _("Skriv hva det søkes om.")},
    )
    device_type = forms.ModelChoiceField(
        label=_("Type hjelpemiddel"),
        queryset=DeviceType.objects.filter(is_active=True),
        required=False,
        empty_label=_("Ikke valgt"),
    )
    sent_on = date_field(_("Sendt til NAV"), missing=_("Skriv inn datoen søknaden ble sendt."))
    nav_reference = forms.CharField(label=_("NAVs saksnummer"), max_length=50, required=False)
    note = forms.CharField(label=_("Merknad"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"sent_on": today_text()})
        super().__init__(*args, **kwargs)


class NavStatusForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Ny status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg ny status.")},
    )
    changed_on = date_field(_("Dato"), missing=_("Skriv inn datoen."))
    label = label_field(
        label=_("Merkelapp på hjelpemiddelet fra NAV"),
        required=False,
        help_text=_("Fylles ut når NAV har levert. Skann eller skriv merkelappen."),
    )
    serial_number = forms.CharField(label=_("Serienummer"), max_length=100, required=False)
    device_type = forms.ModelChoiceField(
        label=_("Type hjelpemiddel"),
        queryset=DeviceType.objects.filter(is_active=True),
        required=False,
        empty_label=_("Som i søknaden"),
    )
    value_nok = forms.DecimalField(
        label=_("Verdi (kr)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        error_messages={"invalid": _("Skriv verdien som et tall, for eksempel 12500.")},
    )

    def __init__(self, *args: Any, application: NavApplication, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"changed_on": today_text()})
        super().__init__(*args, **kwargs)
        labels = dict(NavApplicationStatus.choices)
        allowed = NAV_TRANSITIONS.get(application.status, set())
        # The statuses the application may move to; none leaves nothing to send.
        self.status_choices = [
            (value, labels[value]) for value in NavApplicationStatus.values if value in allowed
        ]
        # Declared above as a ChoiceField; `fields` holds plain Fields for mypy.
        cast(forms.ChoiceField, self.fields["to_status"]).choices = self.status_choices
        self.delivering_possible = NavApplicationStatus.DELIVERED in allowed
        if not self.delivering_possible:
            for name in ("label", "serial_number", "device_type", "value_nok"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("to_status") == NavApplicationStatus.DELIVERED and not cleaned.get("label"):
            self.add_error("label", _("Skriv inn merkelappen på hjelpemiddelet NAV leverte."))
        return cleaned


class InquiryForm(forms.Form):
    received_on = date_field(_("Mottatt"), missing=_("Skriv inn datoen henvendelsen kom."))
    topic = forms.ChoiceField(
        label=_("Gjelder"),
        choices=InquiryTopic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hva henvendelsen gjelder.")},
    )
    description = forms.CharField(
        label=_("Kort beskrivelse"),
        max_length=500,
        required=False,
        help_text=_("Ikke skriv helseopplysninger her."),
    )
    handled_on = date_field(_("Behandlet"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"received_on": today_text()})
        super().__init__(*args, **kwargs)
