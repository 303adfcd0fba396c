"""Forms for the action plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.actionplan.models import Action, ActionStatus, Financing, MunicipalPlan, PlanGoal
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.models import Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
YEAR_ERRORS = {
    "required": _("Skriv året med fire sifre."),
    "invalid": _("Skriv året med fire sifre, for eksempel 2025."),
    "min_value": _("Året må være 2000 eller senere."),
    "max_value": _("Året må være 2100 eller tidligere."),
}


def year_field(label: StrOrPromise, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        error_messages=YEAR_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class PlanForm(forms.Form):
    title = forms.CharField(
        label=_("Tittel"),
        max_length=200,
        error_messages={"required": _("Skriv en tittel.")},
    )
    start_year = year_field(_("Fra år"))
    end_year = year_field(_("Til år"), help_text=_("Planen revideres vanligvis hvert fjerde år."))
    adopted_on = forms.DateField(
        label=_("Vedtatt"),
        widget=DateInput(),
        help_text=DATE_HELP,
        required=False,
        error_messages=DATE_ERRORS,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Sluttåret kan ikke være før startåret."))
        return cleaned


def plan_initial(plan: MunicipalPlan) -> dict[str, Any]:
    return {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "adopted_on": plan.adopted_on,
    }


class GoalForm(forms.Form):
    number = forms.IntegerField(
        label=_("Nummer"),
        min_value=1,
        max_value=999,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Skriv et nummer."),
            "invalid": _("Skriv et helt tall."),
            "min_value": _("Nummeret må være 1 eller høyere."),
            "max_value": _("Nummeret kan være høyst 999."),
        },
    )
    text = forms.CharField(
        label=_("Mål"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv målet.")},
    )


class ActionForm(forms.Form):
    number = forms.CharField(
        label=_("Nummer"),
        max_length=10,
        help_text=_("For eksempel 3 eller 1.3."),
        error_messages={"required": _("Skriv et nummer.")},
    )
    title = forms.CharField(
        label=_("Tiltak"), max_length=200, error_messages={"required": _("Skriv tiltaket.")}
    )
    description = forms.CharField(
        label=_("Beskrivelse"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    responsible_unit = forms.ModelChoiceField(
        label=_("Ansvarlig enhet"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Ingen enhet valgt"),
        error_messages={"invalid_choice": _("Velg en enhet fra listen.")},
    )
    responsible_text = forms.CharField(
        label=_("Ansvar (fritekst)"),
        max_length=150,
        required=False,
        help_text=_("Brukes når ansvaret ikke er én enhet, for eksempel «Alle»."),
    )
    from_year = year_field(_("Gjennomføring fra år"))
    to_year = year_field(_("Gjennomføring til år"))
    cost_nok = forms.IntegerField(
        label=_("Kostnad (kr)"),
        min_value=0,
        max_value=2_000_000_000,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": _("Skriv beløpet som et helt tall kroner."),
            "min_value": _("Beløpet kan ikke være negativt."),
            "max_value": _("Beløpet er for stort."),
        },
    )
    financing = forms.ChoiceField(
        label=_("Finansiering"),
        choices=[("", _("Ikke oppgitt")), *Financing.choices],
        required=False,
        error_messages={"invalid_choice": _("Velg en finansiering fra listen.")},
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Mål tiltaket hører til"),
        queryset=PlanGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Velg mål fra listen.")},
    )

    def __init__(self, *args: Any, plan: MunicipalPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "goals").queryset = PlanGoal.objects.filter(plan=plan).order_by(
            "number"
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("from_year"), cleaned.get("to_year")
        if start and end and end < start:
            self.add_error("to_year", _("Sluttåret kan ikke være før startåret."))
        return cleaned


def action_initial(action: Action) -> dict[str, Any]:
    return {
        "number": action.number,
        "title": action.title,
        "description": action.description,
        "responsible_unit": action.responsible_unit_id,
        "responsible_text": action.responsible_text,
        "from_year": action.from_year,
        "to_year": action.to_year,
        "cost_nok": action.cost_nok,
        "financing": action.financing,
        "goals": [goal.pk for goal in action.goals.all()],
    }


class StatusForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("År"), coerce=int, error_messages={"invalid_choice": _("Velg et år i planen.")}
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Velg en status."),
            "invalid_choice": _("Velg en status fra listen."),
        },
    )
    note = forms.CharField(label=_("Merknad"), max_length=500, required=False)

    def __init__(self, *args: Any, plan: MunicipalPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        if not isinstance(field, forms.ChoiceField):
            raise TypeError("StatusForm.year is not a choice field")
        field.choices = [(year, str(year)) for year in plan.years]


def default_year(plan: MunicipalPlan) -> int:
    this_year = timezone.localdate().year
    return min(max(this_year, plan.start_year), plan.end_year)


class EvaluationForm(forms.Form):
    evaluation_on = forms.DateField(
        label=_("Evalueringsdato"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv datoen for evalueringen."), **DATE_ERRORS},
    )
    evaluation_result = forms.CharField(
        label=_("Resultat"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "UTF-8, kommaseparert, med kolonnene number,title,responsible,years,cost_nok,"
            "financing. År skrives som 2024-2026 eller 2025."
        ),
        error_messages={
            "required": _("Velg en fil."),
            "empty": _("Filen er tom."),
            "invalid": _("Velg en fil."),
        },
    )
