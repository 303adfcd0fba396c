"""Responsibility groups, their members, meetings and follow-up items.

Each write is one transaction with its audit row about the person.
Staff members of a group see the person through a care relation of kind
"ansvarsgruppe" for as long as they are members: only a care relation opens a record.
A meeting's status changes only through `transition()`.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import CareRelationKind
from mestring.access.services import care_relation_grant, care_relations_end_for
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, NotAllowed, RuleBroken
from mestring.kernel.states import TransitionNotAllowed, record_initial_status, transition
from mestring.people.models import Person, Relative, Staff, Unit
from mestring.plans.models import IndividualPlan
from mestring.plans.selectors import current_coordinator
from mestring.teams.models import (
    Attendance,
    CalendarFeed,
    FollowUpItem,
    GroupMember,
    Meeting,
    MeetingStatus,
    MemberKind,
    ResponsibilityGroup,
    ServiceLine,
)


class TeamRuleError(RuleBroken):
    """A request the rules do not allow; the message is for the user."""

    code = "team_rule"


class TeamStateConflict(Conflict, TeamRuleError):
    """The group, membership, meeting or follow-up is in a state that does not allow
    this now (ended, cancelled, done, still open work)."""

    code = "team_state"


class TeamNotAllowed(NotAllowed, TeamRuleError):
    """Only a member of staff may do this."""

    code = "team_not_allowed"


def _audit(actor: Actor, action: str, object_type: str, object_id: int, person: Person) -> None:
    record_event(
        actor=actor, action=action, object_type=object_type, object_id=object_id, person=person
    )


def _grant_member_access(actor: Actor, member: GroupMember) -> None:
    """An internal staff member of the group sees the person while a member."""
    care_relation_grant(
        actor=actor,
        person=member.group.person,
        kind=CareRelationKind.GROUP_MEMBER,
        reason=_("Medlem av ansvarsgruppen"),
        staff=member.staff,
    )


# --- Groups


def group_create(
    *,
    actor: Actor,
    person: Person,
    started_on: datetime.date,
    plan: IndividualPlan | None = None,
) -> ResponsibilityGroup:
    """A new group with the person as member and the current coordinator as chair."""
    if ResponsibilityGroup.objects.filter(person=person, ended_on__isnull=True).exists():
        raise TeamStateConflict(_("Personen har allerede en aktiv ansvarsgruppe."))
    if plan is not None and plan.person_id != person.pk:
        raise TeamRuleError(_("Planen tilhører en annen person."))
    with transaction.atomic():
        group = ResponsibilityGroup.objects.create(person=person, plan=plan, started_on=started_on)
        _audit(actor, AuditAction.CREATE, "responsibility_group", group.pk, person)
        GroupMember.objects.create(
            group=group,
            kind=MemberKind.PERSON,
            role=_("Personen selv"),
            started_on=started_on,
            email=person.email,
        )
        assignment = current_coordinator(person)
        if assignment is not None:
            chair = GroupMember.objects.create(
                group=group,
                kind=MemberKind.INTERNAL,
                staff=assignment.coordinator,
                role=_("Koordinator"),
                line=ServiceLine.FIRST,
                is_chair=True,
                email=assignment.coordinator.user.email,
                started_on=started_on,
            )
            _grant_member_access(actor, chair)
    return group


def _open_follow_ups(**filters: object) -> bool:
    return FollowUpItem.objects.filter(done_on__isnull=True, **filters).exists()


def group_end(
    *, actor: Actor, group: ResponsibilityGroup, ended_on: datetime.date
) -> ResponsibilityGroup:
    """End the group and every membership, with the members' access."""
    if group.ended_on is not None:
        raise TeamStateConflict(_("Ansvarsgruppen er allerede avsluttet."))
    if ended_on < group.started_on:
        raise TeamRuleError(_("Sluttdatoen kan ikke være før gruppen ble opprettet."))
    if group.meetings.filter(status=MeetingStatus.PLANNED).exists():
        raise TeamStateConflict(
            _("Gruppen har planlagte møter. Avlys dem eller registrer referat først.")
        )
    if _open_follow_ups(meeting__group=group):
        raise TeamStateConflict(
            _("Gruppen har oppfølgingspunkter som ikke er utført. Marker dem som utført først.")
        )
    with transaction.atomic():
        for member in group.members.filter(ended_on__isnull=True).select_related("staff"):
            _end_membership(actor, member, max(ended_on, member.started_on))
        group.ended_on = ended_on
        group.save(update_fields=["ended_on"])
        _audit(actor, AuditAction.END, "responsibility_group", group.pk, group.person)
    return group


