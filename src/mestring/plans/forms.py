"""Forms for coordinators and plans. Rules live in the services; forms parse input."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from mestring.access.models import Consent
from mestring.casework.models import Decision
from mestring.core.forms import DATE_HELP, DateInput, model_choice_field
from mestring.people.models import Person, Relative, Staff, Unit
from mestring.plans import selectors
from mestring.plans.models import (
    Achievement,
    CoordinatorProfile,
    Goal,
    GoalStatus,
    IndividualPlan,
    Measure,
)
from mestring.plans.revisions import decision_label, plain, plan_values, show_date, staff_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_ERRORS = {"invalid": _("Datoen må skrives som dd.mm.åååå.")}


def _date(
    label: StrOrPromise, *, required: bool = True, required_message: StrOrPromise = ""
) -> forms.DateField:
    errors: dict[str, StrOrPromise] = dict(DATE_ERRORS)
    if required_message:
        errors["required"] = required_message
    return forms.DateField(
        label=label,
        widget=DateInput(),
        help_text=DATE_HELP if required else "",
        required=required,
        error_messages=errors,
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        title = obj.title or obj.get_profession_display()
        return f"{staff_name(obj)} ({title})"


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return decision_label(obj)


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Consent) -> str:
        return _("%(scope)s – gitt %(day)s") % {"scope": obj.scope, "day": show_date(obj.given_on)}


class VersionForm(forms.Form):
    """Carries the plan version the user opened (the optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def full_clean(self) -> None:
        super().full_clean()
        # A hidden field's error would not show: say it where the user sees it.
        if self.errors.pop("version", None):
            self.add_error(
                None, _("Skjemaet mangler versjonen av planen. Last siden på nytt og prøv igjen.")
            )


def _decision_field() -> DecisionChoiceField:
    return DecisionChoiceField(
        label=_("Vedtak"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("Ingen vedtak valgt"),
    )


def _unit_field(label: StrOrPromise, *, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        required=required,
        empty_label=_("Velg enhet"),
        error_messages={"required": _("Velg enhet.")},
    )


def _staff_field(label: StrOrPromise) -> StaffChoiceField:
    """An optional choice among the active staff, by name."""
    return StaffChoiceField(
        label=label,
        queryset=Staff.objects.filter(is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        required=False,
        empty_label=_("Velg ansatt"),
    )


# --- The coordinator pool


class CoordinatorAddForm(forms.Form):
    staff = StaffChoiceField(
        label=_("Ansatt"),
        queryset=Staff.objects.none(),
        empty_label=_("Velg ansatt"),
        error_messages={"required": _("Velg en ansatt.")},
    )
    joined_on = _date(_("Med i koordinatorgruppen fra"), required=False)
    note = forms.CharField(label=_("Merknad"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "staff").queryset = (
            Staff.objects.filter(is_active=True)
            .exclude(pk__in=CoordinatorProfile.objects.values("staff"))
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "pk")
        )


class TrainingForm(forms.Form):
    course = forms.CharField(
        label=_("Kurs"),
        max_length=200,
        error_messages={"required": _("Skriv navnet på kurset.")},
    )
    completed_on = _date(_("Dato for kurset"), required_message=_("Skriv inn datoen for kurset."))


class SupervisionForm(forms.Form):
    held_on = _date(
        _("Dato for veiledningen"), required_message=_("Skriv inn datoen for veiledningen.")
    )
    topic = forms.CharField(
        label=_("Tema"), max_length=200, error_messages={"required": _("Skriv temaet.")}
    )
    supervisor = forms.CharField(label=_("Veileder"), max_length=200, required=False)


class AppointForm(forms.Form):
    coordinator = StaffChoiceField(
        label=_("Koordinator"),
        queryset=Staff.objects.none(),
        empty_label=_("Velg koordinator"),
        help_text=_("Bare aktive koordinatorer i koordinatorgruppen kan velges."),
        error_messages={
            "required": _("Velg en koordinator."),
            "invalid_choice": _("Velg en aktiv koordinator fra koordinatorgruppen."),
        },
    )
    started_on = _date(_("Fra"), required_message=_("Skriv inn datoen koordinatoren begynner."))
    person_wish = forms.CharField(
        label=_("Personens ønske"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hva personen ønsker av koordinatoren, med egne ord."),
    )
    declined_individual_plan = forms.BooleanField(
        label=_("Personen har takket nei til individuell plan"),
        required=False,
        help_text=_("Personen har likevel rett til koordinator."),
    )
    decision = _decision_field()

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "coordinator").queryset = selectors.coordinator_choices()
        model_choice_field(self, "decision").queryset = selectors.person_decisions(person)


class EndAssignmentForm(forms.Form):
    ended_on = _date(_("Til"), required_message=_("Skriv inn sluttdatoen."))


# --- Plans


TEXTAREA = forms.Textarea(attrs={"rows": 4})


class _PlanForm(forms.Form):
    """The fields creating and editing a plan share, and the checks of its dates."""

    responsible_unit = _unit_field(_("Ansvarlig enhet"), required=True)
    start_date = _date(
        _("Planen gjelder fra"), required_message=_("Skriv inn datoen planen gjelder fra.")
    )
    end_date = _date(_("Planen gjelder til"), required=False)
    next_revision_on = _date(_("Neste revisjon"), required=False)
    decision = _decision_field()
    what_matters = forms.CharField(
        label=_("Hva er viktig for deg?"),
        max_length=5000,
        required=False,
        widget=TEXTAREA,
        help_text=_("Med personens egne ord."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start = cleaned.get("start_date")
        end, revision = cleaned.get("end_date"), cleaned.get("next_revision_on")
        if start and end and end < start:
            self.add_error("end_date", _("Sluttdatoen kan ikke være før startdatoen."))
        if start and revision and revision < start:
            self.add_error(
                "next_revision_on", _("Neste revisjon kan ikke være før planen starter.")
            )
        return cleaned


class PlanCreateForm(_PlanForm):
    consent = ConsentChoiceField(
        label=_("Samtykke til individuell plan"),
        queryset=Consent.objects.none(),
        empty_label=_("Velg samtykke"),
        error_messages={
            "required": _("Planen kan ikke opprettes uten samtykke til individuell plan.")
        },
    )
    # The consent comes first, before the fields of the base form.
    field_order = ["consent"]

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consents = selectors.consents_in_force(person).order_by("-given_on")
        model_choice_field(self, "consent").queryset = consents
        model_choice_field(self, "decision").queryset = selectors.person_decisions(person)


class PlanEditForm(_PlanForm, VersionForm):
    resources_and_needs = forms.CharField(
        label=_("Ressurser og behov"), max_length=5000, required=False, widget=TEXTAREA
    )
    person_contribution = forms.CharField(
        label=_("Hva personen selv bidrar med"), max_length=3000, required=False, widget=TEXTAREA
    )
    relatives_contribution = forms.CharField(
        label=_("Hva pårørende bidrar med"), max_length=3000, required=False, widget=TEXTAREA
    )
    cooperation = forms.CharField(
        label=_("Samarbeid med andre etater og nivåer"),
        max_length=3000,
        required=False,
        widget=TEXTAREA,
        help_text=_("For eksempel NAV, skole, spesialisthelsetjenesten."),
    )

    def __init__(self, *args: Any, plan: IndividualPlan, **kwargs: Any) -> None:
        kwargs["initial"] = {
            **{
                "version": plan.version,
                "responsible_unit": plan.responsible_unit_id,
                "start_date": plan.start_date,
                "end_date": plan.end_date,
                "next_revision_on": plan.next_revision_on,
                "decision": plan.decision_id,
                "what_matters": plan.what_matters,
                "resources_and_needs": plan.resources_and_needs,
                "person_contribution": plan.person_contribution,
                "relatives_contribution": plan.relatives_contribution,
                "cooperation": plan.cooperation,
            },
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        model_choice_field(self, "decision").queryset = selectors.person_decisions(plan.person)

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def take_saved_changes(self, opened: dict[str, Any], plan: IndividualPlan) -> list[str]:
        """After an edit conflict: fields the user left as they were when opening the
        plan take the value saved since, so saving again keeps both users' work. Fields
        the user changed keep the user's text. Returns the labels of the fields taken."""
        current = plan_values(plan)
        data = editable_data(self)
        taken = []
        for name in self.fields:  # in form order: jsonb does not keep the key order
            if name not in opened or name not in self.cleaned_data:
                continue
            before = opened[name]
            mine, theirs = plain(self.cleaned_data[name]), current[name]
            if mine == before and theirs != before:
                # Rows are posted as their id; dates and text as the user would type them.
                is_row = name in ("responsible_unit", "decision")
                data[name] = str(theirs) if is_row else _form_value(getattr(plan, name))
                taken.append(str(self.fields[name].label))
        self.data = data
        return taken


def editable_data(form: forms.BaseForm) -> QueryDict | dict[str, Any]:
    """A copy of what the form was sent, to change before it is shown again: a posted
    QueryDict copies as a mutable one."""
    if isinstance(form.data, QueryDict):
        return form.data.copy()
    return dict(form.data)


def _form_value(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


class GoalForm(VersionForm):
    text = forms.CharField(
        label=_("Mål, med personens egne ord"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv det slik personen sier det."),
        error_messages={"required": _("Skriv målet med personens egne ord.")},
    )
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    achievement = forms.ChoiceField(label=_("Måloppnåelse"), choices=Achievement.choices)
    target_date = _date(_("Ønsket dato"), required=False)

    def __init__(self, *args: Any, goal: Goal | None = None, **kwargs: Any) -> None:
        if goal is not None:
            kwargs["initial"] = {
                "text": goal.text,
                "status": goal.status,
                "achievement": goal.achievement,
                "target_date": goal.target_date,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        if goal is None:
            # A new goal is proposed or agreed; ending it comes later.
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)  # declared so above
            status.choices = [
                (GoalStatus.ACTIVE, GoalStatus.ACTIVE.label),
                (GoalStatus.PROPOSED, GoalStatus.PROPOSED.label),
            ]


class MeasureForm(VersionForm):
    title = forms.CharField(
        label=_("Tiltak"),
        max_length=200,
        help_text=_("Hva skal gjøres?"),
        error_messages={"required": _("Skriv hva tiltaket er.")},
    )
    goal = forms.ModelChoiceField(
        label=_("Mål tiltaket hører til"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("Ikke knyttet til ett mål"),
    )
    scope = forms.CharField(
        label=_("Omfang"),
        max_length=200,
        required=False,
        help_text=_("For eksempel «2 timer i uken»."),
    )
    how = forms.CharField(
        label=_("Hvordan"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responsible_unit = _unit_field(_("Ansvarlig enhet"), required=False)
    responsible_staff = _staff_field(_("Ansvarlig ansatt"))
    responsible_other = forms.CharField(
        label=_("Ansvarlig (personen, pårørende, andre)"), max_length=200, required=False
    )
    start_on = _date(_("Fra"), required=False)
    end_on = _date(_("Til"), required=False)
    decision = _decision_field()

    def __init__(self, *args: Any, plan: IndividualPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "goal").queryset = Goal.objects.filter(plan=plan).order_by(
            "position", "pk"
        )
        model_choice_field(self, "decision").queryset = selectors.person_decisions(plan.person)
        self.fields["decision"].help_text = _("Vedtaket tiltaket bygger på.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_on"), cleaned.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("Tiltaket kan ikke slutte før det starter."))
        return cleaned


MEASURE_INITIAL_FIELDS = (
    "title",
    "scope",
    "how",
    "responsible_other",
    "start_on",
    "end_on",
)


def measure_initial(measure: Measure) -> dict[str, Any]:
    initial = {name: getattr(measure, name) for name in MEASURE_INITIAL_FIELDS}
    initial.update(
        goal=measure.goal_id,
        responsible_unit=measure.responsible_unit_id,
        responsible_staff=measure.responsible_staff_id,
        decision=measure.decision_id,
    )
    return initial


class ParticipantForm(VersionForm):
    staff = _staff_field(_("Ansatt"))
    unit = _unit_field(_("Enhet eller etat"), required=False)
    relative = forms.ModelChoiceField(
        label=_("Pårørende"),
        queryset=Relative.objects.none(),
        required=False,
        empty_label=_("Velg pårørende"),
    )
    role = forms.CharField(
        label=_("Rolle"),
        max_length=150,
        help_text=_("For eksempel «fastlege», «verge», «kontaktlærer»."),
        error_messages={"required": _("Skriv hvilken rolle deltakeren har.")},
    )
    contribution = forms.CharField(
        label=_("Bidrar med"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "relative").queryset = Relative.objects.filter(person=person)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        chosen = [cleaned.get(name) for name in ("staff", "unit", "relative")]
        if sum(value is not None for value in chosen) != 1:
            raise forms.ValidationError(_("Velg én ansatt, én enhet eller én pårørende."))
        return cleaned


class EvaluationForm(forms.Form):
    goal = forms.ModelChoiceField(
        label=_("Hva evalueres"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("Hele planen"),
    )
    evaluated_on = _date(_("Dato"), required_message=_("Skriv inn datoen for evalueringen."))
    achievement = forms.ChoiceField(
        label=_("Måloppnåelse"),
        choices=[("", _("Ikke vurdert")), *Achievement.choices],
        required=False,
        help_text=_("Når et mål evalueres, oppdateres målets måloppnåelse."),
    )
    text = forms.CharField(
        label=_("Evaluering"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hva har fungert, hva må endres?"),
        error_messages={"required": _("Skriv hva evalueringen viste.")},
    )

    def __init__(self, *args: Any, plan: IndividualPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        goals = Goal.objects.filter(plan=plan).order_by("position", "pk")
        model_choice_field(self, "goal").queryset = goals


class CloseForm(forms.Form):
    end_date = _date(_("Sluttdato"), required_message=_("Skriv inn sluttdatoen for planen."))
    note = forms.CharField(
        label=_("Grunn til avslutning"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv kort hvorfor planen avsluttes.")},
    )
