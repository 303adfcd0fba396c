"""Reads for the citizen's pages and the staff's view of what citizens wrote.

Every read takes the person from the guard, so an id of another person's object finds
nothing (404). Each page runs a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.models import AuditEvent, AuditPurpose, CareRelation, Consent
from mestring.access.selectors import person_access_log, person_consents
from mestring.access.templatetags.access_labels import (
    ON_BEHALF_PREFIX,
    action_label,
    reason_label,
    role_labels,
)
from mestring.casework.models import Case, CaseStatus, Decision
from mestring.casework.selectors import person_cases, person_decisions
from mestring.people.models import ActingBasis, Person, Relative, Staff, acting_in_force_q
from mestring.plans.models import (
    CoordinatorAssignment,
    Goal,
    GoalStatus,
    IndividualPlan,
    Measure,
    PlanParticipant,
)
from mestring.plans.selectors import active_plan, current_coordinator
from mestring.portal.guard import CITIZEN_ROLE, LOGIN_OBJECT, LOGIN_ROLE, ON_BEHALF_ROLE
from mestring.portal.models import (
    BlockRequest,
    CitizenComment,
    CommentKind,
    Conversation,
    Message,
    SenderKind,
)
from mestring.teams.models import GroupMember, Meeting, MeetingStatus
from mestring.teams.selectors import MEMBER_RELATED, current_group

__all__ = ["active_plan", "current_coordinator", "person_consents"]


# --- The citizen's plan


def _comments() -> QuerySet[CitizenComment]:
    return CitizenComment.objects.select_related("answered_by__user").order_by("created_at", "pk")


def plan_goals(plan: IndividualPlan) -> list[Goal]:
    """Goals that are not thrown away, with their measures and the comments on each."""
    measures = Measure.objects.select_related(
        "responsible_unit", "responsible_staff__user"
    ).prefetch_related(Prefetch("citizen_comments", queryset=_comments()))
    return list(
        Goal.objects.filter(plan=plan)
        .exclude(status=GoalStatus.CANCELLED)
        .prefetch_related(
            Prefetch("measures", queryset=measures),
            Prefetch("citizen_comments", queryset=_comments()),
        )
    )


def measures_without_goal(plan: IndividualPlan) -> list[Measure]:
    return list(
        Measure.objects.filter(plan=plan, goal__isnull=True)
        .select_related("responsible_unit", "responsible_staff__user")
        .prefetch_related(Prefetch("citizen_comments", queryset=_comments()))
    )


def group_members(person: Person) -> list[GroupMember]:
    group = current_group(person)
    if group is None:
        return []
    return list(
        GroupMember.objects.filter(group=group, ended_on__isnull=True).select_related(
            *MEMBER_RELATED
        )
    )


def upcoming_meetings(person: Person, now: datetime.datetime | None = None) -> list[Meeting]:
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            group__person=person, status=MeetingStatus.PLANNED, ends_at__gte=now
        ).order_by("starts_at", "pk")
    )


def shared_minutes(person: Person) -> list[Meeting]:
    """Minutes the person may read: meetings that were held, whose minutes are written
    and marked "referatet deles med personen" (teams.Meeting.minutes_shared_with_person).
    Planned and cancelled meetings never show minutes."""
    return list(
        Meeting.objects.filter(
            group__person=person,
            status=MeetingStatus.HELD,
            minutes_shared_with_person=True,
        )
        .exclude(minutes="")
        .order_by("-starts_at", "-pk")
    )


def person_upcoming_meeting(person: Person, meeting_id: int) -> QuerySet[Meeting]:
    return Meeting.objects.filter(pk=meeting_id, group__person=person, status=MeetingStatus.PLANNED)


def what_matters_notes(person: Person) -> list[CitizenComment]:
    return list(
        _comments().filter(person=person, kind=CommentKind.WHAT_MATTERS).order_by("-created_at")
    )


def proposals(person: Person) -> list[CitizenComment]:
    return list(
        _comments().filter(person=person, kind=CommentKind.PROPOSAL).order_by("-created_at")
    )


def person_goal(person: Person, goal_id: int) -> QuerySet[Goal]:
    return Goal.objects.filter(pk=goal_id, plan__person=person, plan__status="aktiv")


def person_measure(person: Person, measure_id: int) -> QuerySet[Measure]:
    return Measure.objects.filter(pk=measure_id, plan__person=person, plan__status="aktiv")


# --- Messages


def conversation(person: Person) -> Conversation | None:
    return Conversation.objects.filter(person=person).first()


def messages(person: Person) -> list[Message]:
    return list(
        Message.objects.filter(conversation__person=person)
        .select_related("staff__user")
        .order_by("sent_at", "pk")
    )


def unread_for_citizen(person: Person) -> int:
    return Message.objects.filter(
        conversation__person=person, sender_kind=SenderKind.STAFF, read_at__isnull=True
    ).count()


# --- Home


@dataclass(frozen=True)
class Home:
    plan: IndividualPlan | None
    coordinator: CoordinatorAssignment | None
    next_meeting: Meeting | None
    unread: int


def home(person: Person) -> Home:
    meetings = upcoming_meetings(person)
    return Home(
        plan=active_plan(person),
        coordinator=current_coordinator(person),
        next_meeting=meetings[0] if meetings else None,
        unread=unread_for_citizen(person),
    )


# --- Decisions, consent, participants, access log


def decisions(person: Person) -> QuerySet[Decision]:
    return person_decisions(person)


def applications(person: Person) -> list[Case]:
    """The person's cases that are not decided yet: what they have applied for."""
    return list(
        person_cases(person).filter(
            status__in=[CaseStatus.RECEIVED, CaseStatus.ASSESSING, CaseStatus.WAITING]
        )
    )


