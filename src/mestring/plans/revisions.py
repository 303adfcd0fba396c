"""Snapshots of a plan and the differences between two of them.

A snapshot holds plain values and display names (dates as dd.mm.åååå, choices by
their label, people by name), so an old revision reads the same after a unit is
renamed or a goal is deleted, and two snapshots compare field by field.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from mestring.casework.models import Decision
from mestring.people.models import Staff
from mestring.plans.models import IndividualPlan, Measure, PlanParticipant
from mestring.plans.selectors import PlanContent

Change = tuple[str, str, str]


def show_date(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def staff_name(staff: Staff | None) -> str:
    if staff is None:
        return ""
    user = staff.user
    return user.get_full_name() or user.username


def decision_label(decision: Decision | None) -> str:
    if decision is None:
        return ""
    return f"{decision} ({show_date(decision.decided_on)})"


def measure_responsible(measure: Measure) -> str:
    parts = [
        measure.responsible_unit.name if measure.responsible_unit else "",
        staff_name(measure.responsible_staff),
        measure.responsible_other,
    ]
    return ", ".join(p for p in parts if p)


def participant_name(participant: PlanParticipant) -> str:
    if participant.staff is not None:
        return staff_name(participant.staff)
    if participant.unit is not None:
        return participant.unit.name
    return participant.relative.name if participant.relative else ""


def period(start: datetime.date | None, end: datetime.date | None) -> str:
    if not start and not end:
        return ""
    return f"{show_date(start)} – {show_date(end)}".strip()


def _plan_fields(plan: IndividualPlan, content: PlanContent) -> dict[str, str]:
    coordinator = content.coordinator
    return {
        "status": plan.get_status_display(),
        "start_date": show_date(plan.start_date),
        "end_date": show_date(plan.end_date),
        "next_revision_on": show_date(plan.next_revision_on),
        "responsible_unit": plan.responsible_unit.name,
        "coordinator": staff_name(coordinator.coordinator) if coordinator else "",
        "decision": decision_label(plan.decision),
        "consent": f"{plan.consent.get_kind_display()}, {show_date(plan.consent.given_on)}",
        "what_matters": plan.what_matters,
        "resources_and_needs": plan.resources_and_needs,
        "person_contribution": plan.person_contribution,
        "relatives_contribution": plan.relatives_contribution,
        "cooperation": plan.cooperation,
        "closed_on": show_date(plan.closed_on),
        "closing_note": plan.closing_note,
    }


# The plan's editable fields as plain JSON values, so an edit conflict can tell which
# fields the user left as they found them.
EDITABLE_FIELDS = (
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


def plain(value: object) -> object:
    """A form or model value as a JSON value: ids for rows, ISO dates, text as is."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def plan_values(plan: IndividualPlan) -> dict[str, object]:
    values = {name: plain(getattr(plan, name)) for name in EDITABLE_FIELDS}
    values["responsible_unit"] = plan.responsible_unit_id
    values["decision"] = plan.decision_id or ""
    return values


def build_snapshot(content: PlanContent) -> dict[str, Any]:
    plan = content.plan
    return {
        "values": plan_values(plan),
        "plan": _plan_fields(plan, content),
        "goals": [
            {
                "id": goal.pk,
                "text": goal.text,
                "status": goal.get_status_display(),
                "achievement": goal.get_achievement_display(),
                "target_date": show_date(goal.target_date),
            }
            for goal in content.goals
        ],
        "measures": [
            {
                "id": measure.pk,
                "title": measure.title,
                "scope": measure.scope,
                "how": measure.how,
                "responsible": measure_responsible(measure),
                "period": period(measure.start_on, measure.end_on),
                "decision": decision_label(measure.decision),
                "goal": measure.goal.text if measure.goal else "",
            }
            for measure in content.measures
        ],
        "participants": [
            {
                "id": participant.pk,
                "name": participant_name(participant),
                "role": participant.role,
                "contribution": participant.contribution,
            }
            for participant in content.participants
        ],
        "evaluations": [
            {
                "id": evaluation.pk,
                "evaluated_on": show_date(evaluation.evaluated_on),
                "goal": evaluation.goal.text if evaluation.goal else "",
                "achievement": evaluation.get_achievement_display()
                if evaluation.achievement
                else "",
                "text": evaluation.text,
                "evaluated_by": staff_name(evaluation.evaluated_by),
            }
            for evaluation in content.evaluations
        ],
    }


