"""Writes about the action plan. Each is one transaction with one audit row.

Rules: an archived plan version is read-only; there is at most one active version;
a revision makes a new version that copies the goals and the open actions (those whose
latest status is neither done nor cancelled) and archives the old one unchanged.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose
from mestring.actionplan.models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    ActionYearStatus,
    Financing,
    MunicipalPlan,
    PlanGoal,
    PlanStatus,
)
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Unit

FIRST_YEAR, LAST_YEAR = 2000, 2100


class ActionPlanError(RuleBroken):
    """A request the action-plan rules do not allow; the message is for the user."""

    code = "action_plan_rule"


def _audit(actor: Actor, action: str, object_type: str, object_id: object) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=AuditPurpose.ADMINISTRATION,
    )


def _check_years(start: int, end: int) -> None:
    if not (FIRST_YEAR <= start <= LAST_YEAR and FIRST_YEAR <= end <= LAST_YEAR):
        raise ActionPlanError(
            _("Årene må være fra %(first)s til %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if end < start:
        raise ActionPlanError(_("Sluttåret kan ikke være før startåret."))


def _check_editable(plan: MunicipalPlan) -> None:
    # Read from the database: the caller's copy may predate a revision.
    current = MunicipalPlan.objects.filter(pk=plan.pk).values_list("status", flat=True).first()
    if current != PlanStatus.ACTIVE:
        raise ActionPlanError(_("Planen er arkivert og kan ikke endres."))


def plan_create(
    *,
    actor: Actor,
    title: str,
    start_year: int,
    end_year: int,
    adopted_on: datetime.date | None = None,
) -> MunicipalPlan:
    """The first plan of the municipality; later versions come by revision."""
    title = title.strip()
    if not title:
        raise ActionPlanError(_("Planen må ha en tittel."))
    _check_years(start_year, end_year)
    with transaction.atomic():
        if MunicipalPlan.objects.filter(status=PlanStatus.ACTIVE).exists():
            raise ActionPlanError(
                _("Kommunen har allerede en gjeldende plan. Lag en ny versjon ved å revidere den.")
            )
        plan = MunicipalPlan.objects.create(
            title=title, start_year=start_year, end_year=end_year, adopted_on=adopted_on
        )
        record_initial_status(plan, actor=actor)
        _audit(actor, AuditAction.CREATE, "action_plan", plan.pk)
    return plan


def is_open(action: Action) -> bool:
    """Open: the latest year's status is neither done nor cancelled (or none set)."""
    statuses = sorted(action.year_statuses.all(), key=lambda s: s.year)
    return not statuses or statuses[-1].status not in CLOSED_STATUSES


def plan_revise(
    *,
    actor: Actor,
    plan: MunicipalPlan,
    title: str,
    start_year: int,
    end_year: int,
    adopted_on: datetime.date | None = None,
) -> MunicipalPlan:
    """A new version for the next period; the old one is archived, its rows untouched."""
    _check_editable(plan)
    title = title.strip()
    if not title:
        raise ActionPlanError(_("Planen må ha en tittel."))
    _check_years(start_year, end_year)
    if start_year <= plan.start_year:
        raise ActionPlanError(
            _("Den nye versjonen må starte etter %(year)s.") % {"year": plan.start_year}
        )
    with transaction.atomic():
        plan = MunicipalPlan.objects.select_for_update().get(pk=plan.pk)
        _check_editable(plan)
        transition(plan, PlanStatus.ARCHIVED, actor=actor, changes={"archived_at": timezone.now()})
        new = MunicipalPlan.objects.create(
            title=title,
            start_year=start_year,
            end_year=end_year,
            adopted_on=adopted_on,
            previous=plan,
        )
        record_initial_status(new, actor=actor)
        goal_map = {}
        for goal in plan.goals.all():
            goal_map[goal.pk] = PlanGoal.objects.create(
                plan=new, number=goal.number, text=goal.text
            )
        actions = plan.actions.prefetch_related("year_statuses", "goals")
        for old in actions:
            if not is_open(old):
                continue
            from_year = min(max(old.from_year, start_year), end_year)
            copy = Action.objects.create(
                plan=new,
                number=old.number,
                title=old.title,
                description=old.description,
                responsible_unit=old.responsible_unit,
                responsible_text=old.responsible_text,
                from_year=from_year,
                to_year=min(max(old.to_year, from_year), end_year),
                cost_nok=old.cost_nok,
                financing=old.financing,
                copied_from=old,
            )
            copy.goals.set([goal_map[g.pk] for g in old.goals.all() if g.pk in goal_map])
        _audit(actor, AuditAction.REVISE, "action_plan", new.pk)
    return new


def plan_update(
    *,
    actor: Actor,
    plan: MunicipalPlan,
    title: str,
    start_year: int,
    end_year: int,
    adopted_on: datetime.date | None,
) -> MunicipalPlan:
    _check_editable(plan)
    title = title.strip()
    if not title:
        raise ActionPlanError(_("Planen må ha en tittel."))
    _check_years(start_year, end_year)
    with transaction.atomic():
        plan.title, plan.start_year, plan.end_year = title, start_year, end_year
        plan.adopted_on = adopted_on
        plan.save(update_fields=["title", "start_year", "end_year", "adopted_on"])
        _audit(actor, AuditAction.UPDATE, "action_plan", plan.pk)
    return plan


