"""Writes about coordinators and individual plans. One transaction and one audit row each.

Every change to a plan goes through `_claim_version`: a conditional UPDATE that bumps
the plan's version only if the plan is still open and (for edits) still the version
the user opened. Then the change is made and a revision with a snapshot is saved, so
revision number = plan version, and no save can silently overwrite another.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose, CareRelationKind, Consent, ConsentKind
from mestring.access.selectors import consent_in_force
from mestring.access.services import care_relation_grant, care_relations_end_for
from mestring.casework.models import Decision
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, RuleBroken
from mestring.kernel.states import (
    TransitionNotAllowed,
    check_transition,
    record_initial_status,
    transition,
)
from mestring.people.models import Person, Relative, Staff, Unit
from mestring.plans import selectors
from mestring.plans.models import (
    GOAL_TRANSITIONS,
    Achievement,
    CoordinatorAssignment,
    CoordinatorProfile,
    CoordinatorTraining,
    Evaluation,
    Goal,
    GoalStatus,
    GoalStatusChange,
    IndividualPlan,
    Measure,
    PlanParticipant,
    PlanRevision,
    PlanStatus,
    SupervisionSession,
)
from mestring.plans.revisions import build_snapshot, show_date


class PlanRuleError(RuleBroken):
    """A request the rules do not allow; the message is for the user."""

    code = "plan_rule"


class PlanStateConflict(Conflict, PlanRuleError):
    """The plan or appointment is in a state that does not allow this now (an active
    plan already there, an appointment already ended, a goal status the table refuses)."""

    code = "plan_state"


class PlanChanged(Conflict, PlanRuleError):
    """Someone saved the plan after the user opened it (optimistic lock)."""

    code = "plan_changed"

    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class PlanClosed(Conflict, PlanRuleError):
    """A closed plan is read-only."""

    code = "plan_closed"


class ConsentMissing(Conflict, PlanRuleError):
    """The person's consent to an individual plan is withdrawn or expired: the plan
    cannot be changed until a new one is registered."""

    code = "consent_missing"


def _closed_message() -> str:
    return _("Planen er avsluttet og kan ikke endres.")


# --- The coordinator pool (administration)


def _admin_event(actor: Actor, action: str, object_type: str, object_id: object) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=AuditPurpose.ADMINISTRATION,
    )


def coordinator_add(
    *, actor: Actor, staff: Staff, joined_on: datetime.date | None = None, note: str = ""
) -> CoordinatorProfile:
    if not staff.is_active:
        raise PlanRuleError(_("Bare aktive ansatte kan være koordinatorer."))
    if CoordinatorProfile.objects.filter(staff=staff).exists():
        raise PlanRuleError(_("%(name)s er allerede i koordinatorgruppen.") % {"name": staff})
    with transaction.atomic():
        profile = CoordinatorProfile.objects.create(
            staff=staff, joined_on=joined_on or timezone.localdate(), note=note.strip()
        )
        _admin_event(actor, AuditAction.CREATE, "coordinator", profile.pk)
    return profile


def coordinator_deactivate(*, actor: Actor, coordinator: CoordinatorProfile) -> CoordinatorProfile:
    """Out of the pool; only when nobody depends on them as coordinator any more."""
    caseload = CoordinatorAssignment.objects.filter(
        coordinator=coordinator.staff, ended_on__isnull=True
    ).count()
    if caseload:
        raise PlanRuleError(
            _(
                "Koordinatoren har %(count)s personer nå. Oppnevn ny koordinator for dem "
                "før du tar koordinatoren ut av gruppen."
            )
            % {"count": caseload}
        )
    with transaction.atomic():
        coordinator.is_active = False
        coordinator.save(update_fields=["is_active"])
        _admin_event(actor, AuditAction.DEACTIVATE, "coordinator", coordinator.pk)
    return coordinator


def coordinator_reactivate(*, actor: Actor, coordinator: CoordinatorProfile) -> CoordinatorProfile:
    if not coordinator.staff.is_active:
        raise PlanRuleError(_("Bare aktive ansatte kan være koordinatorer."))
    with transaction.atomic():
        coordinator.is_active = True
        coordinator.save(update_fields=["is_active"])
        _admin_event(actor, AuditAction.ACTIVATE, "coordinator", coordinator.pk)
    return coordinator


def training_add(
    *, actor: Actor, coordinator: CoordinatorProfile, course: str, completed_on: datetime.date
) -> CoordinatorTraining:
    if not course.strip():
        raise PlanRuleError(_("Skriv navnet på kurset."))
    if completed_on > timezone.localdate():
        raise PlanRuleError(_("Datoen for opplæringen kan ikke være fram i tid."))
    with transaction.atomic():
        training = CoordinatorTraining.objects.create(
            coordinator=coordinator, course=course.strip(), completed_on=completed_on
        )
        _admin_event(actor, AuditAction.CREATE, "coordinator_training", training.pk)
    return training


def supervision_add(
    *,
    actor: Actor,
    coordinator: CoordinatorProfile,
    held_on: datetime.date,
    topic: str,
    supervisor: str = "",
) -> SupervisionSession:
    if not topic.strip():
        raise PlanRuleError(_("Skriv temaet for veiledningen."))
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            coordinator=coordinator, held_on=held_on, topic=topic.strip(), supervisor=supervisor
        )
        _admin_event(actor, AuditAction.CREATE, "coordinator_supervision", session.pk)
    return session


# --- Appointing a coordinator for a person


def _check_decision(decision: Decision | None, person: Person) -> None:
    if decision is not None and decision.case.person_id != person.pk:
        raise PlanRuleError(_("Vedtaket gjelder en annen person."))


def _check_not_future(day: datetime.date, message: str, field: str) -> None:
    # Access follows the appointment; one dated ahead would open or close it too early.
    if day > timezone.localdate():
        raise PlanRuleError(message, field=field)


def coordinator_end(
    *, actor: Actor, assignment: CoordinatorAssignment, ended_on: datetime.date | None = None
) -> CoordinatorAssignment:
    """End the appointment and the coordinator's access that came with it."""
    ended_on = ended_on or timezone.localdate()
    if assignment.ended_on is not None:
        raise PlanStateConflict(_("Oppnevningen er allerede avsluttet."))
    if ended_on < assignment.started_on:
        raise PlanRuleError(
            _("Sluttdatoen kan ikke være før koordinatoren begynte."), field="ended_on"
        )
    _check_not_future(ended_on, _("Sluttdatoen kan ikke være fram i tid."), "ended_on")
    with transaction.atomic():
        assignment.ended_on = ended_on
        assignment.save(update_fields=["ended_on"])
        care_relations_end_for(
            actor=actor,
            person=assignment.person,
            staff=assignment.coordinator,
            kind=CareRelationKind.COORDINATOR,
        )
        record_event(
            actor=actor,
            action=AuditAction.END,
            object_type="coordinator_assignment",
            object_id=assignment.pk,
            person=assignment.person,
        )
    return assignment


