"""Reads: what is due on a day (the reminder scan's input), and a staff member's reminders.

Each kind has a notice period: it is found from that many days before its date, and
not before. The case deadlines reuse the selectors behind the deadline page
(`casework.selectors`), and overdue loans the store's list, so a reminder and the
page never disagree about what is due.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone

from mestring.access.models import Consent
from mestring.casework import selectors as case_selectors
from mestring.casework.models import PROVISIONAL_REPLY_DAYS
from mestring.devices.selectors.loans import overdue as overdue_loans
from mestring.jobs.models import NotificationChannel, NotificationPreference, Reminder, ReminderKind
from mestring.people.models import Staff
from mestring.plans.models import CoordinatorAssignment, IndividualPlan, PlanStatus
from mestring.teams.models import (
    Attendance,
    FollowUpItem,
    GroupMember,
    MeetingStatus,
    MemberKind,
)

PLAN_REVISION_NOTICE_DAYS = 14
FOLLOW_UP_NOTICE_DAYS = 3
CONSENT_NOTICE_DAYS = 30


@dataclass(frozen=True)
class DueItem:
    """One reminder to be: the recipient is a staff member or a group member."""

    kind: str
    person_id: int
    object_type: str
    object_id: int
    due_on: datetime.date
    staff: Staff | None = None
    member: GroupMember | None = None
    version: int = 0

    @property
    def recipient_key(self) -> str:
        return f"staff:{self.staff.pk}" if self.staff else f"member:{self.member.pk}"

    @property
    def key(self) -> tuple:
        return (self.recipient_key, self.kind, self.object_id, self.due_on, self.version)


def _active(staff: Staff | None) -> Staff | None:
    return staff if staff is not None and staff.is_active else None


def _coordinators(person_ids: set[int]) -> dict[int, Staff]:
    rows = CoordinatorAssignment.objects.filter(
        person_id__in=person_ids, ended_on__isnull=True
    ).select_related("coordinator")
    return {row.person_id: row.coordinator for row in rows}


def plan_revisions(today: datetime.date) -> Iterator[DueItem]:
    """Active plans whose revision falls within the notice period (or has passed): to
    the person's coordinator."""
    plans = list(
        IndividualPlan.objects.filter(
            status=PlanStatus.ACTIVE,
            next_revision_on__lte=today + datetime.timedelta(days=PLAN_REVISION_NOTICE_DAYS),
        )
    )
    coordinators = _coordinators({plan.person_id for plan in plans})
    for plan in plans:
        staff = _active(coordinators.get(plan.person_id))
        if staff:
            yield DueItem(
                ReminderKind.PLAN_REVISION,
                plan.person_id,
                "plan",
                plan.pk,
                plan.next_revision_on,
                staff=staff,
            )


def follow_ups(today: datetime.date) -> Iterator[DueItem]:
    """Open follow-up items near or past their due date: to the responsible member when
    that is a staff member, otherwise to the group's chair (the coordinator)."""
    items = FollowUpItem.objects.filter(
        done_on__isnull=True,
        due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_NOTICE_DAYS),
    ).select_related("responsible_member__staff", "meeting__group")
    items = list(items)
    chairs = {
        member.group_id: member.staff
        for member in GroupMember.objects.filter(
            group_id__in={item.meeting.group_id for item in items},
            is_chair=True,
            ended_on__isnull=True,
            staff__isnull=False,
        ).select_related("staff")
    }
    for item in items:
        staff = _active(item.responsible_member.staff) or _active(chairs.get(item.meeting.group_id))
        if staff:
            yield DueItem(
                ReminderKind.FOLLOW_UP,
                item.meeting.group.person_id,
                "follow_up",
                item.pk,
                item.due_on,
                staff=staff,
            )


def case_deadlines(today: datetime.date) -> Iterator[DueItem]:
    """The deadline page's cases: those needing a provisional reply and those overdue,
    to the caseworker. The due date is the 30-day mark itself."""
    deadline = datetime.timedelta(days=PROVISIONAL_REPLY_DAYS)
    sources = (
        (ReminderKind.CASE_PROVISIONAL_REPLY, case_selectors.cases_awaiting_provisional_reply),
        (ReminderKind.CASE_OVERDUE, case_selectors.overdue_cases),
    )
    for kind, selector in sources:
        for case in selector(today).select_related("caseworker"):
            staff = _active(case.caseworker)
            if staff:
                yield DueItem(
                    kind, case.person_id, "case", case.pk, case.received_on + deadline, staff=staff
                )


