"""Individual plans with goals and measures; add a goal, change a goal (through the web's
goal form) or its status, add and change measures (through the web's measure form), all
through the plan services. Also what else the web offers: create and close a
plan, add, change and remove participants, add evaluations, appoint a coordinator and
end a coordinator's appointment, each through the web's form and service."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router, Status

from mestring.access.permissions import ACCESS_GRANT
from mestring.api.auth import context, endpoint
from mestring.api.errors import form_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import (
    MAX_ID,
    GoalIn,
    GoalOut,
    GoalStatusIn,
    MeasureIn,
    MeasureOut,
    MeasurePatchIn,
    PlanOut,
    PlanPage,
    responses,
)
from mestring.api.schemas_changes import (
    CoordinatorAppointIn,
    CoordinatorAssignmentOut,
    CoordinatorEndIn,
    EvaluationIn,
    EvaluationOut,
    GoalPatchIn,
    ParticipantIn,
    ParticipantOut,
    ParticipantPatchIn,
    PlanCloseIn,
    PlanCreateIn,
)
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person
from mestring.plans import services as plan_services
from mestring.plans.forms import (
    AppointForm,
    CloseForm,
    EndAssignmentForm,
    EvaluationForm,
    GoalForm,
    MeasureForm,
    ParticipantForm,
    PlanCreateForm,
    measure_initial,
)
from mestring.plans.models import (
    CoordinatorAssignment,
    Evaluation,
    Goal,
    IndividualPlan,
    Measure,
    PlanParticipant,
)
from mestring.plans.revisions import measure_responsible, staff_name

router = Router(tags=["Individuelle planer"])


def _plans(person: Person) -> QuerySet[IndividualPlan]:
    measures = Measure.objects.select_related(
        "responsible_unit", "responsible_staff__user"
    ).order_by("start_on", "pk")
    return (
        IndividualPlan.objects.filter(person=person)
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("position", "pk")),
            Prefetch("measures", queryset=measures),
        )
        .order_by("-start_date", "-pk")
    )


def goal_out(goal: Goal) -> dict:
    return {
        "id": goal.pk,
        "plan_id": goal.plan_id,
        "text": goal.text,
        "status": goal.status,
        "achievement": goal.achievement,
        "target_date": goal.target_date,
        "position": goal.position,
    }


def measure_out(measure: Measure) -> dict:
    return {
        "id": measure.pk,
        "plan_id": measure.plan_id,
        "goal_id": measure.goal_id,
        "title": measure.title,
        "scope": measure.scope,
        "how": measure.how,
        "responsible": measure_responsible(measure),
        "responsible_unit_id": measure.responsible_unit_id,
        "responsible_staff_id": measure.responsible_staff_id,
        "responsible_other": measure.responsible_other,
        "start_on": measure.start_on,
        "end_on": measure.end_on,
        "decision_id": measure.decision_id,
    }


def plan_out(plan: IndividualPlan) -> dict:
    return {
        "id": plan.pk,
        "person_id": plan.person_id,
        "status": plan.status,
        "version": plan.version,
        "start_date": plan.start_date,
        "end_date": plan.end_date,
        "next_revision_on": plan.next_revision_on,
        "what_matters": plan.what_matters,
        "closed_on": plan.closed_on,
        "goals": [goal_out(g) for g in plan.goals.all()],
        "measures": [measure_out(m) for m in plan.measures.all()],
    }


@router.get(
    "/{person_id}/plans/",
    response=responses({200: PlanPage}),
    summary="Personens individuelle planer med mål og tiltak",
    description="Tilgang: `plans:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="plans:read", object_type="plan", person=True)
def plan_list(
    request: HttpRequest,
    paging: Query[Paging],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return page_of(_plans(person), paging, plan_out)


@router.get(
    "/{person_id}/plans/{plan_id}/",
    response=responses({200: PlanOut}),
    summary="Én individuell plan med mål og tiltak",
    description="Tilgang: `plans:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="plans:read", object_type="plan", person=True)
def plan_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return plan_out(get_object_or_404(_plans(person), pk=plan_id))


@router.post(
    "/{person_id}/plans/{plan_id}/goals/",
    response=responses({201: GoalOut}),
    summary="Legg til et mål i planen",
    description=(
        "Som i nettløsningen: planen må være aktiv og samtykket gjelde. Med "
        "`expected_version` avvises lagringen (409) hvis noen har endret planen i mellomtiden. "
        "Tilgang: `plans:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="plans:write", object_type="plan", person=True, action=AuditAction.UPDATE)
def goal_create(
    request: HttpRequest,
    data: GoalIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    plan = get_object_or_404(IndividualPlan, pk=plan_id, person=person)
    goal = plan_services.goal_add(
        actor=context(request).actor,
        plan=plan,
        text=data.text,
        status=data.status,
        target_date=data.target_date,
        expected_version=data.expected_version,
    )
    return Status(201, goal_out(goal))


@router.post(
    "/{person_id}/plans/{plan_id}/goals/{goal_id}/status/",
    response=responses({200: GoalOut}),
    summary="Endre et måls status (og måloppnåelse)",
    description=(
        "Statusendringer følger de samme reglene som i nettløsningen (409 ellers). "
        "`expected_version` er planens versjon. Tilgang: `plans:write`, og tjenstlig behov."
    ),
)
@endpoint(scope="plans:write", object_type="plan", person=True, action=AuditAction.UPDATE)
def goal_status(
    request: HttpRequest,
    data: GoalStatusIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    goal_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    goal = get_object_or_404(
        Goal.objects.select_related("plan__person"),
        pk=goal_id,
        plan_id=plan_id,
        plan__person=person,
    )
    changes: dict = {"status": data.status}
    if data.achievement is not None:
        changes["achievement"] = data.achievement
    goal = plan_services.goal_update(
        actor=context(request).actor,
        goal=goal,
        expected_version=data.expected_version,
        data=changes,
    )
    return goal_out(goal)


# --- Measures

# The API's field → the web form's field (the form takes ids for its choices).
_MEASURE_FIELDS = {
    "title": "title",
    "goal_id": "goal",
    "scope": "scope",
    "how": "how",
    "responsible_unit_id": "responsible_unit",
    "responsible_staff_id": "responsible_staff",
    "responsible_other": "responsible_other",
    "start_on": "start_on",
    "end_on": "end_on",
    "decision_id": "decision",
}
_API_FIELDS = {form: api for api, form in _MEASURE_FIELDS.items()}


def _measure_form(plan: IndividualPlan, values: dict[str, Any]) -> dict[str, Any]:
    """Check the values with the web's form; its cleaned data is what the service takes."""
    data = {form: values.get(api) for api, form in _MEASURE_FIELDS.items()}
    data = {name: "" if value is None else value for name, value in data.items()}
    data["version"] = plan.version  # the lock is the service's, with expected_version
    form = MeasureForm(data, plan=plan)
    if not form.is_valid():
        raise form_invalid(form, _API_FIELDS, unknown="body")
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