def coordinator_appoint(
    *,
    actor: Actor,
    person: Person,
    coordinator: Staff,
    started_on: datetime.date,
    person_wish: str = "",
    declined_individual_plan: bool = False,
    decision: Decision | None = None,
) -> CoordinatorAssignment:
    """Appoint (or change) the person's coordinator, who then has a care relation.

    Also when the person declines an individual plan: the right to a coordinator does
    not depend on having a plan, so the wish is recorded either way.
    """
    if not selectors.coordinator_choices().filter(pk=coordinator.pk).exists():
        raise PlanRuleError(_("Velg en aktiv koordinator fra koordinatorgruppen."))
    _check_decision(decision, person)
    _check_not_future(
        started_on,
        _("Startdatoen kan ikke være fram i tid. Oppnevn koordinatoren fra den dagen."),
        "started_on",
    )
    with transaction.atomic():
        current = (
            CoordinatorAssignment.objects.select_for_update()
            .filter(person=person, ended_on__isnull=True)
            .select_related("person", "coordinator")
            .first()
        )
        if current is not None:
            if current.coordinator_id == coordinator.pk:
                raise PlanStateConflict(
                    _("%(name)s er allerede personens koordinator.") % {"name": coordinator}
                )
            if started_on < current.started_on:
                raise PlanRuleError(
                    _("Ny koordinator kan ikke begynne før den forrige (%(day)s).")
                    % {"day": show_date(current.started_on)}
                )
            coordinator_end(actor=actor, assignment=current, ended_on=started_on)
        assignment = CoordinatorAssignment.objects.create(
            person=person,
            coordinator=coordinator,
            decision=decision,
            person_wish=person_wish.strip(),
            declined_individual_plan=declined_individual_plan,
            started_on=started_on,
        )
        care_relation_grant(
            actor=actor,
            person=person,
            kind=CareRelationKind.COORDINATOR,
            reason=_("Oppnevnt som koordinator %(day)s") % {"day": show_date(started_on)},
            staff=coordinator,
        )
        record_event(
            actor=actor,
            action=AuditAction.APPOINT,
            object_type="coordinator_assignment",
            object_id=assignment.pk,
            person=person,
        )
    return assignment