# --- Members


def _check_member_target(
    group: ResponsibilityGroup,
    kind: str,
    staff: Staff | None,
    unit: Unit | None,
    relative: Relative | None,
    name: str,
) -> None:
    if kind == MemberKind.PERSON:
        raise TeamRuleError(_("Personen selv er alltid medlem av gruppen."))
    if kind == MemberKind.RELATIVE:
        if relative is None:
            raise TeamRuleError(_("Velg hvilken pårørende som skal være med."))
        if relative.person_id != group.person_id:
            raise TeamRuleError(_("Den pårørende hører ikke til denne personen."))
    elif kind == MemberKind.INTERNAL:
        if staff is None and unit is None:
            raise TeamRuleError(_("Velg en ansatt eller en enhet."))
    elif kind == MemberKind.EXTERNAL:
        if not name.strip() and unit is None:
            raise TeamRuleError(
                _("Skriv navnet på den eksterne samarbeidsparten, eller velg enhet.")
            )
    else:
        raise TeamRuleError(_("Ukjent type medlem."))
    current = group.members.filter(ended_on__isnull=True)
    if staff is not None and current.filter(staff=staff).exists():
        raise TeamStateConflict(_("Den ansatte er allerede medlem av gruppen."))
    if relative is not None and current.filter(relative=relative).exists():
        raise TeamStateConflict(_("Den pårørende er allerede medlem av gruppen."))


def member_add(
    *,
    actor: Actor,
    group: ResponsibilityGroup,
    kind: str,
    role: str,
    started_on: datetime.date,
    staff: Staff | None = None,
    unit: Unit | None = None,
    relative: Relative | None = None,
    name: str = "",
    line: str = "",
    email: str = "",
    is_chair: bool = False,
) -> GroupMember:
    """Add a member. A new chair takes over from the current one (one chair at a time)."""
    if group.ended_on is not None:
        raise TeamStateConflict(_("Ansvarsgruppen er avsluttet."))
    if not role.strip():
        raise TeamRuleError(_("Skriv hvilken rolle medlemmet har i gruppen."))
    if started_on < group.started_on:
        raise TeamRuleError(_("Medlemskapet kan ikke starte før gruppen ble opprettet."))
    _check_member_target(group, kind, staff, unit, relative, name)
    if is_chair and kind != MemberKind.INTERNAL:
        raise TeamRuleError(_("Lederen av gruppen må være en kommunal tjenesteyter."))
    if kind != MemberKind.RELATIVE:
        relative = None
    if kind == MemberKind.RELATIVE:
        staff = unit = None
    if not email:
        email = staff.user.email if staff else (relative.email if relative else "")
    with transaction.atomic():
        if is_chair:
            for previous in group.members.filter(is_chair=True, ended_on__isnull=True):
                previous.is_chair = False
                previous.save(update_fields=["is_chair"])
                _audit(actor, AuditAction.CHAIR_REMOVED, "group_member", previous.pk, group.person)
        member = GroupMember.objects.create(
            group=group,
            kind=kind,
            staff=staff,
            unit=unit,
            relative=relative,
            name=name.strip(),
            role=role.strip(),
            line=line,
            email=email,
            started_on=started_on,
            is_chair=is_chair,
        )
        _audit(actor, AuditAction.ADD, "group_member", member.pk, group.person)
        if staff is not None:
            _grant_member_access(actor, member)
    return member


def _end_membership(actor: Actor, member: GroupMember, ended_on: datetime.date) -> None:
    member.ended_on = ended_on
    member.save(update_fields=["ended_on"])
    _audit(actor, AuditAction.END, "group_member", member.pk, member.group.person)
    if member.staff is not None:
        care_relations_end_for(
            actor=actor,
            person=member.group.person,
            staff=member.staff,
            kind=CareRelationKind.GROUP_MEMBER,
        )


