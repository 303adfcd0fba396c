"""Forms for assessments and the list of functional variables.

The assessment form is built from the municipality's variables in use, one radio
group per variable, since the list is data the municipality edits."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.assessments.defaults import SCORE_MEANINGS
from mestring.assessments.models import VALID_SCORES, Assessment, FunctionVariable
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.models import Person

if TYPE_CHECKING:
    from mestring.casework.models import Case

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}
SCORE_PREFIX = "skaar_"


def score_choices(variable: FunctionVariable) -> list[tuple[str, str]]:
    """ "3 – Trenger noe hjelp eller tilsyn": the score with this variable's meaning."""
    choices = []
    for score in VALID_SCORES:
        key = str(score)
        meaning = variable.score_meanings.get(key) or SCORE_MEANINGS[key]
        choices.append((key, f"{score} – {meaning}"))
    return choices


class AssessmentForm(forms.Form):
    """The fixed part; `assessment_form_class` adds a score field per variable."""

    variables: list[FunctionVariable] = []

    assessed_on = forms.DateField(
        label=_("Dato for kartleggingen"),
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv inn datoen for kartleggingen."), **DATE_ERRORS},
    )
    next_assessment_on = forms.DateField(
        label=_("Dato for neste kartlegging"),
        widget=DateInput(),
        help_text=DATE_HELP,
        required=False,
        error_messages=DATE_ERRORS,
    )
    what_matters = forms.CharField(
        label=_("Hva er viktig for deg?"),
        help_text=_("Skriv med personens egne ord."),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    case: forms.ModelChoiceField[Case] = forms.ModelChoiceField(
        label=_("Sak"),
        help_text=_("Saken kartleggingen hører til, hvis den gjøres for et vedtak."),
        # The person's own cases, set when the form is made for them.
        queryset=None,
        required=False,
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = model_choice_field(self, "case")
        case.queryset = person.cases.order_by("-received_on")
        case.empty_label = _("Ingen sak")

    def clean_assessed_on(self) -> datetime.date:
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Kartleggingsdatoen kan ikke være fram i tid."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        assessed, following = cleaned.get("assessed_on"), cleaned.get("next_assessment_on")
        if assessed and following and following <= assessed:
            self.add_error(
                "next_assessment_on", _("Neste kartlegging må være etter kartleggingsdatoen.")
            )
        return cleaned

    def scores(self) -> dict[int, int | None]:
        """{variable id: score or None when not answered} from the cleaned data."""
        return {
            variable.pk: int(value) if (value := self.cleaned_data.get(_field(variable))) else None
            for variable in self.variables
        }


def _field(variable: FunctionVariable) -> str:
    return f"{SCORE_PREFIX}{variable.pk}"


def assessment_form_class(variables: list[FunctionVariable]) -> type[AssessmentForm]:
    """A form class with one optional radio group per variable, in the list's order."""
    fields: dict[str, Any] = {
        _field(variable): forms.ChoiceField(
            label=variable.name,
            help_text=variable.description,
            choices=score_choices(variable),
            widget=forms.RadioSelect,
            required=False,
            error_messages={
                "invalid_choice": _("Velg 1, 2, 3, 4, 5 eller 9 (ikke relevant)."),
            },
        )
        for variable in variables
    }
    order = ["assessed_on", "next_assessment_on", "case", "what_matters", *fields]
    attrs = {**fields, "variables": variables, "field_order": order}
    return type("ScoredAssessmentForm", (AssessmentForm,), attrs)


def initial_for(assessment: Assessment) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "assessed_on": assessment.assessed_on,
        "next_assessment_on": assessment.next_assessment_on,
        "what_matters": assessment.what_matters,
        "case": assessment.case_id,
    }
    for score in assessment.scores.all():
        initial[f"{SCORE_PREFIX}{score.variable_id}"] = str(score.score)
    return initial


class VariableForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"), max_length=120, error_messages={"required": _("Skriv inn et navn.")}
    )
    description = forms.CharField(label=_("Beskrivelse"), max_length=300, required=False)
    position = forms.IntegerField(
        label=_("Rekkefølge"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Variablene vises i stigende rekkefølge."),
        error_messages={"invalid": _("Skriv et helt tall.")},
    )
    is_active = forms.BooleanField(label=_("I bruk"), required=False, initial=True)

    def __init__(self, *args: Any, variable: FunctionVariable | None = None, **kwargs: Any):
        if variable is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": variable.name,
                "description": variable.description,
                "position": variable.position,
                "is_active": variable.is_active,
                **{
                    f"meaning_{key}": variable.score_meanings.get(key, "") for key in SCORE_MEANINGS
                },
            }
        super().__init__(*args, **kwargs)
        for key in SCORE_MEANINGS:
            self.fields[f"meaning_{key}"] = forms.CharField(
                label=_("Betydning av skår %(score)s") % {"score": key},
                max_length=200,
                initial=self.initial.get(f"meaning_{key}", SCORE_MEANINGS[key]),
                error_messages={"required": _("Skriv hva skåren betyr.")},
            )
        meanings = [f"meaning_{key}" for key in SCORE_MEANINGS]
        self.order_fields(["name", "description", *meanings, "position", "is_active"])

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "position": data["position"],
            "is_active": data["is_active"],
            "meanings": {key: data[f"meaning_{key}"] for key in SCORE_MEANINGS},
        }