# --- Individual plans: the shared steps of every write


def _changed_message(plan: IndividualPlan) -> str:
    last = PlanRevision.objects.filter(plan=plan).select_related("saved_by").order_by("-number")
    revision = last.first()
    name = _("en annen bruker")
    saved_at = plan.updated_at
    if revision is not None:
        saved_at = revision.saved_at
        if revision.saved_by is not None:
            name = revision.saved_by.get_full_name() or revision.saved_by.username
    local = timezone.localtime(saved_at)
    when = local.strftime("%H:%M")
    if local.date() != timezone.localdate():
        when = f"{local:%d.%m.%Y} {when}"
    return _(
        "Planen er endret av %(name)s kl. %(time)s etter at du åpnet den. Teksten din er "
        "tatt vare på under. Se endringene og lagre på nytt."
    ) % {"name": name, "time": when}


def _claim_version(
    plan: IndividualPlan,
    expected_version: int | None,
    *,
    fields: dict[str, Any] | None = None,
    needs_consent: bool = True,
) -> None:
    """Bump the version in one conditional UPDATE, or refuse.

    0 rows means the plan is closed, or (with `expected_version`) someone saved in
    between. The UPDATE also holds the row until commit, which keeps revision numbers
    in order under concurrent saves.
    """
    filters: dict[str, Any] = {"pk": plan.pk, "status": PlanStatus.ACTIVE}
    if expected_version is not None:
        filters["version"] = expected_version
    rows = IndividualPlan.objects.filter(**filters).update(
        **(fields or {}), version=F("version") + 1, updated_at=timezone.now()
    )
    plan.refresh_from_db()
    if rows == 0:
        if plan.is_closed:
            raise PlanClosed(_closed_message())
        raise PlanChanged(_changed_message(plan), plan.version)
    if needs_consent and not consent_in_force(plan.person, ConsentKind.INDIVIDUAL_PLAN):
        raise ConsentMissing(
            _(
                "Samtykket til individuell plan er trukket tilbake eller utløpt. Registrer "
                "nytt samtykke før planen endres."
            )
        )


def _save_revision(actor: Actor, plan: IndividualPlan, summary: str) -> PlanRevision:
    content = selectors.plan_content(plan)
    return PlanRevision.objects.create(
        plan=plan,
        number=plan.version,
        snapshot=build_snapshot(content),
        saved_by=actor.user,
        summary=summary,
    )


def _plan_event(actor: Actor, plan: IndividualPlan, action: str, object_type: str, pk: int) -> None:
    record_event(
        actor=actor, action=action, object_type=object_type, object_id=pk, person=plan.person
    )


def _check_period(start: datetime.date | None, end: datetime.date | None, message: str) -> None:
    if start and end and end < start:
        raise PlanRuleError(message)


def _check_plan_dates(
    start: datetime.date, end: datetime.date | None, next_revision: datetime.date | None
) -> None:
    _check_period(start, end, _("Sluttdatoen for planen kan ikke være før startdatoen."))
    _check_period(start, next_revision, _("Neste revisjon kan ikke være før planen starter."))


# --- Individual plans


