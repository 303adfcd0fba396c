"""Forms for the catalogue, assignment and the waiting list."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.catalogue.models import RemovalReason, Service, WaitingPriority
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.models import Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {
    "required": _("Skriv inn datoen."),
    "invalid": _("Datoen må skrives som dd.mm.åååå."),
}


def _date_field(label: StrOrPromise, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        required=required,
        help_text=DATE_HELP,
        error_messages=DATE_ERRORS,
    )


def _today_text() -> str:
    return timezone.localdate().strftime("%d.%m.%Y")


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = [
            "name",
            "code",
            "description",
            "how_to_apply",
            "pyramid_level",
            "national_code",
            "capacity_kind",
            "nationally_reported",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": _("Kort kode med små bokstaver og bindestrek, for eksempel «dagplass»."),
            "pyramid_level": _("1 er forebygging og egenmestring, 5 er spesialisthelsetjenesten."),
        }
        error_messages = {
            "name": {"required": _("Skriv inn navnet på tjenesten.")},
            "code": {
                "required": _("Skriv inn en kode."),
                "invalid": _("Koden kan bare ha bokstaver, tall, bindestrek og understrek."),
            },
        }

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Service.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Det finnes allerede en tjeneste med denne koden."))
        return code


class CapacityField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Kapasitet"),
            required=False,
            min_value=0,
            max_digits=8,
            decimal_places=1,
            help_text=_("Plasser eller timer per uke. Tomt betyr ingen fast grense."),
            error_messages={
                "invalid": _("Skriv kapasiteten som et tall, for eksempel 6 eller 37,5."),
                "min_value": _("Kapasiteten kan ikke være negativ."),
                "max_decimal_places": _("Bruk høyst én desimal."),
                "max_digits": _("Tallet er for stort."),
                "max_whole_digits": _("Tallet er for stort."),
            },
            localize=True,
            **kwargs,
        )


class ProviderAddForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        error_messages={
            "required": _("Velg enheten som utfører tjenesten."),
            "invalid_choice": _("Velg en enhet fra listen."),
        },
    )
    capacity = CapacityField()


class ProviderCapacityForm(forms.Form):
    capacity = CapacityField()


def _skip_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Hvorfor tildeles vedtaket foran dem som venter?"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Må fylles ut når andre venter før på ventelisten for tjenesten ved enheten."
            " Begrunnelsen vises sammen med tildelingen."
        ),
        error_messages={"max_length": _("Begrunnelsen kan ha høyst 300 tegn.")},
    )


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("Velg enheten som skal utføre tjenesten."),
            "invalid_choice": _("Velg en enhet som utfører tjenesten."),
        },
    )
    starts_on = _date_field(_("Fra dato"))
    priority = forms.TypedChoiceField(
        label=_("Prioritet hvis enheten er full"),
        choices=WaitingPriority.choices,
        coerce=int,
        initial=WaitingPriority.NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg prioritet.")},
    )
    skip_reason = _skip_reason_field()

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("starts_on", _today_text())
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.filter(
            provided_services__service=service
        ).order_by("name")


class WaitingRemoveForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Hvorfor tas personen av ventelisten?"),
        choices=RemovalReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg hvorfor personen tas av ventelisten.")},
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=300,
        required=False,
        help_text=_("Må fylles ut når grunnen er «Annet»."),
    )
    removed_on = _date_field(_("Dato"))
    unit = forms.ModelChoiceField(
        label=_("Enhet som gir tjenesten"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Bare når personen har fått tjenesten. Tomt: enheten personen venter på."),
        error_messages={"invalid_choice": _("Velg en enhet som utfører tjenesten.")},
    )
    skip_reason = _skip_reason_field()

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("removed_on", _today_text())
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = Unit.objects.filter(
            provided_services__service=service
        ).order_by("name")

    def clean_removed_on(self) -> datetime.date | None:
        value = self.cleaned_data.get("removed_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("Datoen kan ikke være fram i tid."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("reason") == RemovalReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Skriv en merknad når grunnen er «Annet»."))
        return cleaned


class WaitingAssignForm(forms.Form):
    """«Tildel» from the waiting list: the entry's unit from today. A unit to choose only
    when the entry names none; a reason when others wait before the person."""

    unit = forms.ModelChoiceField(
        label=_("Enhet som gir tjenesten"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("Velg enheten som skal utføre tjenesten."),
            "invalid_choice": _("Velg en enhet som utfører tjenesten."),
        },
    )
    skip_reason = _skip_reason_field()

    def __init__(self, *args: Any, service: Service, choose_unit: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_unit:
            model_choice_field(self, "unit").queryset = Unit.objects.filter(
                provided_services__service=service
            ).order_by("name")
        else:
            del self.fields["unit"]


class WaitingFilterForm(forms.Form):
    tjeneste = forms.ModelChoiceField(
        label=_("Tjeneste"),
        queryset=Service.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Alle tjenester"),
    )
    enhet = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.filter(provided_services__isnull=False).distinct().order_by("name"),
        required=False,
        empty_label=_("Alle enheter"),
        help_text=_("Viser dem som venter på enheten eller på tjenesten uten bestemt enhet."),
    )