def member_end(*, actor: Actor, member: GroupMember, ended_on: datetime.date) -> GroupMember:
    """End a membership; a staff member's access through the group ends with it."""
    if member.ended_on is not None:
        raise TeamStateConflict(_("Medlemskapet er allerede avsluttet."))
    if member.kind == MemberKind.PERSON:
        raise TeamRuleError(_("Personen selv kan ikke tas ut av gruppen."))
    if ended_on < member.started_on:
        raise TeamRuleError(_("Sluttdatoen kan ikke være før medlemskapet startet."))
    if _open_follow_ups(responsible_member=member):
        # Items stay on the responsible's list until done; they must keep access to them.
        raise TeamStateConflict(
            _(
                "Medlemmet er ansvarlig for oppfølgingspunkter som ikke er utført. "
                "Marker dem som utført først."
            )
        )
    with transaction.atomic():
        _end_membership(actor, member, ended_on)
    return member


# --- Meetings


def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise TeamRuleError(_("Møtet må slutte etter at det starter."))


def _invite_current_members(meeting: Meeting) -> int:
    invited = set(meeting.attendances.values_list("member_id", flat=True))
    now = timezone.now()
    rows = [
        Attendance(meeting=meeting, member=member, invited_at=now)
        for member in meeting.group.members.filter(ended_on__isnull=True)
        if member.pk not in invited
    ]
    for row in rows:
        row.save()
    return len(rows)


def meeting_schedule(
    *,
    actor: Actor,
    group: ResponsibilityGroup,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    agenda: str = "",
) -> Meeting:
    """A planned meeting; every current member is invited."""
    if group.ended_on is not None:
        raise TeamStateConflict(_("Ansvarsgruppen er avsluttet."))
    if not place.strip():
        raise TeamRuleError(_("Skriv hvor møtet holdes."))
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            group=group,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            agenda=agenda.strip(),
            created_by=actor.user,
        )
        record_initial_status(meeting, actor=actor)
        _invite_current_members(meeting)
        _audit(actor, AuditAction.SCHEDULE, "meeting", meeting.pk, group.person)
    return meeting


def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    agenda: str = "",
) -> Meeting:
    """Change a planned meeting; SEQUENCE goes up so calendars take the new version."""
    if not meeting.is_planned:
        raise TeamStateConflict(_("Bare planlagte møter kan endres."))
    if not place.strip():
        raise TeamRuleError(_("Skriv hvor møtet holdes."))
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
        meeting.place, meeting.agenda = place.strip(), agenda.strip()
        meeting.sequence += 1
        meeting.save(update_fields=["starts_at", "ends_at", "place", "agenda", "sequence"])
        _invite_current_members(meeting)
        _audit(actor, AuditAction.UPDATE, "meeting", meeting.pk, meeting.group.person)
    return meeting


def meeting_cancel(*, actor: Actor, meeting: Meeting) -> Meeting:
    with transaction.atomic():
        _move(
            actor,
            meeting,
            MeetingStatus.CANCELLED,
            changes={"sequence": meeting.sequence + 1},
            refused=_("Bare planlagte møter kan avlyses."),
        )
        _audit(actor, AuditAction.CANCEL, "meeting", meeting.pk, meeting.group.person)
    return meeting


def _move(
    actor: Actor, meeting: Meeting, to_status: str, *, changes: dict[str, object], refused: str
) -> None:
    """Change the meeting's status by its table; a refusal is told in `refused`."""
    try:
        transition(meeting, to_status, actor=actor, changes=changes)
    except TransitionNotAllowed as exc:
        raise TeamStateConflict(refused) from exc


def meeting_record(
    *,
    actor: Actor,
    meeting: Meeting,
    attendance: dict[int, bool],
    minutes: str,
    decisions: str = "",
    shared_with_person: bool = True,
) -> Meeting:
    """Attendance and minutes of a meeting that has taken place (may be corrected later)."""
    if meeting.is_cancelled:
        raise TeamStateConflict(_("Møtet er avlyst."))
    if meeting.starts_at > timezone.now():
        raise TeamStateConflict(_("Møtet har ikke startet ennå. Referatet skrives etter møtet."))
    if not minutes.strip():
        raise TeamRuleError(_("Skriv referatet fra møtet."))
    rows = {row.member_id: row for row in meeting.attendances.all()}
    unknown = set(attendance) - set(rows)
    if unknown:
        raise TeamRuleError(_("Bare de som var invitert kan registreres som til stede."))
    with transaction.atomic():
        for member_id, row in rows.items():
            row.attended = bool(attendance.get(member_id, False))
            row.save(update_fields=["attended"])
        fields = {
            "minutes": minutes.strip(),
            "decisions": decisions.strip(),
            "minutes_shared_with_person": shared_with_person,
        }
        if _held(meeting):
            # A correction of the minutes: no change of status.
            for name, value in fields.items():
                setattr(meeting, name, value)
            meeting.save(update_fields=list(fields))
        else:
            _move(actor, meeting, MeetingStatus.HELD, changes=fields, refused=_("Møtet er avlyst."))
        _audit(actor, AuditAction.RECORD, "meeting", meeting.pk, meeting.group.person)
    return meeting