def plan_create(
    *,
    actor: Actor,
    person: Person,
    consent: Consent | None,
    responsible_unit: Unit,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    next_revision_on: datetime.date | None = None,
    decision: Decision | None = None,
    what_matters: str = "",
) -> IndividualPlan:
    if (
        consent is None
        or not Consent.objects.in_force()
        .filter(pk=consent.pk, person=person, kind=ConsentKind.INDIVIDUAL_PLAN)
        .exists()
    ):
        raise PlanRuleError(
            _(
                "Planen kan ikke opprettes uten samtykke til individuell plan. Registrer "
                "samtykket først, og velg det her."
            )
        )
    _check_plan_dates(start_date, end_date, next_revision_on)
    _check_decision(decision, person)
    if IndividualPlan.objects.filter(person=person, status=PlanStatus.ACTIVE).exists():
        raise PlanStateConflict(_("Personen har allerede en aktiv plan. Endre den i stedet."))
    try:
        with transaction.atomic():
            plan = IndividualPlan.objects.create(
                person=person,
                consent=consent,
                responsible_unit=responsible_unit,
                start_date=start_date,
                end_date=end_date,
                next_revision_on=next_revision_on,
                decision=decision,
                what_matters=what_matters.strip(),
            )
            record_initial_status(plan, actor=actor)
            _save_revision(actor, plan, _("Planen er opprettet"))
            _plan_event(actor, plan, AuditAction.CREATE, "individual_plan", plan.pk)
    except IntegrityError as exc:
        # Two users creating at the same moment: the constraint lets only one through.
        raise PlanStateConflict(
            _("Personen har allerede en aktiv plan. Endre den i stedet.")
        ) from exc
    return plan


PLAN_FIELDS = (
    "responsible_unit",
    "start_date",
    "end_date",
    "next_revision_on",
    "decision",
    "what_matters",
    "resources_and_needs",
    "person_contribution",
    "relatives_contribution",
    "cooperation",
)
TEXT_FIELDS = {
    "what_matters",
    "resources_and_needs",
    "person_contribution",
    "relatives_contribution",
    "cooperation",
}


def plan_update(
    *, actor: Actor, plan: IndividualPlan, expected_version: int, data: dict[str, Any]
) -> IndividualPlan:
    """Save the plan's main fields, unless someone saved after `expected_version`."""
    fields = {name: data[name] for name in PLAN_FIELDS if name in data}
    for name in TEXT_FIELDS & fields.keys():
        fields[name] = (fields[name] or "").strip()
    _check_plan_dates(
        fields.get("start_date", plan.start_date),
        fields.get("end_date", plan.end_date),
        fields.get("next_revision_on", plan.next_revision_on),
    )
    _check_decision(fields.get("decision"), plan.person)
    with transaction.atomic():
        _claim_version(plan, expected_version, fields=fields)
        _save_revision(actor, plan, _("Planen er endret"))
        _plan_event(actor, plan, AuditAction.UPDATE, "individual_plan", plan.pk)
    return plan


def plan_close(
    *,
    actor: Actor,
    plan: IndividualPlan,
    end_date: datetime.date,
    note: str,
    expected_version: int | None = None,
) -> IndividualPlan:
    """Close with an end date; from then on the plan is read-only.

    Allowed without a consent in force: a withdrawn consent is a reason to close.
    """
    if not note.strip():
        raise PlanRuleError(_("Skriv kort hvorfor planen avsluttes."))
    _check_period(plan.start_date, end_date, _("Sluttdatoen kan ikke være før planen startet."))
    fields = {"end_date": end_date, "closed_on": end_date, "closing_note": note.strip()}
    with transaction.atomic():
        # The claim refuses a closed plan or a stale version and holds the row; the
        # status then moves by the table, leaving its history row.
        _claim_version(plan, expected_version, fields=fields, needs_consent=False)
        transition(plan, PlanStatus.CLOSED, actor=actor, reason=note.strip())
        _save_revision(actor, plan, _("Planen er avsluttet"))
        _plan_event(actor, plan, AuditAction.CLOSE, "individual_plan", plan.pk)
    return plan


# --- Goals


def _record_goal_history(actor: Actor, goal: Goal, from_status: str, from_ach: str) -> None:
    """A history row for a move of the achievement alone; a change of status writes its
    row through transition()."""
    if (from_status, from_ach) != (goal.status, goal.achievement):
        GoalStatusChange.objects.create(
            goal=goal,
            from_status=from_status,
            to_status=goal.status,
            from_achievement=from_ach,
            to_achievement=goal.achievement,
            changed_by=actor.user,
        )


def _check_goal_text(text: str) -> str:
    if not text.strip():
        raise PlanRuleError(_("Skriv målet med personens egne ord."))
    return text.strip()


