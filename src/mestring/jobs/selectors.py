"""Reads: what is due on a day (the reminder scan's input), and a staff member's reminders.

Each kind has a notice period: it is found from that many days before its date, and
not before. The case deadlines reuse the selectors behind the deadline page
(`casework.selectors`), and overdue loans the store's list, so a reminder and the
page never disagree about what is due.

Catching up. A reminder missed while the worker was stopped is made when it runs
again, once (the scan skips what exists). Most kinds stay due until the item is dealt
with (plans, follow-up items, cases, loans), so they catch up by themselves. The two
whose period closes on its date — decisions ending and consents expiring — are also
found up to `CATCH_UP_DAYS` after that date. A reminder made after the last day it
was timely is marked `late`. Meeting notices are not caught up after the meeting.

Events. An appointment as coordinator, a person who came into the user's care and a
message from a citizen or relative are told once each, to the one whose work it now
is, for `EVENT_DAYS` after they happened (so a stopped worker catches up, and old
events do not come as news).

Meetings. Each invited member is told of the meeting once per version (the iCalendar
SEQUENCE): first an invitation, then a notice of change for each later version that
is found, or of the cancellation — the latter two only to those already told of it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from mestring.access.models import CareRelation, CareRelationKind, Consent
from mestring.casework import selectors as case_selectors
from mestring.casework.models import PROVISIONAL_REPLY_DAYS
from mestring.casework.selectors import ENDING_SOON_DAYS
from mestring.devices.selectors.loans import overdue as overdue_loans
from mestring.jobs.models import (
    MEETING_KINDS,
    NotificationChannel,
    NotificationPreference,
    Reminder,
    ReminderKind,
)
from mestring.people.models import Staff
from mestring.plans.models import CoordinatorAssignment, IndividualPlan, PlanStatus
from mestring.portal.selectors import unread_citizen_messages
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
# Events (an appointment, a new person in the user's care, a message from a citizen)
# are found this many days after they happened: a worker stopped for a while still
# tells of them, and an event older than this is no longer news.
EVENT_DAYS = 14
# How long after its date a missed reminder of a kind whose period closes on that date
# (decisions ending, consents expiring) is still made. The decisions' catch-up reads the
# deadline page's list as on this many days ago, which covers exactly its period.
CATCH_UP_DAYS = ENDING_SOON_DAYS
# The last day a reminder is timely, counted from its due date: kinds about something
# ahead are timely up to the date; kinds about something overdue are first found the
# day after it. Kinds not listed (meetings) are never late.
TIMELY_DAYS_AFTER_DUE: dict[str, int] = {
    ReminderKind.PLAN_REVISION: 0,
    ReminderKind.FOLLOW_UP: 0,
    ReminderKind.CASE_PROVISIONAL_REPLY: 0,
    ReminderKind.DECISION_ENDING: 0,
    ReminderKind.CONSENT_EXPIRING: 0,
    ReminderKind.CASE_OVERDUE: 1,
    ReminderKind.LOAN_OVERDUE: 1,
    # An event is timely on its day and the next (the daily scan may come after it).
    ReminderKind.COORDINATOR_APPOINTED: 1,
    ReminderKind.NEW_CARE_RELATION: 1,
    ReminderKind.CITIZEN_MESSAGE: 1,
}


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
    late: bool = False

    @property
    def recipient_key(self) -> str:
        if self.staff:
            return f"staff:{self.staff.pk}"
        assert self.member is not None  # every due item is made with one or the other
        return f"member:{self.member.pk}"

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
        # The query finds only plans with a revision date.
        if staff and plan.next_revision_on is not None:
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
    items = list(
        FollowUpItem.objects.filter(
            done_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_NOTICE_DAYS),
        ).select_related("responsible_member__staff", "meeting__group")
    )
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
    """Service decisions ending within the deadline page's period, or ended within the
    last `CATCH_UP_DAYS` (caught up; the scan skips those already reminded): to the
    caseworker of the case, or the one who decided when the case has none."""
    earlier = today - datetime.timedelta(days=CATCH_UP_DAYS)
    decisions = case_selectors.decisions_ending_soon(today) | case_selectors.decisions_ending_soon(
        earlier
    )
    for decision in decisions.select_related("decided_by"):
        staff = _active(decision.case.caseworker) or _active(decision.decided_by)
        # Decisions ending soon have an end date.
        if staff and decision.valid_to is not None:
            yield DueItem(
                ReminderKind.DECISION_ENDING,
                decision.case.person_id,
                "decision",
                decision.pk,
                decision.valid_to,
                staff=staff,
            )


def consents_expiring(today: datetime.date) -> Iterator[DueItem]:
    """Consents in force that end within the notice period, or that ran out (in force
    to their last day) within the last `CATCH_UP_DAYS`: to the person's coordinator,
    who is the one to ask for a new consent."""
    ending = Consent.objects.in_force(today).filter(
        expires_on__lte=today + datetime.timedelta(days=CONSENT_NOTICE_DAYS)
    )
    ran_out = Consent.objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=F("expires_on")),
        expires_on__gte=today - datetime.timedelta(days=CATCH_UP_DAYS),
        expires_on__lt=today,
        given_on__lte=F("expires_on"),
    )
    consents = list(ending | ran_out)
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
        # An overdue loan has its expected return date.
        if staff and loan.expected_return_on is not None:
            yield DueItem(
                ReminderKind.LOAN_OVERDUE,
                loan.person_id,
                "loan",
                loan.pk,
                loan.expected_return_on,
                staff=staff,
            )


def coordinator_appointments(today: datetime.date) -> Iterator[DueItem]:
    """Current appointments as coordinator that started within the last `EVENT_DAYS`
    (or start ahead): to the coordinator, once per appointment."""
    since = today - datetime.timedelta(days=EVENT_DAYS)
    for assignment in CoordinatorAssignment.objects.filter(
        ended_on__isnull=True, started_on__gte=since
    ).select_related("coordinator"):
        staff = _active(assignment.coordinator)
        if staff:
            yield DueItem(
                ReminderKind.COORDINATOR_APPOINTED,
                assignment.person_id,
                "coordinator_assignment",
                assignment.pk,
                assignment.started_on,
                staff=staff,
            )


def new_care_relations(now: datetime.datetime) -> Iterator[DueItem]:
    """Care relations of one staff member that came into force within the last
    `EVENT_DAYS` and that someone else gave: to that staff member. An appointment as
    coordinator has its own reminder, and a relation the user made (taking a case) is
    no news to them; intake relations open only the messages of need."""
    since = now - datetime.timedelta(days=EVENT_DAYS)
    relations = (
        CareRelation.objects.active(now)
        .filter(staff__isnull=False, valid_from__gte=since)
        .exclude(kind=CareRelationKind.COORDINATOR)
        .select_related("staff")
    )
    for relation in relations:
        staff = _active(relation.staff)
        if staff and relation.created_by_id != staff.user_id:
            yield DueItem(
                ReminderKind.NEW_CARE_RELATION,
                relation.person_id,
                "care_relation",
                relation.pk,
                timezone.localdate(relation.valid_from),
                staff=staff,
            )


def citizen_messages(now: datetime.datetime) -> Iterator[DueItem]:
    """Unread messages from a person or their relative, sent within the last
    `EVENT_DAYS`: to the person's coordinator, who the conversation is with."""
    messages = list(unread_citizen_messages(now - datetime.timedelta(days=EVENT_DAYS)))
    coordinators = _coordinators({message.conversation.person_id for message in messages})
    for message in messages:
        person_id = message.conversation.person_id
        staff = _active(coordinators.get(person_id))
        if staff:
            yield DueItem(
                ReminderKind.CITIZEN_MESSAGE,
                person_id,
                "citizen_message",
                message.pk,
                timezone.localdate(message.sent_at),
                staff=staff,
            )