def _held(meeting: Meeting) -> bool:
    """Whether the meeting is recorded as held, read under its row lock, so two first
    records at once make one change of status and one correction."""
    status = Meeting._base_manager.select_for_update().values_list("status", flat=True)
    return status.get(pk=meeting.pk) == MeetingStatus.HELD


# --- Follow-up items


def follow_up_add(
    *,
    actor: Actor,
    meeting: Meeting,
    what: str,
    responsible_member: GroupMember,
    due_on: datetime.date,
) -> FollowUpItem:
    """Who does what by when; stays on the responsible's list until done."""
    if not meeting.is_held:
        raise TeamStateConflict(
            _("Registrer referatet fra møtet før du legger til oppfølgingspunkter.")
        )
    if not what.strip():
        raise TeamRuleError(_("Skriv hva som skal gjøres."))
    if responsible_member.group_id != meeting.group_id or responsible_member.ended_on:
        raise TeamRuleError(_("Den ansvarlige må være et nåværende medlem av gruppen."))
    if due_on < timezone.localtime(meeting.starts_at).date():
        raise TeamRuleError(_("Fristen kan ikke være før møtet."))
    with transaction.atomic():
        item = FollowUpItem.objects.create(
            meeting=meeting, what=what.strip(), responsible_member=responsible_member, due_on=due_on
        )
        _audit(actor, AuditAction.CREATE, "follow_up", item.pk, meeting.group.person)
    return item


def follow_up_done(
    *, actor: Actor, item: FollowUpItem, done_on: datetime.date | None = None
) -> FollowUpItem:
    done_on = done_on or timezone.localdate()
    if item.done_on is not None:
        raise TeamStateConflict(_("Oppfølgingspunktet er allerede utført."))
    if done_on > timezone.localdate():
        raise TeamRuleError(_("Utført-datoen kan ikke være fram i tid."))
    with transaction.atomic():
        item.done_on = done_on
        item.save(update_fields=["done_on"])
        _audit(actor, AuditAction.DONE, "follow_up", item.pk, item.meeting.group.person)
    return item


# --- Calendar feeds


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke_active_feeds(actor: Actor, staff: Staff) -> int:
    feeds = list(CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True))
    now = timezone.now()
    for feed in feeds:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        record_event(
            actor=actor, action=AuditAction.REVOKE, object_type="calendar_feed", object_id=feed.pk
        )
    return len(feeds)


def calendar_feed_create(*, actor: Actor) -> tuple[CalendarFeed, str]:
    """A new private feed for the acting staff member; any earlier one stops working.
    Returns the feed and the token, which is shown once and never stored."""
    if actor.staff is None:
        raise TeamNotAllowed(_("Bare ansatte kan ha kalenderabonnement."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        _revoke_active_feeds(actor, actor.staff)
        feed = CalendarFeed.objects.create(staff=actor.staff, token_hash=feed_token_hash(token))
        record_event(
            actor=actor, action=AuditAction.CREATE, object_type="calendar_feed", object_id=feed.pk
        )
    return feed, token


def calendar_feed_revoke(*, actor: Actor) -> int:
    """Stops the acting staff member's feed; returns how many were revoked (0 or 1)."""
    if actor.staff is None:
        return 0
    with transaction.atomic():
        return _revoke_active_feeds(actor, actor.staff)


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed a token opens, in any municipality: the request has no login, so
    the token is the credential and decides the municipality (like the login does)."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.all_objects.filter(
            token_hash=feed_token_hash(token),
            revoked_at__isnull=True,
            staff__is_active=True,
        )
        .select_related("staff", "municipality")
        .first()
    )