def goal_add(
    *,
    actor: Actor,
    plan: IndividualPlan,
    text: str,
    status: str = GoalStatus.ACTIVE,
    achievement: str = Achievement.NOT_STARTED,
    target_date: datetime.date | None = None,
    expected_version: int | None = None,
) -> Goal:
    text = _check_goal_text(text)
    if status not in (GoalStatus.PROPOSED, GoalStatus.ACTIVE):
        raise PlanRuleError(_("Et nytt mål er enten foreslått eller aktivt."))
    with transaction.atomic():
        _claim_version(plan, expected_version)
        position = Goal.objects.filter(plan=plan).count()
        goal = Goal.objects.create(
            plan=plan,
            text=text,
            status=status,
            achievement=achievement,
            target_date=target_date,
            position=position,
        )
        _record_goal_history(actor, goal, "", "")
        _save_revision(actor, plan, _("Mål lagt til"))
        _plan_event(actor, plan, AuditAction.CREATE, "plan_goal", goal.pk)
    return goal


def goal_update(*, actor: Actor, goal: Goal, expected_version: int, data: dict[str, Any]) -> Goal:
    plan = goal.plan
    text = _check_goal_text(data.get("text", goal.text))
    status = data.get("status", goal.status)
    if status != goal.status and not goal.can_become(status):
        # Refused before the plan's version is claimed; transition() decides under the lock.
        _move_goal_refused(goal, status)
    with transaction.atomic():
        _claim_version(plan, expected_version)
        before = (goal.status, goal.achievement)
        changes = {
            "text": text,
            "achievement": data.get("achievement", goal.achievement),
            "target_date": data.get("target_date", goal.target_date),
        }
        if status != goal.status:
            _move_goal(actor, goal, status, before[1], changes)
        else:
            for name, value in changes.items():
                setattr(goal, name, value)
            goal.save(update_fields=list(changes))
            _record_goal_history(actor, goal, *before)
        _save_revision(actor, plan, _("Mål endret"))
        _plan_event(actor, plan, AuditAction.UPDATE, "plan_goal", goal.pk)
    return goal


def _move_goal_refused(goal: Goal, status: str) -> None:
    labels = dict(GoalStatus.choices)
    try:
        check_transition(GOAL_TRANSITIONS, goal.status, status, labels)
    except TransitionNotAllowed as exc:
        raise PlanStateConflict(str(exc)) from exc


def _move_goal(
    actor: Actor, goal: Goal, status: str, from_ach: str, changes: dict[str, Any]
) -> None:
    """Change the goal's status by its table, with the other changes in the same save
    and the achievement in the same history row."""
    history = {"from_achievement": from_ach, "to_achievement": changes["achievement"]}
    try:
        transition(goal, status, actor=actor, changes=changes, history=history)
    except TransitionNotAllowed as exc:
        raise PlanStateConflict(str(exc)) from exc


# --- Measures


MEASURE_FIELDS = (
    "title",
    "goal",
    "scope",
    "how",
    "responsible_unit",
    "responsible_staff",
    "responsible_other",
    "start_on",
    "end_on",
    "decision",
)


def _check_measure(plan: IndividualPlan, data: dict[str, Any]) -> dict[str, Any]:
    fields = {name: data.get(name) for name in MEASURE_FIELDS}
    for name in ("title", "scope", "how", "responsible_other"):
        fields[name] = (fields[name] or "").strip()
    if not fields["title"]:
        raise PlanRuleError(_("Skriv hva tiltaket er."))
    responsible = ("responsible_unit", "responsible_staff", "responsible_other")
    if not any(fields[name] for name in responsible):
        raise PlanRuleError(
            _("Velg hvem som er ansvarlig for tiltaket: en enhet, en ansatt eller andre.")
        )
    _check_period(
        fields["start_on"], fields["end_on"], _("Tiltaket kan ikke slutte før det starter.")
    )
    goal = fields["goal"]
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanRuleError(_("Målet hører til en annen plan."))
    _check_decision(fields["decision"], plan.person)
    return fields