def person_decision(person: Person, decision_id: int) -> QuerySet[Decision]:
    return Decision.objects.filter(pk=decision_id, case__person=person).select_related(
        "case__person", "legal_basis", "decided_by__user", "service"
    )


def person_consent(person: Person, consent_id: int) -> QuerySet[Consent]:
    return Consent.objects.filter(pk=consent_id, person=person)


def plan_participants(plan: IndividualPlan | None) -> list[PlanParticipant]:
    if plan is None:
        return []
    return list(
        PlanParticipant.objects.filter(plan=plan).select_related("staff__user", "unit", "relative")
    )


def block_requests(person: Person) -> list[BlockRequest]:
    return list(
        BlockRequest.objects.filter(person=person)
        .select_related("handled_by__user")
        .order_by("-created_at", "-pk")
    )


def representatives(person: Person) -> list[Relative]:
    """Relatives who may act on the person's behalf today (M6)."""
    return list(Relative.objects.filter(acting_in_force_q(), person=person).order_by("name", "pk"))


def person_power_of_attorney(person: Person, relative_id: int) -> QuerySet[Relative]:
    """A power of attorney the person gave, in force: the one right the person may end
    (guardianship and parental responsibility are not the person's to end)."""
    return Relative.objects.filter(
        acting_in_force_q(),
        pk=relative_id,
        person=person,
        acting_basis=ActingBasis.POWER_OF_ATTORNEY,
    )


def access_log(person: Person) -> QuerySet[AuditEvent]:
    """The same log staff see on the person's access page: nothing about staff access
    is left out."""
    return person_access_log(person)


@dataclass(frozen=True)
class AccessLine:
    """One line of the access log as the person reads it: who, in what role, did what,
    and why, in words (L1: the person's own use is the person's, a relative's is the
    relative's)."""

    event: AuditEvent
    who: str
    role: str
    what: str
    why: str

    @property
    def emergency(self) -> bool:
        return self.event.purpose == AuditPurpose.EMERGENCY


def _citizen_acting(event: AuditEvent) -> tuple[str, str]:
    """Whose use of the citizen pages an event records: ("self", ""), ("relative",
    basis), or ("unknown", "") for a login written before logins named whose it was."""
    roles = [code for code in event.role.split(",") if code]
    if ON_BEHALF_ROLE in roles:
        after = roles[roles.index(ON_BEHALF_ROLE) + 1 :]
        return "relative", after[0] if after else ""
    if event.reason_code.startswith(ON_BEHALF_PREFIX):
        return "relative", event.reason_code.removeprefix(ON_BEHALF_PREFIX)
    if CITIZEN_ROLE in roles:
        return "self", ""
    if LOGIN_ROLE in roles:
        return "unknown", ""
    return "self", ""


