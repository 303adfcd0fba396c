"""Shared helpers for the course tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mestring.courses import services
from mestring.courses.models import Course, CourseSession, Enrolment
from mestring.people.models import Person, Staff
from mestring.tenancy.context import activate
from tests import factories
from tests.friskliv.helpers import actor_for


def make_course(staff: Staff, *, capacity: int = 2, title: str = "KOLS-skole") -> Course:
    unit = factories.UnitFactory(municipality=staff.municipality)
    with activate(staff.municipality):
        return services.course_save(
            actor=actor_for(staff),
            course=None,
            data={
                "title": title,
                "kind": "laering_mestring",
                "target_group": "kols",
                "unit": unit,
                "description": "",
                "capacity": capacity,
                "starts_on": timezone.localdate(),
                "ends_on": timezone.localdate() + datetime.timedelta(days=60),
                "is_published": True,
            },
        )


def make_session(staff: Staff, course: Course, days: int = 1) -> CourseSession:
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    with activate(staff.municipality):
        return services.session_save(
            actor=actor_for(staff),
            course=course,
            session=None,
            data=services.SessionData(starts, starts + datetime.timedelta(hours=2), "Helsehuset"),
        )


def enrol(staff: Staff, course: Course, person: Person) -> Enrolment:
    with activate(staff.municipality):
        return services.enrol(actor=actor_for(staff), course=course, person=person)