def _plan_of(person: Person, plan_id: int) -> IndividualPlan:
    """The person's plan; whether it may be changed (not closed, not changed since the
    client read it, consent in force) is the service's to say."""
    return get_object_or_404(
        IndividualPlan.objects.select_related("person"), pk=plan_id, person=person
    )


def _measure_read(measure_id: int, plan: IndividualPlan) -> dict:
    measure = Measure.objects.select_related("responsible_unit", "responsible_staff__user").get(
        pk=measure_id, plan=plan
    )
    return measure_out(measure)


@router.post(
    "/{person_id}/plans/{plan_id}/measures/",
    response=responses({201: MeasureOut}),
    summary="Legg til et tiltak i planen",
    description=(
        "Som «Nytt tiltak» i nettløsningen: samme felt og kontroller. Noen må være ansvarlig "
        "(enhet, ansatt eller andre), målet må høre til planen og vedtaket til personen. "
        "Planen må være aktiv (409 ellers) og samtykket gjelde (409 ellers). Med "
        "`expected_version` avvises lagringen (409) hvis planen er endret i mellomtiden. "
        "Tilgang: `plans:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="plans:write", object_type="plan", person=True, action=AuditAction.UPDATE)
def measure_create(
    request: HttpRequest,
    data: MeasureIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    plan = _plan_of(person, plan_id)
    fields = _measure_form(plan, data.model_dump())
    measure = plan_services.measure_add(
        actor=context(request).actor,
        plan=plan,
        data=fields,
        expected_version=data.expected_version,
    )
    return Status(201, _measure_read(measure.pk, plan))


@router.patch(
    "/{person_id}/plans/{plan_id}/measures/{measure_id}/",
    response=responses({200: MeasureOut}),
    summary="Endre et tiltak",
    description=(
        "Som «Endre tiltak» i nettløsningen. Felt som utelates, endres ikke; null tømmer et "
        "valg eller en dato. `expected_version` er planens versjon da du leste den: er planen "
        "endret siden, avvises lagringen (409). Tilgang: `plans:write`, og tjenstlig behov."
    ),
)
@endpoint(scope="plans:write", object_type="plan", person=True, action=AuditAction.UPDATE)
def measure_update(
    request: HttpRequest,
    data: MeasurePatchIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    measure_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    plan = _plan_of(person, plan_id)
    measure = get_object_or_404(Measure, pk=measure_id, plan=plan)
    # The web form shows the stored values; the changes go on top of them.
    values = {
        api: value
        for form, value in measure_initial(measure).items()
        if (api := _API_FIELDS.get(form))
    }
    values.update(data.model_dump(exclude_unset=True, exclude={"expected_version"}))
    fields = _measure_form(plan, values)
    measure.plan = plan
    plan_services.measure_update(
        actor=context(request).actor,
        measure=measure,
        expected_version=data.expected_version,
        data=fields,
    )
    return _measure_read(measure.pk, plan)


# --- Changing a goal

_GOAL_FIELDS = ("text", "status", "achievement", "target_date")


def _goal_form(plan: IndividualPlan, goal: Goal, values: dict[str, Any]) -> dict[str, Any]:
    """Check the values with the web's goal form; its cleaned data is what the service takes."""
    data = {name: "" if values[name] is None else values[name] for name in _GOAL_FIELDS}
    data["version"] = plan.version  # the lock is the service's, with expected_version
    form = GoalForm(data, goal=goal)
    if not form.is_valid():
        raise form_invalid(form, {name: name for name in _GOAL_FIELDS}, unknown="body")
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@router.patch(
    "/{person_id}/plans/{plan_id}/goals/{goal_id}/",
    response=responses({200: GoalOut}),
    summary="Endre et mål (tekst, status, måloppnåelse, ønsket dato)",
    description=(
        "Som «Endre mål» i nettløsningen: samme felt og kontroller. Felt som utelates (eller "
        "er null), endres ikke; for `target_date` tømmer null datoen. Statusendringer følger "
        "de samme reglene som i nettløsningen (409 ellers). `expected_version` er planens "
        "versjon da du leste den: er planen endret siden, avvises lagringen (409). Planen må "
        "være aktiv (409 ellers) og samtykket gjelde (409 ellers). Tilgang: `plans:write`, "
        "og tjenstlig behov for personen."
    ),
)
@endpoint(scope="plans:write", object_type="plan", person=True, action=AuditAction.UPDATE)
def goal_change(
    request: HttpRequest,
    data: GoalPatchIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    goal_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    plan = _plan_of(person, plan_id)
    goal = get_object_or_404(Goal, pk=goal_id, plan=plan)
    goal.plan = plan
    # The web form shows the stored values; the changes go on top of them.
    values: dict[str, Any] = {name: getattr(goal, name) for name in _GOAL_FIELDS}
    sent = data.model_dump(exclude_unset=True, exclude={"expected_version"})
    values.update(
        {name: value for name, value in sent.items() if value is not None or name == "target_date"}
    )
    fields = _goal_form(plan, goal, values)
    goal = plan_services.goal_update(
        actor=context(request).actor,
        goal=goal,
        expected_version=data.expected_version,
        data=fields,
    )
    return goal_out(goal)


# --- What else the web offers: create and close a plan, participants, evaluations and
# appointing a coordinator. Each goes through the web's form, then its service.

WRITE = "Tilgang: `plans:write`, og tjenstlig behov for personen."


def _checked(form: Any, fields: dict[str, str]) -> dict[str, Any]:
    """The form's cleaned data, or 422 with the API's field names (`fields`: the API's
    field → the form's field); errors not about one field are about the body."""
    if not form.is_valid():
        api_names = {name: api for api, name in fields.items()}
        raise form_invalid(form, api_names, unknown="body")
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


def _posted(values: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """The API's values as the web's form would receive them."""
    data = {form: values.get(api) for api, form in fields.items()}
    return {name: "" if value is None else value for name, value in data.items()}


def _plan_read(person: Person, plan_id: int) -> dict:
    return plan_out(_plans(person).get(pk=plan_id))


_PLAN_CREATE_FIELDS = {
    "consent_id": "consent",
    "responsible_unit_id": "responsible_unit",
    "start_date": "start_date",
    "end_date": "end_date",
    "next_revision_on": "next_revision_on",
    "decision_id": "decision",
    "what_matters": "what_matters",
}


@router.post(
    "/{person_id}/plans/",
    response=responses({201: PlanOut}),
    summary="Opprett en individuell plan",
    description=(
        "Som «Opprett plan» i nettløsningen: samme felt og kontroller. `consent_id` må være "
        "et gjeldende samtykke til individuell plan fra personen (422 ellers), og vedtaket "
        "må høre til personen. Har personen allerede en aktiv plan, avvises det (409). " + WRITE
    ),
)
@endpoint(
    scope="plans:write", object_type="individual_plan", person=True, action=AuditAction.CREATE
)
def plan_create(
    request: HttpRequest,
    data: PlanCreateIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    form = PlanCreateForm(_posted(data.model_dump(), _PLAN_CREATE_FIELDS), person=person)
    fields = _checked(form, _PLAN_CREATE_FIELDS)
    plan = plan_services.plan_create(actor=context(request).actor, person=person, **fields)
    return Status(201, _plan_read(person, plan.pk))


_CLOSE_FIELDS = {"end_date": "end_date", "note": "note"}


@router.post(
    "/{person_id}/plans/{plan_id}/close/",
    response=responses({200: PlanOut}),
    summary="Avslutt en individuell plan",
    description=(
        "Som «Avslutt planen» i nettløsningen: sluttdato og grunn. Deretter kan planen leses, "
        "men ikke endres. Går også når samtykket er trukket tilbake. En plan som allerede er "
        "avsluttet, gir 409; med `expected_version` avvises det også (409) hvis planen er "
        "endret siden du leste den. " + WRITE
    ),
)
@endpoint(scope="plans:write", object_type="individual_plan", person=True, action=AuditAction.CLOSE)
def plan_close(
    request: HttpRequest,
    data: PlanCloseIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    plan = _plan_of(person, plan_id)
    fields = _checked(CloseForm(_posted(data.model_dump(), _CLOSE_FIELDS)), _CLOSE_FIELDS)
    plan_services.plan_close(
        actor=context(request).actor,
        plan=plan,
        end_date=fields["end_date"],
        note=fields["note"],
        expected_version=data.expected_version,
    )
    return _plan_read(person, plan.pk)


# --- Participants

_PARTICIPANT_FIELDS = {
    "staff_id": "staff",
    "unit_id": "unit",
    "relative_id": "relative",
    "role": "role",
    "contribution": "contribution",
}


def participant_out(participant: PlanParticipant) -> dict:
    if participant.staff is not None:
        name = staff_name(participant.staff)
    elif participant.unit is not None:
        name = participant.unit.name
    else:
        name = participant.relative.name if participant.relative is not None else ""
    return {
        "id": participant.pk,
        "plan_id": participant.plan_id,
        "staff_id": participant.staff_id,
        "unit_id": participant.unit_id,
        "relative_id": participant.relative_id,
        "name": name,
        "role": participant.role,
        "contribution": participant.contribution,
    }


@router.post(
    "/{person_id}/plans/{plan_id}/participants/",
    response=responses({201: ParticipantOut}),
    summary="Legg til en deltaker i planen",
    description=(
        "Som «Ny deltaker» i nettløsningen: nøyaktig én av `staff_id`, `unit_id` og "
        "`relative_id` (en av personens pårørende), og rollen. Planen må være aktiv (409 "
        "ellers) og samtykket gjelde (409 ellers). Med `expected_version` avvises lagringen "
        "(409) hvis planen er endret i mellomtiden. " + WRITE
    ),
)
@endpoint(
    scope="plans:write", object_type="plan_participant", person=True, action=AuditAction.UPDATE
)
def participant_add(
    request: HttpRequest,
    data: ParticipantIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    plan = _plan_of(person, plan_id)
    posted = _posted(data.model_dump(), _PARTICIPANT_FIELDS)
    posted["version"] = plan.version  # the lock is the service's, with expected_version
    fields = _checked(ParticipantForm(posted, person=person), _PARTICIPANT_FIELDS)
    participant = plan_services.participant_add(
        actor=context(request).actor,
        plan=plan,
        data=fields,
        expected_version=data.expected_version,
    )
    participant = PlanParticipant.objects.select_related("staff__user", "unit", "relative").get(
        pk=participant.pk
    )
    return Status(201, participant_out(participant))


def _participant_read(participant: PlanParticipant) -> dict:
    participant = PlanParticipant.objects.select_related("staff__user", "unit", "relative").get(
        pk=participant.pk
    )
    return participant_out(participant)


# The choices a PATCH may clear with null; for the texts null means «not changed».
_PARTICIPANT_CHOICES = ("staff_id", "unit_id", "relative_id")


@router.patch(
    "/{person_id}/plans/{plan_id}/participants/{participant_id}/",
    response=responses({200: ParticipantOut}),
    summary="Endre en deltaker i planen (hvem, rolle, bidrag)",
    description=(
        "Som «Endre deltaker» i nettløsningen: samme felt og kontroller. Felt som utelates, "
        "endres ikke; null i `staff_id`, `unit_id` eller `relative_id` fjerner det valget, "
        "og etter endringen må nøyaktig én av dem være valgt (422 ellers). Null i `role` "
        "eller `contribution` endrer ikke feltet. `expected_version` er planens versjon da "
        "du leste den: er planen endret siden, avvises lagringen (409). Planen må være aktiv "
        "(409 ellers) og samtykket gjelde (409 ellers). " + WRITE
    ),
)
@endpoint(
    scope="plans:write", object_type="plan_participant", person=True, action=AuditAction.UPDATE
)
def participant_change(
    request: HttpRequest,
    data: ParticipantPatchIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    participant_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    plan = _plan_of(person, plan_id)
    participant = get_object_or_404(PlanParticipant, pk=participant_id, plan=plan)
    participant.plan = plan
    # The web form shows the stored values; the changes go on top of them.
    values: dict[str, Any] = {
        api: getattr(participant, api if api.endswith("_id") else form)
        for api, form in _PARTICIPANT_FIELDS.items()
    }
    sent = data.model_dump(exclude_unset=True, exclude={"expected_version"})
    values.update(
        {
            name: value
            for name, value in sent.items()
            if value is not None or name in _PARTICIPANT_CHOICES
        }
    )
    posted = _posted(values, _PARTICIPANT_FIELDS)
    posted["version"] = plan.version  # the lock is the service's, with expected_version
    fields = _checked(ParticipantForm(posted, person=person), _PARTICIPANT_FIELDS)
    participant = plan_services.participant_update(
        actor=context(request).actor,
        participant=participant,
        expected_version=data.expected_version,
        data=fields,
    )
    return _participant_read(participant)


@router.delete(
    "/{person_id}/plans/{plan_id}/participants/{participant_id}/",
    response=responses({204: None}),
    summary="Fjern en deltaker fra planen",
    description=(
        "Som «Fjern» i nettløsningen; svarer 204 uten innhold. Planen må være aktiv (409 "
        "ellers) og samtykket gjelde (409 ellers). Med `expected_version` avvises det (409) "
        "hvis planen er endret i mellomtiden. " + WRITE
    ),
)
@endpoint(
    scope="plans:write", object_type="plan_participant", person=True, action=AuditAction.UPDATE
)
def participant_remove(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    participant_id: int = Path(..., ge=1, le=MAX_ID),
    expected_version: int | None = Query(
        None, ge=1, le=MAX_ID, description="Planens versjon da du leste den."
    ),
    *,
    person: Person,
) -> Status:
    plan = _plan_of(person, plan_id)
    participant = get_object_or_404(PlanParticipant, pk=participant_id, plan=plan)
    participant.plan = plan
    plan_services.participant_remove(
        actor=context(request).actor,
        participant=participant,
        expected_version=expected_version,
    )
    return Status(204, None)


# --- Evaluations

_EVALUATION_FIELDS = {
    "goal_id": "goal",
    "evaluated_on": "evaluated_on",
    "achievement": "achievement",
    "text": "text",
}


def evaluation_out(evaluation: Evaluation) -> dict:
    return {
        "id": evaluation.pk,
        "plan_id": evaluation.plan_id,
        "goal_id": evaluation.goal_id,
        "evaluated_on": evaluation.evaluated_on,
        "achievement": evaluation.achievement,
        "text": evaluation.text,
        "evaluated_by_id": evaluation.evaluated_by_id,
    }


@router.post(
    "/{person_id}/plans/{plan_id}/evaluations/",
    response=responses({201: EvaluationOut}),
    summary="Legg til en evaluering av planen eller et mål",
    description=(
        "Som «Ny evaluering» i nettløsningen: ett mål i planen (`goal_id`) eller hele planen. "
        "Når et mål evalueres med `achievement`, oppdateres målets måloppnåelse. Datoen kan "
        "ikke være fram i tid (422). Planen må være aktiv (409 ellers) og samtykket gjelde "
        "(409 ellers). Med `expected_version` avvises lagringen (409) hvis planen er endret "
        "i mellomtiden. " + WRITE
    ),
)
@endpoint(
    scope="plans:write", object_type="plan_evaluation", person=True, action=AuditAction.UPDATE
)
def evaluation_add(
    request: HttpRequest,
    data: EvaluationIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    plan = _plan_of(person, plan_id)
    form = EvaluationForm(_posted(data.model_dump(), _EVALUATION_FIELDS), plan=plan)
    fields = _checked(form, _EVALUATION_FIELDS)
    evaluation = plan_services.evaluation_add(
        actor=context(request).actor,
        plan=plan,
        expected_version=data.expected_version,
        **fields,
    )
    return Status(201, evaluation_out(evaluation))


# --- Appointing a coordinator

_APPOINT_FIELDS = {
    "coordinator_id": "coordinator",
    "started_on": "started_on",
    "person_wish": "person_wish",
    "declined_individual_plan": "declined_individual_plan",
    "decision_id": "decision",
}


def assignment_out(assignment: CoordinatorAssignment) -> dict:
    return {
        "id": assignment.pk,
        "person_id": assignment.person_id,
        "coordinator_id": assignment.coordinator_id,
        "coordinator_name": staff_name(assignment.coordinator),
        "started_on": assignment.started_on,
        "ended_on": assignment.ended_on,
        "person_wish": assignment.person_wish,
        "declined_individual_plan": assignment.declined_individual_plan,
        "decision_id": assignment.decision_id,
    }


@router.post(
    "/{person_id}/coordinator/",
    response=responses({201: CoordinatorAssignmentOut}),
    summary="Oppnevn koordinator for personen",
    description=(
        "Som «Oppnevn koordinator» i nettløsningen: en aktiv koordinator i "
        "koordinatorgruppen, fra en dato som ikke er fram i tid. Har personen en annen "
        "koordinator, avsluttes den dagen den nye begynner; er den valgte allerede "
        "koordinator, avvises det (409). Koordinatoren får tjenstlig behov for personen. "
        "Tilgang: `plans:write` og tillatelsen «Gi tilgang til personer» (`access.grant`, "
        "koordinerende enhet); som i nettløsningen trengs ikke tjenstlig behov for personen."
    ),
)
@endpoint(
    scope="plans:write",
    object_type="coordinator_assignment",
    permission=ACCESS_GRANT,
    person=True,
    action=AuditAction.APPOINT,
    administrative_permission=ACCESS_GRANT,
)
def coordinator_appoint(
    request: HttpRequest,
    data: CoordinatorAppointIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    form = AppointForm(_posted(data.model_dump(), _APPOINT_FIELDS), person=person)
    fields = _checked(form, _APPOINT_FIELDS)
    assignment = plan_services.coordinator_appoint(
        actor=context(request).actor, person=person, **fields
    )
    assignment = CoordinatorAssignment.objects.select_related("coordinator__user").get(
        pk=assignment.pk
    )
    return Status(201, assignment_out(assignment))


@router.post(
    "/{person_id}/coordinator/{assignment_id}/end/",
    response=responses({200: CoordinatorAssignmentOut}),
    summary="Avslutt en koordinatoroppnevning",
    description=(
        "Som «Avslutt» på koordinatorsiden i nettløsningen: siste dag (`ended_on`, utelatt: "
        "i dag) kan ikke være fram i tid eller før koordinatoren begynte (422 ellers). "
        "Koordinatorens tjenstlige behov som fulgte med oppnevningen, avsluttes også. En "
        "oppnevning som allerede er avsluttet, gir 409. Tilgang: `plans:write` og "
        "tillatelsen «Gi tilgang til personer» (`access.grant`, koordinerende enhet); som i "
        "nettløsningen trengs ikke tjenstlig behov for personen."
    ),
)
@endpoint(
    scope="plans:write",
    object_type="coordinator_assignment",
    permission=ACCESS_GRANT,
    person=True,
    action=AuditAction.END,
    administrative_permission=ACCESS_GRANT,
)
def coordinator_end(
    request: HttpRequest,
    data: CoordinatorEndIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    assignment_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    assignment = get_object_or_404(
        CoordinatorAssignment.objects.select_related("person", "coordinator__user"),
        pk=assignment_id,
        person=person,
    )
    values = {"ended_on": data.ended_on or timezone.localdate()}
    fields = _checked(EndAssignmentForm(values), {"ended_on": "ended_on"})
    assignment = plan_services.coordinator_end(
        actor=context(request).actor, assignment=assignment, ended_on=fields["ended_on"]
    )
    return assignment_out(assignment)
