"""Courses: the waiting list when full, moving up when a place is freed, attendance
for everyone at once, completion; each write audited, no access granted."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.models import AuditEvent, CareRelation
from mestring.courses import services
from mestring.courses.models import Attendance, EnrolmentStatusChange
from mestring.kernel.states import TransitionNotAllowed
from mestring.tenancy.context import activate
from tests import factories
from tests.courses.helpers import enrol, make_course, make_session
from tests.friskliv.helpers import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(world):
    return [factories.PersonFactory(municipality=world.municipality) for _ in range(4)]


def test_full_course_puts_people_on_the_waiting_list_in_order(world, people):
    course = make_course(world.caseworker, capacity=2)
    relations = CareRelation.all_objects.count()
    enrolments = [enrol(world.caseworker, course, p) for p in people]
    assert [e.status for e in enrolments] == ["pameldt", "pameldt", "venteliste", "venteliste"]
    with activate(world.municipality):
        assert [services.waiting_position(e) for e in enrolments] == [None, None, 1, 2]
    assert enrolments[2].waiting_since is not None
    assert CareRelation.all_objects.count() == relations  # enrolment grants nothing
    assert AuditEvent.all_objects.filter(action="waitlist", object_type="enrolment").count() == 2
    with pytest.raises(services.CourseError, match="står allerede på ventelisten"):
        enrol(world.caseworker, course, people[3])
    with pytest.raises(services.CourseError, match="allerede påmeldt"):
        enrol(world.caseworker, course, people[0])


def test_withdrawal_moves_the_first_in_line_up_and_audits_it(world, people):
    course = make_course(world.caseworker, capacity=2)
    first, _second, third, fourth = (enrol(world.caseworker, course, p) for p in people)
    actor = actor_for(world.caseworker)
    with activate(world.municipality):
        # Withdrawing from the waiting list frees no place.
        assert services.enrolment_withdraw(actor=actor, enrolment=fourth) == []
        promoted = services.enrolment_withdraw(actor=actor, enrolment=first)
    assert [e.pk for e in promoted] == [third.pk]
    third.refresh_from_db()
    assert third.status == "pameldt"
    event = AuditEvent.all_objects.get(action="promote")
    assert (event.object_type, event.person_id) == ("enrolment", third.person_id)
    history = EnrolmentStatusChange.all_objects.filter(enrolment=third)
    assert list(history.values_list("from_status", "to_status")) == [
        ("", "venteliste"),
        ("venteliste", "pameldt"),
    ]
    # The withdrawn person may enrol again (a new enrolment), now on the waiting list.
    again = enrol(world.caseworker, course, first.person)
    assert again.status == "venteliste"


def test_more_places_move_people_up(world, people):
    course = make_course(world.caseworker, capacity=1)
    enrolments = [enrol(world.caseworker, course, p) for p in people[:3]]
    data = {
        "title": course.title,
        "kind": course.kind,
        "target_group": course.target_group,
        "unit": course.unit,
        "capacity": 2,
        "starts_on": course.starts_on,
        "ends_on": course.ends_on,
    }
    with activate(world.municipality):
        services.course_save(actor=actor_for(world.caseworker), course=course, data=data)
        with pytest.raises(services.CourseError, match="påmeldte"):
            services.course_save(
                actor=actor_for(world.caseworker), course=course, data={**data, "capacity": 1}
            )
    statuses = [type(e).all_objects.get(pk=e.pk).status for e in enrolments]
    assert statuses == ["pameldt", "pameldt", "venteliste"]


def test_attendance_for_everyone_at_once(world, people):
    course = make_course(world.caseworker, capacity=3)
    session = make_session(world.caseworker, course)
    a, b, c, waiting = (enrol(world.caseworker, course, p) for p in people)
    actor = actor_for(world.caseworker)
    with activate(world.municipality):
        services.attendance_record(actor=actor, session=session, present={a.pk, c.pk})
        marks = dict(Attendance.all_objects.values_list("enrolment_id", "present"))
        assert marks == {a.pk: True, b.pk: False, c.pk: True}
        assert AuditEvent.all_objects.filter(action="attendance").count() == 3
        # Recorded again: one row per (session, enrolment); only changes are audited.
        services.attendance_record(actor=actor, session=session, present={a.pk, b.pk, c.pk})
        assert Attendance.all_objects.count() == 3
        assert AuditEvent.all_objects.filter(action="attendance").count() == 4
        with pytest.raises(services.CourseError, match="ikke er påmeldt"):
            services.attendance_record(actor=actor, session=session, present={waiting.pk})


def test_complete_and_rules(world, people):
    course = make_course(world.caseworker, capacity=1)
    first = enrol(world.caseworker, course, people[0])
    waiting = enrol(world.caseworker, course, people[1])
    actor = actor_for(world.caseworker)
    with activate(world.municipality):
        services.enrolment_complete(actor=actor, enrolment=first)
        with pytest.raises(TransitionNotAllowed):
            services.enrolment_complete(actor=actor, enrolment=waiting)
        with pytest.raises(TransitionNotAllowed):
            services.enrolment_withdraw(actor=actor, enrolment=first)
        start = course.starts_on
        with pytest.raises(services.CourseError, match="slutte før"):
            services.course_save(
                actor=actor,
                course=None,
                data={
                    "title": "X",
                    "kind": "gruppetrening",
                    "target_group": "ms",
                    "unit": course.unit,
                    "capacity": 5,
                    "starts_on": start,
                    "ends_on": start - datetime.timedelta(days=1),
                },
            )
        session_start = course.created_at
        with pytest.raises(services.CourseError, match="slutte etter"):
            services.session_save(
                actor=actor,
                course=course,
                session=None,
                data=services.SessionData(session_start, session_start, "Sal 1"),
            )
        course.is_published = False
        course.save()
        with pytest.raises(services.CourseError, match="ikke åpent"):
            services.enrol(actor=actor, course=course, person=people[2])