def member_email(member: GroupMember) -> str:
    if member.email:
        return member.email
    if member.kind == MemberKind.RELATIVE and member.relative is not None:
        return member.relative.email
    if member.kind == MemberKind.PERSON:
        return member.group.person.email
    return ""


def _told(meeting_ids: set[int]) -> dict[tuple[str, int], int]:
    """The latest version of each meeting each recipient has been told of."""
    rows = (
        Reminder.objects.filter(
            kind__in=MEETING_KINDS, object_type="meeting", object_id__in=meeting_ids
        )
        .values("recipient_key", "object_id")
        .annotate(latest=Max("version"))
    )
    return {(row["recipient_key"], row["object_id"]): row["latest"] for row in rows}


def meeting_invitations(now: datetime.datetime) -> Iterator[DueItem]:
    """Notices of meetings still ahead, to each invited current member who is staff or
    who has an e-mail address: an invitation to a planned meeting; when the meeting has
    a version (SEQUENCE) the member has not been told of, a notice of the change — or
    of the cancellation, for a cancelled meeting they were told of. Compared with what
    was told, so each version gives one notice, about the meeting as it is now."""
    attendances = list(
        Attendance.objects.filter(
            meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED],
            meeting__starts_at__gte=now,
            invited_at__isnull=False,
            member__ended_on__isnull=True,
        ).select_related(
            "meeting__group__person", "member__staff", "member__relative", "member__group__person"
        )
    )
    told = _told({attendance.meeting_id for attendance in attendances})
    for attendance in attendances:
        meeting, member = attendance.meeting, attendance.member
        staff = _active(member.staff)
        if staff is None and not member_email(member):
            continue
        recipient_key = f"staff:{staff.pk}" if staff else f"member:{member.pk}"
        latest = told.get((recipient_key, meeting.pk))
        if latest is not None and latest >= meeting.sequence:
            continue  # already told of this version
        if meeting.status == MeetingStatus.CANCELLED:
            if latest is None:
                continue  # never told of the meeting: nothing to call off
            kind = ReminderKind.MEETING_CANCELLED
        elif latest is None:
            kind = ReminderKind.MEETING_INVITATION
        else:
            kind = ReminderKind.MEETING_CHANGED
        yield DueItem(
            kind,
            meeting.group.person_id,
            "meeting",
            meeting.pk,
            timezone.localtime(meeting.starts_at).date(),
            staff=staff,
            member=None if staff else member,
            version=meeting.sequence,
        )


