"""An institution unit carries out the stays the allocation office assigns.

When a granted stay (korttidsopphold, rehabiliteringsopphold, …) is assigned to a unit
with beds, the unit gets a planned arrival on its bed board, linked to the decision,
expected on the first day of the assignment; the assignment already gives the unit its
care relation. The ward admits the person from the board («Skriv inn»), which makes the
ordinary stay. When the assignment ends (its end date, or the decision stops or becomes
a refusal) a plan not yet admitted is cancelled.

A person already admitted is not discharged by it. A discharge in this model is the
ward's record of a real event: the day the person left and where to (home, long-term
place, hospital, died), and it may not be in the future — neither of which the end of a
decision knows. So the stay stays open and is marked (`Stay.decision_ended_on`); the
bed board shows «Vedtaket er avsluttet» beside it for the ward to discharge.

Both receivers run inside the transaction of the act that caused them (see
`InstitutionsConfig.ready`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.casework.models import Decision
from mestring.catalogue.models import Assignment
from mestring.institutions.models import (
    BedCapacity,
    PlannedStay,
    PlannedStayStatus,
    Stay,
    StayType,
)
from mestring.institutions.services import (
    planned_stay_cancel,
    stay_mark_decision_ended,
    stay_plan,
)

# The catalogue's services (by `Service.code`, see `catalogue/defaults.py`) that are
# carried out as a stay, and the type of stay each becomes. The one place this is said.
SERVICE_STAY_TYPES: dict[str, str] = {
    "korttidsopphold": StayType.SHORT_TERM,
    "rehabiliteringsopphold": StayType.REHABILITATION,
    "rulleringsopphold": StayType.ROTATION,
    "langtidsopphold": StayType.LONG_TERM,
    "avlastning": StayType.RESPITE,
}


# A decision changed many times is still one service: at most this many earlier ones.
MAX_CHAIN = 50


def decision_and_earlier(decision: Decision) -> list[int]:
    """The decision and those it replaced: a changed decision keeps its assignment, and
    the stay admitted under the old one goes on under the new."""
    ids = [decision.pk]
    earlier = decision.replaces_id
    while earlier is not None and earlier not in ids and len(ids) < MAX_CHAIN:
        ids.append(earlier)
        earlier = Decision.objects.filter(pk=earlier).values_list("replaces_id", flat=True).first()
    return ids


def stay_type_for(assignment: Assignment) -> str | None:
    service = assignment.decision.service
    return SERVICE_STAY_TYPES.get(service.code) if service is not None else None


def plan_assigned(actor: Actor, assignment: Assignment) -> PlannedStay | None:
    """A planned stay for the assignment, once per decision; None when the service is
    no stay, the unit has no beds, or the decision already has a plan or a stay open."""
    stay_type = stay_type_for(assignment)
    if stay_type is None or not BedCapacity.objects.filter(unit=assignment.unit_id).exists():
        return None
    decision = assignment.decision
    if (
        PlannedStay.objects.filter(decision=decision, status=PlannedStayStatus.PLANNED).exists()
        or Stay.objects.filter(decision=decision, discharged_on__isnull=True).exists()
    ):
        return None
    return stay_plan(
        actor=actor,
        person=decision.case.person,
        unit=assignment.unit,
        stay_type=stay_type,
        expected_on=assignment.starts_on,
        decision=decision,
        assignment=assignment,
    )


def stays_end_with_assignment(actor: Actor, assignment: Assignment, on: datetime.date) -> int:
    """Cancel the plans the assignment made that can no longer be admitted while it is
    in force (it ends today or earlier, or before the planned arrival); mark the open
    stays of its decision at the unit (not discharged, see the module's text). Returns
    how many plans and stays it touched."""
    touched = 0
    plans = PlannedStay.objects.filter(
        assignment=assignment, status=PlannedStayStatus.PLANNED
    ).select_related("person")
    if on > timezone.localdate():
        plans = plans.filter(expected_on__gt=on)
    reason = _("Tildelingen til %(unit)s er avsluttet fra %(day)s.") % {
        "unit": assignment.unit,
        "day": on.strftime("%d.%m.%Y"),
    }
    for planned in plans:
        planned_stay_cancel(actor=actor, planned=planned, on=on, reason=reason)
        touched += 1
    stays = Stay.objects.filter(
        decision__in=decision_and_earlier(assignment.decision),
        unit=assignment.unit_id,
        discharged_on__isnull=True,
        decision_ended_on__isnull=True,
    ).select_related("person")
    for stay in stays:
        stay_mark_decision_ended(actor=actor, stay=stay, on=on)
        touched += 1
    return touched


def on_assignment_made(
    sender: type[Assignment], *, actor: Actor, assignment: Assignment, **kwargs: Any
) -> None:
    plan_assigned(actor, assignment)


def on_assignment_ended(
    sender: type[Assignment],
    *,
    actor: Actor,
    assignment: Assignment,
    on: datetime.date,
    **kwargs: Any,
) -> None:
    stays_end_with_assignment(actor, assignment, on)
