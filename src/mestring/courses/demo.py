"""Demo data: four courses (KOLS, MS, kreft, fall prevention 65+) with sessions,
participants, a waiting list and attendance."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mestring.courses.models import (
    Attendance,
    Course,
    CourseKind,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    EnrolmentStatusChange,
    TargetGroup,
)
from mestring.people.models import Person, Staff, Unit, UnitKind

UNIT_NAME = "Frisklivs-, lærings- og mestringssenteret"
# title, kind, target group, capacity, first day (days from today), sessions, enrolled
COURSES = [
    ("KOLS-skole", CourseKind.LEARNING, TargetGroup.COPD, 10, -35, 6, 9),
    ("Trening med MS", CourseKind.GROUP_TRAINING, TargetGroup.MS, 8, -20, 8, 8),
    ("Aktiv etter kreft", CourseKind.GROUP_TRAINING, TargetGroup.CANCER, 12, 14, 10, 7),
    ("Sterk og stødig 65+", CourseKind.GROUP_TRAINING, TargetGroup.FALLS, 6, -10, 12, 10),
]
TOPICS = ["Oppstart og mål", "Pust og mestring", "Fysisk aktivitet", "Kosthold", "Hverdagen"]


def _unit() -> Unit:
    unit = Unit.objects.filter(name=UNIT_NAME).first()
    return unit or Unit.objects.create(name=UNIT_NAME, kind=UnitKind.INTERNAL)


def build_courses_demo(
    rng: random.Random, persons: list[Person], staff: Staff, today: datetime.date
) -> None:
    if Course.objects.exists():
        return
    unit = _unit()
    zone = timezone.get_current_timezone()
    now = timezone.now()
    for title, kind, target, capacity, offset, session_count, wanted in COURSES:
        starts_on = today + datetime.timedelta(days=offset)
        course = Course.objects.create(
            title=title,
            kind=kind,
            target_group=target,
            unit=unit,
            description=f"{title}: samlinger en gang i uka med fagfolk og likepersoner.",
            capacity=capacity,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(weeks=session_count),
        )
        sessions = [
            CourseSession.objects.create(
                course=course,
                starts_at=datetime.datetime.combine(
                    starts_on + datetime.timedelta(weeks=week), datetime.time(13, 0), tzinfo=zone
                ),
                ends_at=datetime.datetime.combine(
                    starts_on + datetime.timedelta(weeks=week), datetime.time(15, 0), tzinfo=zone
                ),
                place="Helsehuset, sal 2",
                topic=TOPICS[week % len(TOPICS)],
            )
            for week in range(session_count)
        ]
        pool = [p for p in persons if target != TargetGroup.FALLS or p.age_on(today) >= 65]
        chosen = rng.sample(pool or persons, min(wanted, len(pool or persons)))
        for index, person in enumerate(chosen):
            waiting = index >= capacity
            enrolled_on = starts_on - datetime.timedelta(days=rng.randint(5, 40))
            enrolment = Enrolment.objects.create(
                course=course,
                person=person,
                status=EnrolmentStatus.WAITING if waiting else EnrolmentStatus.ENROLLED,
                enrolled_on=min(enrolled_on, today),
                waiting_since=now - datetime.timedelta(days=rng.randint(3, 30))
                if waiting
                else None,
            )
            EnrolmentStatusChange.objects.create(
                enrolment=enrolment, to_status=enrolment.status, changed_by=staff.user
            )
            if waiting:
                continue
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        municipality=course.municipality,
                        session=session,
                        enrolment=enrolment,
                        present=rng.random() < 0.85,
                    )
                    for session in sessions
                    if session.starts_at < now
                ]
            )
