"""Reads of responsibility groups, meetings and follow-up items, in fixed queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from mestring.people.models import Person, Staff
from mestring.plans.models import CoordinatorAssignment
from mestring.plans.selectors import current_coordinator
from mestring.teams.models import (
    Attendance,
    CalendarFeed,
    FollowUpItem,
    GroupMember,
    Meeting,
    MeetingStatus,
    ResponsibilityGroup,
)

MEMBER_RELATED = ("staff__user", "unit", "relative", "group__person")


class Overdue(TypedDict):
    """What `_with_overdue` annotates on each follow-up item."""

    is_overdue: bool


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A follow-up item read through `_with_overdue`.
    FollowUpWithOverdue = WithAnnotations[FollowUpItem, Overdue]


def current_group(person: Person) -> ResponsibilityGroup | None:
    return ResponsibilityGroup.objects.filter(person=person, ended_on__isnull=True).first()


def members(group: ResponsibilityGroup) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(group=group).select_related(*MEMBER_RELATED)


@dataclass(frozen=True)
class GroupPage:
    group: ResponsibilityGroup
    current_members: list[GroupMember]
    past_members: list[GroupMember]
    upcoming_meetings: list[Meeting]
    past_meetings: list[Meeting]
    chair: GroupMember | None
    chair_is_coordinator: bool
    coordinator_name: str


def group_page(group: ResponsibilityGroup, now: datetime.datetime | None = None) -> GroupPage:
    """The group with its members (current and past) and meetings."""
    now = now or timezone.now()
    everyone = list(members(group))
    current = [m for m in everyone if m.ended_on is None]
    ended = [(m.ended_on, m) for m in everyone if m.ended_on is not None]
    past = [m for _day, m in sorted(ended, key=lambda pair: pair[0])]
    meetings = list(Meeting.objects.filter(group=group).order_by("starts_at"))
    upcoming = [m for m in meetings if m.ends_at >= now and m.is_planned]
    upcoming_ids = {m.pk for m in upcoming}
    earlier = [m for m in reversed(meetings) if m.pk not in upcoming_ids]
    chair = next((m for m in current if m.is_chair), None)
    assignment = current_coordinator(group.person)
    coordinator = assignment.coordinator if assignment else None
    return GroupPage(
        group=group,
        current_members=current,
        past_members=past,
        upcoming_meetings=upcoming,
        past_meetings=earlier,
        chair=chair,
        chair_is_coordinator=bool(chair and coordinator and chair.staff_id == coordinator.pk),
        coordinator_name=str(coordinator) if coordinator else "",
    )


def chair_is_current_coordinator(member: GroupMember) -> bool:
    assignment = current_coordinator(member.group.person)
    return bool(assignment and member.staff_id == assignment.coordinator_id)


def person_meeting(person: Person, meeting_id: int) -> QuerySet[Meeting]:
    return Meeting.objects.filter(pk=meeting_id, group__person=person).select_related(
        "group__person"
    )


def meeting_attendances(meeting: Meeting) -> list[Attendance]:
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related(*(f"member__{name}" for name in MEMBER_RELATED))
        .order_by("-member__is_chair", "member__kind", "member__pk")
    )


def meeting_follow_ups(meeting: Meeting) -> list[FollowUpItem]:
    return list(
        FollowUpItem.objects.filter(meeting=meeting)
        .select_related(*(f"responsible_member__{name}" for name in MEMBER_RELATED))
        .order_by("done_on", "due_on", "pk")
    )


def current_members(group: ResponsibilityGroup) -> QuerySet[GroupMember]:
    return members(group).filter(ended_on__isnull=True)


# --- Lists across persons (the unit's overview and the worklists)


def week_bounds(today: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to the next Monday 00:00, local time."""
    monday = today - datetime.timedelta(days=today.weekday())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))
    end = timezone.make_aware(
        datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time())
    )
    return start, end


def meetings_this_week(today: datetime.date) -> QuerySet[Meeting]:
    start, end = week_bounds(today)
    return (
        Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("group__person")
        .order_by("starts_at")
    )


def meetings_this_week_count(today: datetime.date) -> int:
    return meetings_this_week(today).count()


def _with_overdue(
    items: QuerySet[FollowUpItem], today: datetime.date
) -> QuerySet[FollowUpWithOverdue]:
    return items.annotate(
        is_overdue=Case(
            When(due_on__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def open_follow_ups_for_staff(staff: Staff, today: datetime.date) -> QuerySet[FollowUpWithOverdue]:
    """The staff member's worklist: open items they are responsible for, overdue first."""
    items = FollowUpItem.objects.filter(
        responsible_member__staff=staff, done_on__isnull=True
    ).select_related("meeting__group__person")
    return _with_overdue(items, today).order_by("-is_overdue", "due_on", "pk")


def follow_ups_overdue_count(today: datetime.date) -> int:
    return FollowUpItem.objects.filter(done_on__isnull=True, due_on__lt=today).count()


def staff_overdue_count(staff: Staff, today: datetime.date) -> int:
    return FollowUpItem.objects.filter(
        Q(responsible_member__staff=staff), done_on__isnull=True, due_on__lt=today
    ).count()


# --- Calendar feeds

FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 365


def active_calendar_feed(staff: Staff) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).first()


def calendar_feed_meetings(staff: Staff, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The staff member's meetings from 30 days back to a year ahead: as a member of the
    responsibility group at the time of the meeting, or as the person's coordinator."""
    now = now or timezone.now()
    as_member = GroupMember.objects.filter(
        group=OuterRef("group"), staff=staff, started_on__lte=OuterRef("starts_at__date")
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("starts_at__date")))
    as_coordinator = CoordinatorAssignment.objects.filter(
        person=OuterRef("group__person"), coordinator=staff, ended_on__isnull=True
    )
    return (
        Meeting.objects.filter(
            starts_at__gte=now - datetime.timedelta(days=FEED_PAST_DAYS),
            starts_at__lt=now + datetime.timedelta(days=FEED_FUTURE_DAYS),
        )
        .filter(Exists(as_member) | Exists(as_coordinator))
        .select_related("group")
        .order_by("starts_at")
    )
