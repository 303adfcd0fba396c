"""Courses carry out the services the allocation office assigns to their unit.

When a granted service is assigned to a unit that holds a course for that service
(`Course.service`), the person is enrolled in the unit's next course for it that has not
ended — «Påmeldt», or «Venteliste» when it is full — through the ordinary enrolment,
linked to the decision, once per decision. When the assignment ends (its end date, or
the decision stops or becomes a refusal) an enrolment not completed is withdrawn, and
the first on the waiting list moves up. Both run inside the transaction of the act that
caused them (see `CoursesConfig.ready`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.casework.models import Decision
from mestring.catalogue.models import Assignment
from mestring.courses.models import OPEN_STATUSES, Course, Enrolment, EnrolmentStatus
from mestring.courses.services import enrol, enrolment_withdraw

# A decision changed many times is still one service: at most this many earlier ones.
MAX_CHAIN = 50


def decision_and_earlier(decision: Decision) -> list[int]:
    """The decision and those it replaced (a changed decision keeps the assignment)."""
    ids = [decision.pk]
    earlier = decision.replaces_id
    while earlier is not None and earlier not in ids and len(ids) < MAX_CHAIN:
        ids.append(earlier)
        earlier = Decision.objects.filter(pk=earlier).values_list("replaces_id", flat=True).first()
    return ids


def course_for(assignment: Assignment, today: datetime.date) -> Course | None:
    """The unit's next course for the assigned service that is open and not ended."""
    service_id = assignment.decision.service_id
    if service_id is None:
        return None
    return (
        Course.objects.filter(unit=assignment.unit_id, service=service_id, is_published=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "pk")
        .first()
    )


def enrol_assigned(actor: Actor, assignment: Assignment) -> Enrolment | None:
    """Enrol the person of an assignment in the unit's course for the service, once per
    decision; None when the unit holds no such course or the person is already in it."""
    course = course_for(assignment, timezone.localdate())
    if course is None:
        return None
    decision = assignment.decision
    person = decision.case.person
    if (
        Enrolment.objects.filter(
            decision__in=decision_and_earlier(decision), status__in=OPEN_STATUSES
        ).exists()
        or Enrolment.objects.filter(course=course, person=person, status__in=OPEN_STATUSES).exists()
    ):
        return None
    return enrol(actor=actor, course=course, person=person, decision=decision)


def withdraw_ended(actor: Actor, assignment: Assignment, on: datetime.date) -> int:
    """Withdraw the enrolments the assignment's decision made at the unit that have not
    completed. An end later than today leaves a course that starts by then alone."""
    enrolments = Enrolment.objects.filter(
        decision__in=decision_and_earlier(assignment.decision),
        course__unit=assignment.unit_id,
        status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING),
    ).select_related("course", "person")
    if on > timezone.localdate():
        enrolments = enrolments.filter(course__starts_on__gt=on)
    withdrawn = 0
    for enrolment in enrolments:
        enrolment_withdraw(actor=actor, enrolment=enrolment)
        withdrawn += 1
    return withdrawn


def on_assignment_made(
    sender: type[Assignment], *, actor: Actor, assignment: Assignment, **kwargs: Any
) -> None:
    enrol_assigned(actor, assignment)


def on_assignment_ended(
    sender: type[Assignment],
    *,
    actor: Actor,
    assignment: Assignment,
    on: datetime.date,
    **kwargs: Any,
) -> None:
    withdraw_ended(actor, assignment, on)
