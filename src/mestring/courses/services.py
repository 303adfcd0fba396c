"""Writes about courses: course and session create/edit, enrol (a full course puts the
person on the waiting list), withdraw (the first on the waiting list moves up, audited),
attendance for a session, complete.

Each is one transaction with its audit rows. Enrolment grants no access to the person:
course lists are work lists under the permission to register rehabilitation.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import EventSpec, record_event, record_events
from mestring.casework.models import Decision
from mestring.catalogue.models import Service
from mestring.courses.models import (
    OPEN_STATUSES,
    TAKING_PART,
    Attendance,
    Course,
    CourseKind,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    TargetGroup,
)
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Person, Unit

MAX_CAPACITY = 500


class CourseError(RuleBroken):
    """A request the course rules do not allow; the message is for the user."""

    code = "course_rule"


def waiting_list(course: Course) -> list[Enrolment]:
    """The course's waiting list, first in line first."""
    return list(
        Enrolment.objects.filter(course=course, status=EnrolmentStatus.WAITING)
        .select_related("person")
        .order_by("waiting_since", "pk")
    )


def places_taken(course: Course) -> int:
    """Places in use: those enrolled and those who completed."""
    return Enrolment.objects.filter(course=course, status__in=TAKING_PART).count()


def _lock(course: Course) -> Course:
    """Serialise enrolments of one course, so two cannot take the last place."""
    return Course.objects.select_for_update().get(pk=course.pk)


def _fill_places(actor: Actor, course: Course) -> list[Enrolment]:
    """Move people up from the waiting list while there are free places."""
    free = course.capacity - places_taken(course)
    promoted = []
    for enrolment in waiting_list(course)[: max(free, 0)]:
        transition(enrolment, EnrolmentStatus.ENROLLED, actor=actor)
        promoted.append(enrolment)
    record_events(
        actor=actor,
        specs=[EventSpec(AuditAction.PROMOTE, "enrolment", e.pk, e.person) for e in promoted],
    )
    return promoted


def _course_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    title = str(data.get("title", "")).strip()
    if not title:
        raise CourseError(_("Kurset må ha en tittel."))
    if data.get("kind") not in CourseKind.values:
        raise CourseError(_("Velg en type fra listen."))
    if data.get("target_group") not in TargetGroup.values:
        raise CourseError(_("Velg en målgruppe fra listen."))
    if not isinstance(data.get("unit"), Unit):
        raise CourseError(_("Velg enheten som holder kurset."))
    capacity = data.get("capacity")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise CourseError(_("Antall plasser må være fra 1 til %(max)s.") % {"max": MAX_CAPACITY})
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, datetime.date):
        raise CourseError(_("Skriv inn når kurset starter."))
    if ends_on is not None and ends_on < starts_on:
        raise CourseError(_("Kurset kan ikke slutte før det starter."))
    return {
        "title": title,
        "kind": data["kind"],
        "target_group": data["target_group"],
        "unit": data["unit"],
        "description": str(data.get("description", "")).strip(),
        "capacity": capacity,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "is_published": bool(data.get("is_published", True)),
        "service": _service(data.get("service")),
    }


def _service(value: object) -> Service | None:
    if value is None or value == "":
        return None
    if not isinstance(value, Service):
        raise CourseError(_("Velg en tjeneste fra listen."))
    return value


def course_save(*, actor: Actor, course: Course | None, data: Mapping[str, Any]) -> Course:
    """Create or change a course. More places move people up from the waiting list."""
    fields = _course_fields(data)
    with transaction.atomic():
        created = course is None
        if course is None:
            course = Course.objects.create(**fields)
        else:
            course = _lock(course)
            if fields["capacity"] < places_taken(course):
                raise CourseError(
                    _("Kurset har %(n)s påmeldte. Meld av deltakere før du tar bort plasser.")
                    % {"n": places_taken(course)}
                )
            for name, value in fields.items():
                setattr(course, name, value)
            course.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="course",
            object_id=course.pk,
        )
        if not created:
            _fill_places(actor, course)
    return course


@dataclass(frozen=True)
class SessionData:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    topic: str = ""


def session_save(
    *, actor: Actor, course: Course, session: CourseSession | None, data: SessionData
) -> CourseSession:
    if data.ends_at <= data.starts_at:
        raise CourseError(_("Samlingen må slutte etter at den starter."))
    if not data.place.strip():
        raise CourseError(_("Skriv hvor samlingen holdes."))
    with transaction.atomic():
        created = session is None
        session = session or CourseSession(course=course)
        session.starts_at, session.ends_at = data.starts_at, data.ends_at
        session.place, session.topic = data.place.strip(), data.topic.strip()
        session.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="course_session",
            object_id=session.pk,
        )
    return session


