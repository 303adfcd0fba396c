"""Reads of courses, in a fixed number of queries per page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mestring.courses.models import (
    TAKING_PART,
    Attendance,
    Course,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
)
from mestring.people.models import Person


class CourseCounts(TypedDict):
    """What `courses` annotates on each course."""

    enrolled_count: int
    waiting_count: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A course read through `courses`.
    CountedCourse = WithAnnotations[Course, CourseCounts]


def courses() -> QuerySet[CountedCourse]:
    """Every course with its counts of enrolled and waiting, newest first."""
    return (
        Course.objects.select_related("unit", "service")
        .annotate(
            enrolled_count=Count("enrolments", filter=Q(enrolments__status__in=TAKING_PART)),
            waiting_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
        )
        .order_by("-starts_on", "title", "pk")
    )


def open_courses(today: datetime.date) -> QuerySet[CountedCourse]:
    return (
        courses()
        .filter(is_published=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("starts_on", "title", "pk")
    )


@dataclass
class Waiting:
    enrolment: Enrolment
    position: int
    days: int


@dataclass
class MatrixRow:
    enrolment: Enrolment
    cells: list[bool | None]
    present_count: int = 0


@dataclass
class CoursePage:
    course: Course
    sessions: list[CourseSession]
    taking_part: list[Enrolment]
    waiting: list[Waiting]
    withdrawn: list[Enrolment]
    matrix: list[MatrixRow] = field(default_factory=list)


def course_page(course: Course, today: datetime.date | None = None) -> CoursePage:
    """Sessions, participants, the waiting list with waiting days, and the attendance
    matrix: four queries whatever the numbers."""
    today = today or timezone.localdate()
    sessions = list(CourseSession.objects.filter(course=course).order_by("starts_at", "pk"))
    enrolments = list(
        Enrolment.objects.filter(course=course).select_related("person").order_by("pk")
    )
    marks = {
        (a.enrolment_id, a.session_id): a.present
        for a in Attendance.objects.filter(session__course=course)
    }
    taking_part = sorted(
        (e for e in enrolments if e.status in TAKING_PART),
        key=lambda e: (e.person.family_name, e.person.given_name, e.pk),
    )
    in_line = sorted(
        (e for e in enrolments if e.status == EnrolmentStatus.WAITING),
        key=lambda e: (e.waiting_since, e.pk),
    )
    waiting = [
        Waiting(e, position, (today - timezone.localtime(e.waiting_since).date()).days)
        for position, e in enumerate(in_line, start=1)
    ]
    matrix = []
    for enrolment in taking_part:
        cells = [marks.get((enrolment.pk, s.pk)) for s in sessions]
        matrix.append(MatrixRow(enrolment, cells, sum(1 for c in cells if c)))
    return CoursePage(
        course=course,
        sessions=sessions,
        taking_part=taking_part,
        waiting=waiting,
        withdrawn=[e for e in enrolments if e.status == EnrolmentStatus.WITHDRAWN],
        matrix=matrix,
    )


def person_enrolments(person: Person) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(person=person)
        .select_related("course__unit")
        .order_by("-enrolled_on", "-pk")
    )


def session_participants(session: CourseSession) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(course=session.course_id, status__in=TAKING_PART)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )


def present_ids(session: CourseSession) -> list[int]:
    return list(
        Attendance.objects.filter(session=session, present=True).values_list(
            "enrolment_id", flat=True
        )
    )