def _citizen_line(event: AuditEvent, person: Person, viewer_is_person: bool) -> AccessLine:
    acting, basis = _citizen_acting(event)
    what = _("Logget inn på Min side") if event.object_type == LOGIN_OBJECT else action_label(event)
    if acting == "relative":
        basis_label = str(dict(ActingBasis.choices).get(basis, basis)).lower()
        return AccessLine(
            event=event,
            who=event.username,
            role=_("Pårørende"),
            what=what,
            why=_("På vegne av deg (%(basis)s)") % {"basis": basis_label}
            if basis_label
            else _("På vegne av deg"),
        )
    if acting == "unknown":
        return AccessLine(
            event=event,
            who=_("Ikke lagret"),
            role=_("Innlogging på Min side"),
            what=what,
            why=str(AuditPurpose.CITIZEN.label),
        )
    return AccessLine(
        event=event,
        who=_("Du selv") if viewer_is_person else person.full_name,
        role=_("Personen selv"),
        what=what,
        why=str(AuditPurpose.CITIZEN.label),
    )


def access_log_lines(
    events: list[AuditEvent], person: Person, *, viewer_is_person: bool
) -> list[AccessLine]:
    """The access log's events in words. `viewer_is_person`: the person reads their own
    log ("Du selv"); a relative reading it on their behalf sees the person's name."""
    lines = []
    for event in events:
        if event.user_id is not None or event.purpose != AuditPurpose.CITIZEN:
            user = event.user
            # The name as it was when the row was written; older rows have only the user.
            live = (user.get_full_name() or event.username) if user else _("Systemet")
            who = event.actor_name or live
            lines.append(
                AccessLine(
                    event=event,
                    who=who,
                    role=role_labels(event.role),
                    what=action_label(event),
                    why=reason_label(event),
                )
            )
        else:
            lines.append(_citizen_line(event, person, viewer_is_person))
    return lines


# --- Staff side


@dataclass(frozen=True)
class CitizenInput:
    comments: list[CitizenComment]
    messages: list[Message]
    block_requests: list[BlockRequest]


def citizen_input(person: Person) -> CitizenInput:
    comments = list(
        CitizenComment.objects.filter(person=person)
        .select_related("goal", "measure", "answered_by__user", "accepted_goal")
        .order_by("-created_at", "-pk")
    )
    return CitizenInput(
        comments=comments, messages=messages(person), block_requests=block_requests(person)
    )


def person_comment(person: Person, comment_id: int) -> QuerySet[CitizenComment]:
    return CitizenComment.objects.filter(pk=comment_id, person=person).select_related(
        "plan", "person"
    )


def person_block_request(person: Person, request_id: int) -> QuerySet[BlockRequest]:
    return BlockRequest.objects.filter(pk=request_id, person=person)


def staff_inbox(staff: Staff) -> QuerySet[Person]:
    """Persons the staff member has an active care relation to, with unanswered input:
    comments and proposals without an answer, unread messages from the citizen, and
    requests for sperring not handled. One query."""
    person_ids = CareRelation.objects.active().for_staff(staff).values("person_id")
    unread = Q(
        conversations__messages__sender_kind=SenderKind.CITIZEN,
        conversations__messages__read_at__isnull=True,
    )
    return (
        Person.objects.filter(pk__in=person_ids)
        .annotate(
            open_comments=Count(
                "citizen_comments",
                filter=Q(citizen_comments__answered_at__isnull=True),
                distinct=True,
            ),
            unread_messages=Count("conversations__messages", filter=unread, distinct=True),
            open_block_requests=Count(
                "block_requests", filter=Q(block_requests__handled_at__isnull=True), distinct=True
            ),
        )
        .filter(Q(open_comments__gt=0) | Q(unread_messages__gt=0) | Q(open_block_requests__gt=0))
        .order_by("family_name", "given_name", "pk")
    )


def unread_citizen_messages(since: datetime.datetime) -> QuerySet[Message]:
    """Messages from persons and their relatives, sent at `since` or later, that no one
    on the staff side has read yet (the reminder scan's input), oldest first."""
    return (
        Message.objects.filter(
            sender_kind=SenderKind.CITIZEN, read_at__isnull=True, sent_at__gte=since
        )
        .select_related("conversation")
        .order_by("sent_at", "pk")
    )