def measure_add(
    *,
    actor: Actor,
    plan: IndividualPlan,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Measure:
    fields = _check_measure(plan, data)
    with transaction.atomic():
        _claim_version(plan, expected_version)
        measure = Measure.objects.create(plan=plan, **fields)
        _save_revision(actor, plan, _("Tiltak lagt til"))
        _plan_event(actor, plan, AuditAction.CREATE, "plan_measure", measure.pk)
    return measure


def measure_update(
    *, actor: Actor, measure: Measure, expected_version: int, data: dict[str, Any]
) -> Measure:
    plan = measure.plan
    fields = _check_measure(plan, data)
    with transaction.atomic():
        _claim_version(plan, expected_version)
        for name, value in fields.items():
            setattr(measure, name, value)
        measure.save(update_fields=list(fields))
        _save_revision(actor, plan, _("Tiltak endret"))
        _plan_event(actor, plan, AuditAction.UPDATE, "plan_measure", measure.pk)
    return measure


# --- Participants


def _check_participant(plan: IndividualPlan, data: dict[str, Any]) -> dict[str, Any]:
    staff: Staff | None = data.get("staff")
    unit: Unit | None = data.get("unit")
    relative: Relative | None = data.get("relative")
    if sum(x is not None for x in (staff, unit, relative)) != 1:
        raise PlanRuleError(_("Velg én ansatt, én enhet eller én pårørende."))
    if relative is not None and relative.person_id != plan.person_id:
        raise PlanRuleError(_("Den pårørende hører til en annen person."))
    role = (data.get("role") or "").strip()
    if not role:
        raise PlanRuleError(_("Skriv hvilken rolle deltakeren har."))
    return {
        "staff": staff,
        "unit": unit,
        "relative": relative,
        "role": role,
        "contribution": (data.get("contribution") or "").strip(),
    }


def participant_add(
    *,
    actor: Actor,
    plan: IndividualPlan,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> PlanParticipant:
    fields = _check_participant(plan, data)
    with transaction.atomic():
        _claim_version(plan, expected_version)
        participant = PlanParticipant.objects.create(plan=plan, **fields)
        _save_revision(actor, plan, _("Deltaker lagt til"))
        _plan_event(actor, plan, AuditAction.CREATE, "plan_participant", participant.pk)
    return participant


def participant_update(
    *,
    actor: Actor,
    participant: PlanParticipant,
    expected_version: int,
    data: dict[str, Any],
) -> PlanParticipant:
    plan = participant.plan
    fields = _check_participant(plan, data)
    with transaction.atomic():
        _claim_version(plan, expected_version)
        for name, value in fields.items():
            setattr(participant, name, value)
        participant.save(update_fields=list(fields))
        _save_revision(actor, plan, _("Deltaker endret"))
        _plan_event(actor, plan, AuditAction.UPDATE, "plan_participant", participant.pk)
    return participant


def participant_remove(
    *, actor: Actor, participant: PlanParticipant, expected_version: int | None = None
) -> None:
    plan = participant.plan
    with transaction.atomic():
        _claim_version(plan, expected_version)
        pk = participant.pk
        participant.delete()
        _save_revision(actor, plan, _("Deltaker fjernet"))
        _plan_event(actor, plan, AuditAction.DELETE, "plan_participant", pk)


# --- Evaluations


def evaluation_add(
    *,
    actor: Actor,
    plan: IndividualPlan,
    evaluated_on: datetime.date,
    text: str,
    goal: Goal | None = None,
    achievement: str = "",
    expected_version: int | None = None,
) -> Evaluation:
    """Evaluate one goal or the whole plan; a goal's evaluation sets its achievement."""
    if not text.strip():
        raise PlanRuleError(_("Skriv hva evalueringen viste."))
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanRuleError(_("Målet hører til en annen plan."))
    if evaluated_on > timezone.localdate():
        raise PlanRuleError(_("Evalueringsdatoen kan ikke være fram i tid."))
    with transaction.atomic():
        _claim_version(plan, expected_version)
        evaluation = Evaluation.objects.create(
            plan=plan,
            goal=goal,
            evaluated_on=evaluated_on,
            achievement=achievement,
            text=text.strip(),
            evaluated_by=actor.staff,
        )
        if goal is not None and achievement and achievement != goal.achievement:
            before = (goal.status, goal.achievement)
            goal.achievement = achievement
            goal.save(update_fields=["achievement"])
            _record_goal_history(actor, goal, *before)
        _save_revision(actor, plan, _("Evaluering lagt til"))
        _plan_event(actor, plan, AuditAction.CREATE, "plan_evaluation", evaluation.pk)
    return evaluation