def is_late(kind: str, due_on: datetime.date, today: datetime.date) -> bool:
    """Whether a reminder made `today` comes after the last day it was timely."""
    days = TIMELY_DAYS_AFTER_DUE.get(kind)
    return days is not None and today > due_on + datetime.timedelta(days=days)


def due_items(now: datetime.datetime, kinds: set[str] | None = None) -> Iterator[DueItem]:
    """Everything due at `now` in the active municipality (each marked late or not),
    optionally of some kinds only."""
    today = timezone.localdate(now)
    sources = (
        ({ReminderKind.PLAN_REVISION}, lambda: plan_revisions(today)),
        ({ReminderKind.FOLLOW_UP}, lambda: follow_ups(today)),
        (
            {ReminderKind.CASE_PROVISIONAL_REPLY, ReminderKind.CASE_OVERDUE},
            lambda: case_deadlines(today),
        ),
        ({ReminderKind.DECISION_ENDING}, lambda: decisions_ending(today)),
        ({ReminderKind.CONSENT_EXPIRING}, lambda: consents_expiring(today)),
        ({ReminderKind.LOAN_OVERDUE}, lambda: loans_overdue(today)),
        (MEETING_KINDS, lambda: meeting_invitations(now)),
        ({ReminderKind.COORDINATOR_APPOINTED}, lambda: coordinator_appointments(today)),
        ({ReminderKind.NEW_CARE_RELATION}, lambda: new_care_relations(now)),
        ({ReminderKind.CITIZEN_MESSAGE}, lambda: citizen_messages(now)),
    )
    # A source runs when any of its kinds is asked for, and gives all of them: the
    # invitation scan (asking for invitations) also gives the notices of change.
    for source_kinds, source in sources:
        if kinds is None or source_kinds & set(kinds):
            for item in source():
                yield replace(item, late=is_late(item.kind, item.due_on, today))


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


def unseen_for(staff: Staff) -> QuerySet[Reminder]:
    """The staff member's reminders not yet seen, newest first ("Nye" on the page)."""
    return Reminder.objects.filter(staff=staff, seen_at__isnull=True).order_by("-created_at", "-pk")


def unseen_count(staff: Staff) -> int:
    return unseen_for(staff).count()
