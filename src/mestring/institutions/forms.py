"""Forms for stays, rehabilitation plans, bed capacity and purchase agreements."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mestring.casework.models import Decision
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.institutions import selectors
from mestring.institutions.models import DischargeDestination, PurchaseAgreement, StayType
from mestring.people.models import Person, Staff, Unit

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
NUMBER_ERRORS = {"invalid": _("Skriv et helt tall.")}


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        service = obj.service.name if obj.service is not None else obj.get_subject_display()
        return f"{service}, {date_format(obj.decided_on, 'd.m.Y')}"


class PlannedAdmitForm(forms.Form):
    """«Skriv inn» a planned stay: the unit, type and decision come from the plan."""

    admitted_on = forms.DateField(
        label=_("Innlagt dato"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn innleggelsesdatoen."), **DATE_ERRORS},
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    over_capacity = forms.BooleanField(
        label=_("Overbelegg: legg inn selv om enheten ikke har ledig seng"),
        help_text=_("Overbelegg registreres på oppholdet."),
        required=False,
    )


class StayAdmitForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("Velg enheten personen legges inn på.")},
    )
    stay_type = forms.ChoiceField(
        label=_("Type opphold"),
        choices=[("", _("Velg type")), *StayType.choices],
        error_messages={"required": _("Velg type opphold.")},
    )
    admitted_on = forms.DateField(
        label=_("Innlagt dato"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn innleggelsesdatoen."), **DATE_ERRORS},
    )
    decision = DecisionChoiceField(
        label=_("Vedtak"),
        help_text=_("Vedtaket oppholdet bygger på, hvis det finnes."),
        queryset=Decision.objects.none(),
        required=False,
    )
    agreement = forms.ModelChoiceField(
        label=_("Avtale om kjøpte plasser"),
        help_text=_("Bare for opphold på et senter kommunen kjøper plasser hos."),
        queryset=PurchaseAgreement.objects.none(),
        required=False,
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    over_capacity = forms.BooleanField(
        label=_("Overbelegg: legg inn selv om enheten ikke har ledig seng"),
        help_text=_("Overbelegg registreres på oppholdet."),
        required=False,
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = model_choice_field(self, "unit")
        unit.queryset = Unit.objects.filter(
            pk__in=selectors.institution_units().values("pk")
        ).order_by("name")
        unit.empty_label = _("Velg enhet")
        decision = model_choice_field(self, "decision")
        decision.queryset = (
            Decision.objects.filter(case__person=person)
            .select_related("service")
            .order_by("-decided_on")
        )
        decision.empty_label = _("Uten vedtak")
        agreement = model_choice_field(self, "agreement")
        agreement.queryset = selectors.agreements()
        agreement.empty_label = _("Ingen avtale")


class DischargeForm(forms.Form):
    discharged_on = forms.DateField(
        label=_("Utskrevet dato"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn utskrivningsdatoen."), **DATE_ERRORS},
    )
    discharged_to = forms.ChoiceField(
        label=_("Utskrevet til"),
        choices=[("", _("Velg")), *DischargeDestination.choices],
        error_messages={"required": _("Velg hvor personen ble utskrevet til.")},
    )


class RehabPlanForm(forms.Form):
    goals = forms.CharField(
        label=_("Mål"),
        help_text=_("Med personens egne ord, ett mål per linje."),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv minst ett mål, med personens egne ord.")},
    )
    daily_training = forms.CharField(
        label=_("Daglig trening"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    physio_minutes_per_day = forms.IntegerField(
        label=_("Minutter fysioterapi per dag"),
        min_value=0,
        max_value=600,
        required=False,
        error_messages=NUMBER_ERRORS,
    )
    responsible = forms.ModelChoiceField(
        label=_("Ansvarlig"),
        queryset=Staff.objects.filter(is_active=True).select_related("user"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "responsible").empty_label = _("Ingen valgt")


class BedCapacityForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Enhet"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        error_messages={"required": _("Velg enheten.")},
    )
    beds = forms.IntegerField(
        label=_("Antall senger"),
        min_value=0,
        max_value=1000,
        error_messages={"required": _("Skriv inn antall senger."), **NUMBER_ERRORS},
    )
    valid_from = forms.DateField(
        label=_("Gjelder fra"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn datoen sengetallet gjelder fra."), **DATE_ERRORS},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").empty_label = _("Velg enhet")


class AgreementForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på avtalen"),
        max_length=150,
        error_messages={"required": _("Avtalen må ha et navn.")},
    )
    centre = forms.ModelChoiceField(
        label=_("Senter"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        error_messages={"required": _("Velg senteret plassene kjøpes hos.")},
    )
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        error_messages={"required": _("Skriv inn året."), **NUMBER_ERRORS},
    )
    bed_days = forms.IntegerField(
        label=_("Kjøpte døgn"),
        min_value=1,
        max_value=1_000_000,
        error_messages={"required": _("Skriv inn antall kjøpte døgn."), **NUMBER_ERRORS},
    )
    price_per_day = forms.DecimalField(
        label=_("Pris per døgn (kr)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        localize=True,
        error_messages={
            "required": _("Skriv inn prisen per døgn."),
            "invalid": _("Skriv prisen som et tall, for eksempel 4500."),
        },
    )
    note = forms.CharField(
        label=_("Merknad"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "centre").empty_label = _("Velg senter")