def plan_labels() -> dict[str, str]:
    return {
        "status": _("Status"),
        "start_date": _("Planen gjelder fra"),
        "end_date": _("Planen gjelder til"),
        "next_revision_on": _("Neste revisjon"),
        "responsible_unit": _("Ansvarlig enhet"),
        "coordinator": _("Koordinator"),
        "decision": _("Vedtak"),
        "consent": _("Samtykke"),
        "what_matters": _("Hva er viktig for deg?"),
        "resources_and_needs": _("Ressurser og behov"),
        "person_contribution": _("Hva personen selv bidrar med"),
        "relatives_contribution": _("Hva pårørende bidrar med"),
        "cooperation": _("Samarbeid med andre etater og nivåer"),
        "closed_on": _("Avsluttet"),
        "closing_note": _("Grunn til avslutning"),
    }


def _item_labels() -> dict[str, tuple[str, str, str, dict[str, str]]]:
    """Per list: (name of one item, field that names it, heading, field labels)."""
    return {
        "goals": (
            _("Mål"),
            "text",
            _("Mål"),
            {
                "text": _("Mål"),
                "status": _("Status"),
                "achievement": _("Måloppnåelse"),
                "target_date": _("Ønsket dato"),
            },
        ),
        "measures": (
            _("Tiltak"),
            "title",
            _("Tiltak"),
            {
                "title": _("Tiltak"),
                "scope": _("Omfang"),
                "how": _("Hvordan"),
                "responsible": _("Ansvarlig"),
                "period": _("Periode"),
                "decision": _("Vedtak"),
                "goal": _("Mål"),
            },
        ),
        "participants": (
            _("Deltaker"),
            "name",
            _("Deltakere"),
            {"name": _("Navn"), "role": _("Rolle"), "contribution": _("Bidrar med")},
        ),
        "evaluations": (
            _("Evaluering"),
            "evaluated_on",
            _("Evalueringer"),
            {
                "evaluated_on": _("Dato"),
                "goal": _("Gjelder mål"),
                "achievement": _("Måloppnåelse"),
                "text": _("Evaluering"),
            },
        ),
    }


def _short(value: str, length: int = 60) -> str:
    value = " ".join(str(value).split())
    return value if len(value) <= length else value[: length - 1] + "…"


def _list_changes(key: str, old: list[dict], new: list[dict]) -> list[Change]:
    item, name_field, _heading, labels = _item_labels()[key]
    old_by_id = {row["id"]: row for row in old}
    new_by_id = {row["id"]: row for row in new}
    changes: list[Change] = []
    for pk, row in new_by_id.items():
        name = _short(row.get(name_field, ""))
        before = old_by_id.get(pk)
        if before is None:
            added = _("%(item)s lagt til") % {"item": item}
            changes.append((added, "", row.get(name_field, "")))
            continue
        for field, label in labels.items():
            if before.get(field, "") != row.get(field, ""):
                title = f"{item} «{name}»: {label.lower()}"
                changes.append((title, before.get(field, ""), row.get(field, "")))
    for pk, row in old_by_id.items():
        if pk not in new_by_id:
            removed = _("%(item)s fjernet") % {"item": item}
            changes.append((removed, row.get(name_field, ""), ""))
    return changes


def revision_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """What changed from one snapshot to the next: (what, before, after) per change."""
    if old is None:
        return []
    changes: list[Change] = []
    old_plan, new_plan = old.get("plan", {}), new.get("plan", {})
    for field, label in plan_labels().items():
        if old_plan.get(field, "") != new_plan.get(field, ""):
            changes.append((label, old_plan.get(field, ""), new_plan.get(field, "")))
    for key in ("goals", "measures", "participants", "evaluations"):
        changes += _list_changes(key, old.get(key, []), new.get(key, []))
    return changes