def goal_save(
    *, actor: Actor, plan: MunicipalPlan, goal: PlanGoal | None, number: int, text: str
) -> PlanGoal:
    _check_editable(plan)
    text = text.strip()
    if not text:
        raise ActionPlanError(_("Skriv målet."))
    with transaction.atomic():
        clash = PlanGoal.objects.filter(plan=plan, number=number)
        if goal is not None:
            clash = clash.exclude(pk=goal.pk)
        if clash.exists():
            raise ActionPlanError(_("Planen har allerede et mål med nummer %(n)s.") % {"n": number})
        created = goal is None
        goal = goal or PlanGoal(plan=plan)
        goal.number, goal.text = number, text
        goal.save()
        _audit(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            "action_plan_goal",
            goal.pk,
        )
    return goal


ACTION_FIELDS = (
    "number",
    "title",
    "description",
    "responsible_unit",
    "responsible_text",
    "from_year",
    "to_year",
    "cost_nok",
    "financing",
)


def _clean_action(plan: MunicipalPlan, action: Action | None, data: dict[str, Any]) -> dict:
    clean = {key: data.get(key) for key in ACTION_FIELDS}
    clean["number"] = str(clean["number"] or "").strip()
    clean["title"] = str(clean["title"] or "").strip()
    clean["description"] = str(clean["description"] or "").strip()
    clean["responsible_text"] = str(clean["responsible_text"] or "").strip()
    clean["financing"] = clean["financing"] or ""
    if not clean["number"]:
        raise ActionPlanError(_("Tiltaket må ha et nummer."))
    if not clean["title"]:
        raise ActionPlanError(_("Tiltaket må ha en tittel."))
    if clean["financing"] not in ("", *Financing.values):
        raise ActionPlanError(_("Ukjent finansiering."))
    if clean["responsible_unit"] is not None and not isinstance(clean["responsible_unit"], Unit):
        raise ActionPlanError(_("Ukjent enhet."))
    if clean["responsible_unit"] is not None:
        clean["responsible_text"] = ""
    from_year, to_year = clean["from_year"], clean["to_year"]
    if from_year is None or to_year is None:
        raise ActionPlanError(_("Skriv hvilke år tiltaket gjennomføres."))
    _check_years(from_year, to_year)
    if from_year < plan.start_year or to_year > plan.end_year:
        raise ActionPlanError(
            _("Årene må ligge innenfor planperioden %(start)s–%(end)s.")
            % {"start": plan.start_year, "end": plan.end_year}
        )
    clash = Action.objects.filter(plan=plan, number=clean["number"])
    if action is not None:
        clash = clash.exclude(pk=action.pk)
    if clash.exists():
        raise ActionPlanError(
            _("Planen har allerede et tiltak med nummer %(n)s.") % {"n": clean["number"]}
        )
    return clean


def action_save(
    *,
    actor: Actor,
    plan: MunicipalPlan,
    action: Action | None,
    data: dict[str, Any],
    goals: Iterable[PlanGoal] | None = None,
) -> Action:
    """Create or change an action. `data` has the keys of ACTION_FIELDS."""
    _check_editable(plan)
    goals = list(goals or [])
    if any(goal.plan_id != plan.pk for goal in goals):
        raise ActionPlanError(_("Målet hører til en annen plan."))
    with transaction.atomic():
        clean = _clean_action(plan, action, data)
        created = action is None
        action = action or Action(plan=plan)
        for key, value in clean.items():
            setattr(action, key, value)
        action.save()
        action.goals.set(goals)
        _audit(
            actor,
            AuditAction.CREATE if created else AuditAction.UPDATE,
            "action_plan_action",
            action.pk,
        )
    return action


def action_status_set(
    *, actor: Actor, action: Action, year: int, status: str, note: str = ""
) -> ActionYearStatus:
    """Set the action's status for one year, through the transition table, with a
    history row."""
    _check_editable(action.plan)
    if year not in action.plan.years:
        raise ActionPlanError(
            _("Året må ligge innenfor planperioden %(start)s–%(end)s.")
            % {"start": action.plan.start_year, "end": action.plan.end_year}
        )
    if status not in ActionStatus.values:
        raise ActionPlanError(_("Ukjent status."))
    note = note.strip()
    with transaction.atomic():
        row, _created = ActionYearStatus.objects.select_for_update().get_or_create(
            action=action, year=year
        )
        if status != row.status:
            transition(
                row,
                status,
                actor=actor,
                reason=note,
                changes={"note": note, "updated_at": timezone.now()},
                history={"action": action, "year": year},
            )
        elif note == row.note:
            raise ActionPlanError(_("Statusen er uendret."))
        else:
            _note_change(actor, row, note)
        _audit(actor, AuditAction.STATUS_CHANGE, "action_plan_action", action.pk)
    return row


def _note_change(actor: Actor, row: ActionYearStatus, note: str) -> None:
    """A new note on the year's status, the status unchanged: no transition, but a
    history row all the same, so the history shows every note given."""
    row.note, row.updated_at = note, timezone.now()
    row.save(update_fields=["note", "updated_at"])
    row.history.create(
        action_id=row.action_id,
        year=row.year,
        from_status=row.status,
        to_status=row.status,
        reason=note,
        changed_by=actor.user,
    )


def action_evaluate(
    *, actor: Actor, action: Action, evaluation_on: datetime.date, evaluation_result: str
) -> Action:
    _check_editable(action.plan)
    if evaluation_on is None:
        raise ActionPlanError(_("Skriv datoen for evalueringen."))
    with transaction.atomic():
        action.evaluation_on = evaluation_on
        action.evaluation_result = evaluation_result.strip()
        action.save(update_fields=["evaluation_on", "evaluation_result"])
        _audit(actor, AuditAction.EVALUATE, "action_plan_action", action.pk)
    return action