def is_open_for_enrolment(course: Course, today: datetime.date) -> bool:
    return course.is_published and (course.ends_on is None or course.ends_on >= today)


def enrol(
    *,
    actor: Actor,
    course: Course,
    person: Person,
    note: str = "",
    decision: Decision | None = None,
) -> Enrolment:
    """Enrol the person; when the course is full, on the waiting list. `decision`: the
    decision whose assignment to the course's unit enrolled them."""
    if decision is not None and decision.case.person_id != person.pk:
        raise CourseError(_("Vedtaket gjelder en annen person."))
    with transaction.atomic():
        course = _lock(course)
        if not is_open_for_enrolment(course, timezone.localdate()):
            raise CourseError(_("Kurset er ikke åpent for påmelding."))
        current = (
            Enrolment.objects.filter(course=course, person=person, status__in=OPEN_STATUSES)
            .values_list("status", flat=True)
            .first()
        )
        if current == EnrolmentStatus.WAITING:
            raise CourseError(_("Personen står allerede på ventelisten til kurset."))
        if current is not None:
            raise CourseError(_("Personen er allerede påmeldt kurset."))
        full = places_taken(course) >= course.capacity
        status = EnrolmentStatus.WAITING if full else EnrolmentStatus.ENROLLED
        enrolment = Enrolment.objects.create(
            course=course,
            person=person,
            status=status,
            waiting_since=timezone.now() if full else None,
            note=note.strip(),
            decision=decision,
        )
        record_initial_status(enrolment, actor=actor)
        record_event(
            actor=actor,
            action=AuditAction.WAITLIST if full else AuditAction.ENROL,
            object_type="enrolment",
            object_id=enrolment.pk,
            person=person,
        )
    return enrolment


def waiting_position(enrolment: Enrolment) -> int | None:
    """1 for the first in line; None when not on the waiting list."""
    if enrolment.status != EnrolmentStatus.WAITING:
        return None
    ahead = [e.pk for e in waiting_list(enrolment.course)]
    return ahead.index(enrolment.pk) + 1


def enrolment_withdraw(*, actor: Actor, enrolment: Enrolment) -> list[Enrolment]:
    """Withdraw; a freed place goes to the first on the waiting list. Returns those
    who moved up."""
    with transaction.atomic():
        course = _lock(enrolment.course)
        transition(enrolment, EnrolmentStatus.WITHDRAWN, actor=actor)
        record_event(
            actor=actor,
            action=AuditAction.WITHDRAW,
            object_type="enrolment",
            object_id=enrolment.pk,
            person=enrolment.person,
        )
        return _fill_places(actor, course)


def enrolment_complete(*, actor: Actor, enrolment: Enrolment) -> Enrolment:
    with transaction.atomic():
        transition(enrolment, EnrolmentStatus.COMPLETED, actor=actor)
        record_event(
            actor=actor,
            action=AuditAction.COMPLETE,
            object_type="enrolment",
            object_id=enrolment.pk,
            person=enrolment.person,
        )
    return enrolment


def attendance_record(
    *, actor: Actor, session: CourseSession, present: Collection[int]
) -> list[Attendance]:
    """Attendance of everyone taking part, at once: `present` holds the enrolment ids
    of those who came; everyone else taking part is recorded absent."""
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.filter(course=session.course_id, status__in=TAKING_PART)
            .select_related("person")
            .order_by("pk")
        )
        known = {e.pk for e in enrolments}
        unknown = set(present) - known
        if unknown:
            raise CourseError(_("Oppmøtet gjelder en person som ikke er påmeldt kurset."))
        existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
        rows, events = [], []
        for enrolment in enrolments:
            came = enrolment.pk in present
            row = existing.get(enrolment.pk)
            if row is None:
                row = Attendance(session=session, enrolment=enrolment, present=came)
                row.save()
            elif row.present != came:
                row.present = came
                row.save(update_fields=["present"])
            else:
                rows.append(row)
                continue
            rows.append(row)
            events.append(
                EventSpec(AuditAction.ATTENDANCE, "course_attendance", row.pk, enrolment.person)
            )
        if not events:
            events.append(EventSpec(AuditAction.ATTENDANCE, "course_session", session.pk))
        record_events(actor=actor, specs=events)
    return rows