def decisions_ending(today: datetime.date) -> Iterator[DueItem]:
    """Service decisions ending within the deadline page's period: to the caseworker of
    the case, or the one who decided when the case has none."""
    for decision in case_selectors.decisions_ending_soon(today).select_related("decided_by"):
        staff = _active(decision.case.caseworker) or _active(decision.decided_by)
        if staff:
            yield DueItem(
                ReminderKind.DECISION_ENDING,
                decision.case.person_id,
                "decision",
                decision.pk,
                decision.valid_to,
                staff=staff,
            )


def consents_expiring(today: datetime.date) -> Iterator[DueItem]:
    """Consents in force that end within the notice period: to the person's coordinator,
    who is the one to ask for a new consent."""
    consents = list(
        Consent.objects.in_force(today).filter(
            expires_on__lte=today + datetime.timedelta(days=CONSENT_NOTICE_DAYS)
        )
    )
    coordinators = _coordinators({consent.person_id for consent in consents})
    for consent in consents:
        staff = _active(coordinators.get(consent.person_id))
        if staff:
            yield DueItem(
                ReminderKind.CONSENT_EXPIRING,
                consent.person_id,
                "consent",
                consent.pk,
                consent.expires_on,
                staff=staff,
            )


def loans_overdue(today: datetime.date) -> Iterator[DueItem]:
    """Delivered loans past their expected return (the store's own list): to the store
    staff who delivered it, or the one who ordered it."""
    # The store's list loads only contact fields; the recipients need the staff rows too.
    for loan in overdue_loans(today).defer(None).select_related("delivered_by", "ordered_by"):
        staff = _active(loan.delivered_by) or _active(loan.ordered_by)
        if staff:
            yield DueItem(
                ReminderKind.LOAN_OVERDUE,
                loan.person_id,
                "loan",
                loan.pk,
                loan.expected_return_on,
                staff=staff,
            )


def member_email(member: GroupMember) -> str:
    if member.email:
        return member.email
    if member.kind == MemberKind.RELATIVE and member.relative_id:
        return member.relative.email
    if member.kind == MemberKind.PERSON:
        return member.group.person.email
    return ""


def meeting_invitations(now: datetime.datetime) -> Iterator[DueItem]:
    """Invitations to planned meetings still ahead: each invited current member who is
    staff, or who has an e-mail address. A changed meeting (new SEQUENCE) is a new
    invitation."""
    attendances = Attendance.objects.filter(
        meeting__status=MeetingStatus.PLANNED,
        meeting__starts_at__gte=now,
        invited_at__isnull=False,
        member__ended_on__isnull=True,
    ).select_related(
        "meeting__group__person", "member__staff", "member__relative", "member__group__person"
    )
    for attendance in attendances:
        meeting, member = attendance.meeting, attendance.member
        staff = _active(member.staff)
        if staff is None and not member_email(member):
            continue
        yield DueItem(
            ReminderKind.MEETING_INVITATION,
            meeting.group.person_id,
            "meeting",
            meeting.pk,
            timezone.localtime(meeting.starts_at).date(),
            staff=staff,
            member=None if staff else member,
            version=meeting.sequence,
        )


def due_items(now: datetime.datetime, kinds: set[str] | None = None) -> Iterator[DueItem]:
    """Everything due at `now` in the active municipality, optionally of some kinds only."""
    today = timezone.localdate(now)
    sources = (
        (ReminderKind.PLAN_REVISION, lambda: plan_revisions(today)),
        (ReminderKind.FOLLOW_UP, lambda: follow_ups(today)),
        (ReminderKind.CASE_OVERDUE, lambda: case_deadlines(today)),
        (ReminderKind.DECISION_ENDING, lambda: decisions_ending(today)),
        (ReminderKind.CONSENT_EXPIRING, lambda: consents_expiring(today)),
        (ReminderKind.LOAN_OVERDUE, lambda: loans_overdue(today)),
        (ReminderKind.MEETING_INVITATION, lambda: meeting_invitations(now)),
    )
    for kind, source in sources:
        if kinds is None or kind in kinds:
            yield from source()


def wants_email(staff: Staff) -> bool:
    return NotificationPreference.objects.filter(
        staff=staff, channel=NotificationChannel.EMAIL
    ).exists()


def channel_for(staff: Staff) -> str:
    preference = NotificationPreference.objects.filter(staff=staff).first()
    return preference.channel if preference else NotificationChannel.IN_APP


def reminders_for(staff: Staff) -> QuerySet[Reminder]:
    """The staff member's reminders, unseen first, newest first."""
    return Reminder.objects.filter(staff=staff).order_by(
        F("seen_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def unseen_count(staff: Staff) -> int:
    return Reminder.objects.filter(staff=staff, seen_at__isnull=True).count()
