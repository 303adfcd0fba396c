"""Ansvarsgrupper og møter over the API: a person's groups with members, meetings with
attendance, minutes and follow-up items, and the actor's own meetings and follow-ups.

Writes go through `mestring.teams.services`, the same functions the web views call, and
input is checked with the web's own forms where the web has one (MemberForm,
MeetingForm), so the API accepts exactly what the web accepts.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator

from mestring.access.models import Block, CareRelation
from mestring.access.request import StaffActor
from mestring.api.auth import context, endpoint
from mestring.api.errors import field_invalid, form_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import CLEAN_TEXT, MAX_ID, Strict, responses
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict
from mestring.people.models import Person
from mestring.plans.models import CoordinatorAssignment
from mestring.plans.selectors import active_plan, current_coordinator
from mestring.teams import selectors, services
from mestring.teams.forms import MeetingForm, MemberForm
from mestring.teams.models import (
    FollowUpItem,
    GroupMember,
    Meeting,
    ResponsibilityGroup,
)

router = Router(tags=["Ansvarsgrupper og møter"])

# Dates outside these years are typing errors, and far-off dates cannot be turned into
# moments in Europe/Oslo on every database; refuse them as input, not as a 500.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2200, 12, 31)
MAX_ATTENDEES = 200


def _bounded_day(value: datetime.date) -> datetime.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(_("Datoen må være mellom 01.01.1900 og 31.12.2200."))
    return value


Day = Annotated[datetime.date, AfterValidator(_bounded_day)]
MeetingStatusCode = Literal["planlagt", "avholdt", "avlyst"]
MemberKindCode = Literal["personen", "parorende", "intern", "ekstern"]
ServiceLineCode = Literal["forste", "andre", ""]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


# --- Schemas


class MemberOut(Schema):
    id: int
    group_id: int
    kind: MemberKindCode
    name: str
    role: str
    line: ServiceLineCode
    is_chair: bool
    is_coordinator: bool
    staff_id: int | None
    unit_id: int | None
    relative_id: int | None
    started_on: datetime.date
    ended_on: datetime.date | None


class GroupOut(Schema):
    id: int
    person_id: int
    plan_id: int | None
    started_on: datetime.date
    ended_on: datetime.date | None
    is_active: bool
    chair_id: int | None
    chair_is_coordinator: bool
    members: list[MemberOut]


class GroupPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[GroupOut]


class MeetingSummaryOut(Schema):
    id: int
    group_id: int
    person_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    status: MeetingStatusCode
    sequence: int


class MeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingSummaryOut]


class AttendanceOut(Schema):
    member_id: int
    name: str
    role: str
    invited_at: datetime.datetime | None
    attended: bool | None


class FollowUpOut(Schema):
    id: int
    meeting_id: int
    person_id: int
    what: str
    responsible_member_id: int
    responsible_name: str
    due_on: datetime.date
    done_on: datetime.date | None
    is_overdue: bool


class FollowUpPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[FollowUpOut]


class MeetingOut(MeetingSummaryOut):
    agenda: str
    minutes: str
    decisions: str
    minutes_shared_with_person: bool
    attendances: list[AttendanceOut]
    follow_ups: list[FollowUpOut]


class MyMeetingOut(MeetingSummaryOut):
    person_name: str


class MyMeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MyMeetingOut]


class GroupIn(Strict):
    started_on: Day


class EndIn(Strict):
    ended_on: Day


class MemberIn(Strict):
    kind: Literal["parorende", "intern", "ekstern"]
    role: Annotated[str, Field(max_length=150), CLEAN_TEXT]
    started_on: Day
    staff_id: Id | None = None
    unit_id: Id | None = None
    relative_id: Id | None = None
    name: Annotated[str, Field(max_length=200), CLEAN_TEXT] = ""
    line: ServiceLineCode = ""
    email: Annotated[str, Field(max_length=254), CLEAN_TEXT] = ""
    is_chair: bool = False


class MeetingIn(Strict):
    day: Day
    start_time: Annotated[str, Field(max_length=5), CLEAN_TEXT] = Field(
        ..., description="Klokkeslett tt:mm, norsk tid."
    )
    end_time: Annotated[str, Field(max_length=5), CLEAN_TEXT] = Field(
        ..., description="Klokkeslett tt:mm, norsk tid."
    )
    place: Annotated[str, Field(max_length=200), CLEAN_TEXT]
    agenda: Annotated[str, Field(max_length=5000), CLEAN_TEXT] = ""


class MinutesIn(Strict):
    attended: list[Id] = Field([], max_length=MAX_ATTENDEES)
    minutes: Annotated[str, Field(max_length=20000), CLEAN_TEXT]
    decisions: Annotated[str, Field(max_length=10000), CLEAN_TEXT] = ""
    shared_with_person: bool = True


class FollowUpIn(Strict):
    what: Annotated[str, Field(max_length=500), CLEAN_TEXT]
    responsible_member_id: Id
    due_on: Day


class DoneIn(Strict):
    done_on: Day | None = None


class MeetingFilters(Schema):
    date_from: Day | None = Field(None, alias="from", description="Fra og med dato (norsk tid).")
    date_to: Day | None = Field(None, alias="to", description="Til og med dato (norsk tid).")
    status: MeetingStatusCode | None = None


class MyMeetingFilters(Schema):
    date_from: Day | None = Field(
        None, alias="from", description="Fra og med dato (norsk tid); uten: i dag."
    )
    date_to: Day | None = Field(None, alias="to", description="Til og med dato (norsk tid).")
    status: MeetingStatusCode | None = None


class FollowUpFilters(Schema):
    done: bool | None = Field(None, description="true: utførte, false: ikke utførte.")


# --- Reads and conversion


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _between(
    meetings: QuerySet[Meeting], date_from: datetime.date | None, date_to: datetime.date | None
) -> QuerySet[Meeting]:
    """Meetings starting on the given local days (both ends included)."""
    if date_from is not None:
        meetings = meetings.filter(starts_at__gte=_start_of(date_from))
    if date_to is not None:
        meetings = meetings.filter(starts_at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return meetings


def _coordinator_id(person: Person) -> int | None:
    assignment = current_coordinator(person)
    return assignment.coordinator_id if assignment else None


def member_out(member: GroupMember, coordinator_id: int | None) -> dict[str, Any]:
    return {
        "id": member.pk,
        "group_id": member.group_id,
        "kind": member.kind,
        "name": member.display_name,
        "role": member.role,
        "line": member.line,
        "is_chair": member.is_chair,
        "is_coordinator": bool(
            coordinator_id and member.staff_id == coordinator_id and member.ended_on is None
        ),
        "staff_id": member.staff_id,
        "unit_id": member.unit_id,
        "relative_id": member.relative_id,
        "started_on": member.started_on,
        "ended_on": member.ended_on,
    }


def _groups(person: Person) -> QuerySet[ResponsibilityGroup]:
    members = GroupMember.objects.select_related(*selectors.MEMBER_RELATED).order_by(
        "ended_on", "-is_chair", "kind", "pk"
    )
    return (
        ResponsibilityGroup.objects.filter(person=person)
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("-started_on", "-pk")
    )


def group_out(group: ResponsibilityGroup, coordinator_id: int | None) -> dict[str, Any]:
    everyone = list(group.members.all())
    chair = next((m for m in everyone if m.is_chair and m.ended_on is None), None)
    return {
        "id": group.pk,
        "person_id": group.person_id,
        "plan_id": group.plan_id,
        "started_on": group.started_on,
        "ended_on": group.ended_on,
        "is_active": group.ended_on is None,
        "chair_id": chair.pk if chair else None,
        "chair_is_coordinator": bool(chair and coordinator_id and chair.staff_id == coordinator_id),
        "members": [member_out(m, coordinator_id) for m in everyone],
    }


def _group_of(person: Person, group_id: int) -> ResponsibilityGroup:
    return get_object_or_404(_groups(person), pk=group_id)


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "group_id": meeting.group_id,
        "person_id": meeting.group.person_id,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "status": meeting.status,
        "sequence": meeting.sequence,
    }


def follow_up_out(item: FollowUpItem, today: datetime.date) -> dict[str, Any]:
    return {
        "id": item.pk,
        "meeting_id": item.meeting_id,
        "person_id": item.meeting.group.person_id,
        "what": item.what,
        "responsible_member_id": item.responsible_member_id,
        "responsible_name": item.responsible_member.display_name,
        "due_on": item.due_on,
        "done_on": item.done_on,
        "is_overdue": item.done_on is None and item.due_on < today,
    }


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        **meeting_summary(meeting),
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
        "decisions": meeting.decisions,
        "minutes_shared_with_person": meeting.minutes_shared_with_person,
        "attendances": [
            {
                "member_id": row.member_id,
                "name": row.member.display_name,
                "role": row.member.role,
                "invited_at": row.invited_at,
                "attended": row.attended,
            }
            for row in selectors.meeting_attendances(meeting)
        ],
        "follow_ups": [follow_up_out(i, today) for i in selectors.meeting_follow_ups(meeting)],
    }


def _meeting_of(person: Person, meeting_id: int) -> Meeting:
    return get_object_or_404(selectors.person_meeting(person, meeting_id))


def _follow_ups() -> QuerySet[FollowUpItem]:
    related = (f"responsible_member__{name}" for name in selectors.MEMBER_RELATED)
    return FollowUpItem.objects.select_related("meeting__group", *related)


def _meeting_form(person: Person, data: MeetingIn) -> dict[str, Any]:
    """The web's MeetingForm: local times, summer-time gaps, no name in the place."""
    form = MeetingForm(data.model_dump(), person=person)
    if not form.is_valid():
        raise form_invalid(form)
    return {name: form.cleaned_data[name] for name in ("starts_at", "ends_at", "place", "agenda")}


READ = "Tilgang: `teams:read`, og tjenstlig behov for personen."
WRITE = "Tilgang: `teams:write`, og tjenstlig behov for personen."


# --- Groups and members


@router.get(
    "/persons/{person_id}/groups/",
    response=responses({200: GroupPage}),
    summary="Personens ansvarsgrupper med medlemmer",
    description=(
        "Den aktive gruppen og tidligere grupper, nyeste først, med nåværende og tidligere "
        "medlemmer. `is_chair` er lederen av gruppen, `is_coordinator` personens koordinator. "
        "Filter `active`: bare aktive (true) eller avsluttede (false) grupper. " + READ
    ),
)
@endpoint(scope="teams:read", object_type="responsibility_group", person=True)
def group_list(
    request: HttpRequest,
    paging: Query[Paging],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    active: bool | None = None,
    *,
    person: Person,
) -> dict:
    groups = _groups(person)
    if active is not None:
        groups = groups.filter(ended_on__isnull=active)
    coordinator_id = _coordinator_id(person)
    return page_of(groups, paging, lambda g: group_out(g, coordinator_id))


@router.get(
    "/persons/{person_id}/groups/{group_id}/",
    response=responses({200: GroupOut}),
    summary="Én ansvarsgruppe med medlemmer",
    description=READ,
)
@endpoint(scope="teams:read", object_type="responsibility_group", person=True)
def group_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    group_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return group_out(_group_of(person, group_id), _coordinator_id(person))


@router.post(
    "/persons/{person_id}/groups/",
    response=responses({201: GroupOut}),
    summary="Opprett ansvarsgruppe",
    description=(
        "Som i nettløsningen: personen blir medlem, og koordinatoren leder gruppen. Gruppen "
        "knyttes til den aktive individuelle planen. Personen kan ha én aktiv gruppe (409 "
        "ellers). " + WRITE
    ),
)
@endpoint(
    scope="teams:write", object_type="responsibility_group", person=True, action=AuditAction.CREATE
)
def group_create(
    request: HttpRequest,
    data: GroupIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    group = services.group_create(
        actor=context(request).actor,
        person=person,
        started_on=data.started_on,
        plan=active_plan(person),
    )
    return Status(201, group_out(_group_of(person, group.pk), _coordinator_id(person)))


@router.post(
    "/persons/{person_id}/groups/{group_id}/end/",
    response=responses({200: GroupOut}),
    summary="Avslutt ansvarsgruppen",
    description=(
        "Avslutter gruppen og alle medlemskap (og medlemmenes tilgang gjennom gruppen). "
        "Avvises (409) når gruppen har planlagte møter eller oppfølgingspunkter som ikke er "
        "utført. " + WRITE
    ),
)
@endpoint(
    scope="teams:write", object_type="responsibility_group", person=True, action=AuditAction.END
)
def group_end(
    request: HttpRequest,
    data: EndIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    group_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    group = _group_of(person, group_id)
    services.group_end(actor=context(request).actor, group=group, ended_on=data.ended_on)
    return group_out(_group_of(person, group.pk), _coordinator_id(person))


MEMBER_FIELDS = {"staff": "staff_id", "unit": "unit_id", "relative": "relative_id"}


@router.post(
    "/persons/{person_id}/groups/{group_id}/members/",
    response=responses({201: MemberOut}),
    summary="Legg til medlem i ansvarsgruppen",
    description=(
        "Som skjemaet i nettløsningen: `intern` (kommunal tjenesteyter: `staff_id` eller "
        "`unit_id`), `ekstern` (`name` eller `unit_id`) eller `parorende` (`relative_id`, en "
        "av personens pårørende). En ansatt som blir medlem, får tjenstlig behov for personen. "
        "Med `is_chair` tar medlemmet over som leder av gruppen. " + WRITE
    ),
)
@endpoint(scope="teams:write", object_type="group_member", person=True, action=AuditAction.ADD)
def member_add(
    request: HttpRequest,
    data: MemberIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    group_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    group = get_object_or_404(ResponsibilityGroup, pk=group_id, person=person)
    posted: dict[str, Any] = {
        "kind": data.kind,
        "name": data.name,
        "role": data.role,
        "line": data.line,
        "email": data.email,
        "started_on": data.started_on,
        "is_chair": data.is_chair,
    }
    for field, api_field in MEMBER_FIELDS.items():
        value = getattr(data, api_field)
        if value is not None:
            posted[field] = value
    form = MemberForm(posted, person=person)
    if not form.is_valid():
        raise form_invalid(form, MEMBER_FIELDS)
    cleaned = form.cleaned_data
    member = services.member_add(
        actor=context(request).actor,
        group=group,
        kind=cleaned["kind"],
        staff=cleaned["staff"],
        unit=cleaned["unit"],
        relative=cleaned["relative"],
        name=cleaned["name"],
        role=cleaned["role"],
        line=cleaned["line"],
        email=cleaned["email"],
        started_on=cleaned["started_on"],
        is_chair=cleaned["is_chair"],
    )
    member = GroupMember.objects.select_related(*selectors.MEMBER_RELATED).get(pk=member.pk)
    return Status(201, member_out(member, _coordinator_id(person)))


@router.post(
    "/persons/{person_id}/groups/{group_id}/members/{member_id}/end/",
    response=responses({200: MemberOut}),
    summary="Avslutt et medlemskap",
    description=(
        "En ansatts tilgang gjennom gruppen slutter med medlemskapet. Personen selv kan ikke "
        "tas ut (422), og et medlem med oppfølgingspunkter som ikke er utført, kan ikke "
        "avsluttes (409). " + WRITE
    ),
)
@endpoint(scope="teams:write", object_type="group_member", person=True, action=AuditAction.END)
def member_end(
    request: HttpRequest,
    data: EndIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    group_id: int = Path(..., ge=1, le=MAX_ID),
    member_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    member = get_object_or_404(
        GroupMember.objects.select_related(*selectors.MEMBER_RELATED),
        pk=member_id,
        group_id=group_id,
        group__person=person,
    )
    services.member_end(actor=context(request).actor, member=member, ended_on=data.ended_on)
    return member_out(member, _coordinator_id(person))


# --- Meetings


@router.get(
    "/persons/{person_id}/meetings/",
    response=responses({200: MeetingPage}),
    summary="Personens ansvarsgruppemøter",
    description=(
        "Møtene i personens ansvarsgrupper etter starttid. Filtre: `from` og `to` (datoer møtet "
        "starter, norsk tid, begge med) og `status`. " + READ
    ),
)
@endpoint(scope="teams:read", object_type="meeting", person=True)
def meeting_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[MeetingFilters],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    meetings = Meeting.objects.filter(group__person=person).select_related("group")
    meetings = _between(meetings, filters.date_from, filters.date_to)
    if filters.status is not None:
        meetings = meetings.filter(status=filters.status)
    return page_of(meetings.order_by("starts_at", "pk"), paging, meeting_summary)


@router.get(
    "/persons/{person_id}/meetings/{meeting_id}/",
    response=responses({200: MeetingOut}),
    summary="Ett møte med oppmøte, referat og oppfølgingspunkter",
    description=READ,
)
@endpoint(scope="teams:read", object_type="meeting", person=True)
def meeting_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return meeting_out(_meeting_of(person, meeting_id))


@router.post(
    "/persons/{person_id}/meetings/",
    response=responses({201: MeetingOut}),
    summary="Planlegg et møte i ansvarsgruppen",
    description=(
        "Møtet legges i personens aktive ansvarsgruppe (409 uten aktiv gruppe), og alle "
        "nåværende medlemmer inviteres. `day` med `start_time` og `end_time` (tt:mm) i norsk "
        "tid. Stedet står i kalenderinvitasjonen og kan ikke inneholde personens navn. " + WRITE
    ),
)
@endpoint(scope="teams:write", object_type="meeting", person=True, action=AuditAction.SCHEDULE)
def meeting_create(
    request: HttpRequest,
    data: MeetingIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    group = selectors.current_group(person)
    if group is None:
        # No group to put the meeting in: the person's state, as a service would say.
        raise Conflict(_("Personen har ingen aktiv ansvarsgruppe. Opprett gruppen først."))
    fields = _meeting_form(person, data)
    meeting = services.meeting_schedule(actor=context(request).actor, group=group, **fields)
    return Status(201, meeting_out(_meeting_of(person, meeting.pk)))


@router.put(
    "/persons/{person_id}/meetings/{meeting_id}/",
    response=responses({200: MeetingOut}),
    summary="Endre et planlagt møte (tid, sted, saksliste)",
    description=(
        "Bare planlagte møter kan endres (409 ellers). Nye medlemmer inviteres, og "
        "`sequence` øker så kalenderne tar den nye versjonen. " + WRITE
    ),
)
@endpoint(scope="teams:write", object_type="meeting", person=True, action=AuditAction.UPDATE)
def meeting_change(
    request: HttpRequest,
    data: MeetingIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    meeting = _meeting_of(person, meeting_id)
    fields = _meeting_form(person, data)
    services.meeting_update(actor=context(request).actor, meeting=meeting, **fields)
    return meeting_out(_meeting_of(person, meeting.pk))


@router.post(
    "/persons/{person_id}/meetings/{meeting_id}/cancel/",
    response=responses({200: MeetingOut}),
    summary="Avlys et planlagt møte",
    description="Bare planlagte møter kan avlyses (409 ellers). " + WRITE,
)
@endpoint(scope="teams:write", object_type="meeting", person=True, action=AuditAction.CANCEL)
def meeting_cancel(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    meeting = _meeting_of(person, meeting_id)
    services.meeting_cancel(actor=context(request).actor, meeting=meeting)
    return meeting_out(_meeting_of(person, meeting.pk))


@router.post(
    "/persons/{person_id}/meetings/{meeting_id}/minutes/",
    response=responses({200: MeetingOut}),
    summary="Registrer oppmøte og referat",
    description=(
        "Etter at møtet har startet: `attended` er medlemmene (id) som møtte, blant de "
        "inviterte; de andre inviterte registreres som ikke møtt. Møtet blir «avholdt». "
        "Referatet kan rettes senere. Avlyste møter avvises (409). " + WRITE
    ),
)
@endpoint(scope="teams:write", object_type="meeting", person=True, action=AuditAction.RECORD)
def meeting_minutes(
    request: HttpRequest,
    data: MinutesIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    meeting = _meeting_of(person, meeting_id)
    present = set(data.attended)
    invited = meeting.attendances.values_list("member_id", flat=True)
    # Everyone invited gets a yes or no; an id that was not invited is left in, so the
    # service refuses it with its own message.
    attendance = {member_id: member_id in present for member_id in invited}
    attendance.update(dict.fromkeys(present, True))
    services.meeting_record(
        actor=context(request).actor,
        meeting=meeting,
        attendance=attendance,
        minutes=data.minutes,
        decisions=data.decisions,
        shared_with_person=data.shared_with_person,
    )
    return meeting_out(_meeting_of(person, meeting.pk))


# --- Follow-up items


@router.get(
    "/persons/{person_id}/follow-ups/",
    response=responses({200: FollowUpPage}),
    summary="Personens oppfølgingspunkter",
    description=(
        "Oppfølgingspunktene fra personens møter, etter frist. Filter `done`: utførte (true) "
        "eller ikke utførte (false). " + READ
    ),
)
@endpoint(scope="teams:read", object_type="follow_up", person=True)
def follow_up_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[FollowUpFilters],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    items = _follow_ups().filter(meeting__group__person=person)
    if filters.done is not None:
        items = items.filter(done_on__isnull=not filters.done)
    today = timezone.localdate()
    return page_of(items.order_by("due_on", "pk"), paging, lambda i: follow_up_out(i, today))


@router.post(
    "/persons/{person_id}/meetings/{meeting_id}/follow-ups/",
    response=responses({201: FollowUpOut}),
    summary="Legg til et oppfølgingspunkt fra møtet",
    description=(
        "Etter at referatet er registrert: hva, hvem (et nåværende medlem av gruppen) og "
        "frist (ikke før møtet). " + WRITE
    ),
)
@endpoint(scope="teams:write", object_type="follow_up", person=True, action=AuditAction.CREATE)
def follow_up_create(
    request: HttpRequest,
    data: FollowUpIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    meeting_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    meeting = _meeting_of(person, meeting_id)
    # The id names one of the group's members; the service checks that they still are one.
    responsible = GroupMember.objects.filter(
        pk=data.responsible_member_id, group=meeting.group
    ).first()
    if responsible is None:
        raise field_invalid(
            "responsible_member_id", _("Den ansvarlige må være et nåværende medlem av gruppen.")
        )
    item = services.follow_up_add(
        actor=context(request).actor,
        meeting=meeting,
        what=data.what,
        responsible_member=responsible,
        due_on=data.due_on,
    )
    return Status(201, follow_up_out(_follow_ups().get(pk=item.pk), timezone.localdate()))


@router.post(
    "/persons/{person_id}/follow-ups/{item_id}/done/",
    response=responses({200: FollowUpOut}),
    summary="Marker et oppfølgingspunkt som utført",
    description=(
        "`done_on` er i dag hvis den utelates, og kan ikke være fram i tid. Et punkt som "
        "allerede er utført, avvises (409). " + WRITE
    ),
)
@endpoint(scope="teams:write", object_type="follow_up", person=True, action=AuditAction.DONE)
def follow_up_done(
    request: HttpRequest,
    data: DoneIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    item_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    item = get_object_or_404(_follow_ups(), pk=item_id, meeting__group__person=person)
    services.follow_up_done(actor=context(request).actor, item=item, done_on=data.done_on)
    return follow_up_out(item, timezone.localdate())


# --- The actor's own lists across persons


def _visible_person_ids(actor: StaffActor) -> QuerySet:
    """Persons the actor has an active care relation to and is not blocked from, as the
    guard decides for one person (emergency access does not put persons on a list)."""
    staff = actor.staff
    blocked = Block.objects.filter(person_id=OuterRef("person_id"), ended_at__isnull=True).filter(
        Q(staff=staff) | Q(unit__in=staff.units.values("pk"))
    )
    return (
        CareRelation.objects.active()
        .for_staff(staff)
        .annotate(blocked=Exists(blocked))
        .filter(blocked=False)
        .values("person_id")
    )


@router.get(
    "/meetings/mine/",
    response=responses({200: MyMeetingPage}),
    summary="Mine møter",
    description=(
        "Møtene du er med på, som i kalenderabonnementet: som medlem av ansvarsgruppen på "
        "møtedagen, eller som personens koordinator. Bare personer du har tjenstlig behov for. "
        "Fra i dag om ikke `from` er gitt; avlyste møter er med, så kalendere kan fjerne dem "
        "(filtrer med `status`). Tilgang: `teams:read`."
    ),
)
@endpoint(scope="teams:read", object_type="meeting_list")
def my_meetings(
    request: HttpRequest, paging: Query[Paging], filters: Query[MyMeetingFilters]
) -> dict:
    staff = context(request).actor.staff
    as_member = GroupMember.objects.filter(
        group=OuterRef("group"), staff=staff, started_on__lte=OuterRef("starts_at__date")
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("starts_at__date")))
    as_coordinator = CoordinatorAssignment.objects.filter(
        person=OuterRef("group__person"), coordinator=staff, ended_on__isnull=True
    )
    meetings = (
        Meeting.objects.filter(Exists(as_member) | Exists(as_coordinator))
        .filter(group__person__in=_visible_person_ids(context(request).actor))
        .select_related("group__person")
    )
    meetings = _between(meetings, filters.date_from or timezone.localdate(), filters.date_to)
    if filters.status is not None:
        meetings = meetings.filter(status=filters.status)

    def convert(meeting: Meeting) -> dict[str, Any]:
        return {**meeting_summary(meeting), "person_name": meeting.group.person.full_name}

    return page_of(meetings.order_by("starts_at", "pk"), paging, convert)


@router.get(
    "/follow-ups/mine/",
    response=responses({200: FollowUpPage}),
    summary="Mine oppfølgingspunkter",
    description=(
        "Arbeidslisten i nettløsningen: punktene du er ansvarlig for og som ikke er utført, "
        "de med passert frist først. Tilgang: `teams:read`."
    ),
)
@endpoint(scope="teams:read", object_type="follow_up_list")
def my_follow_ups(request: HttpRequest, paging: Query[Paging]) -> dict:
    today = timezone.localdate()
    staff = context(request).actor.staff
    items = selectors.open_follow_ups_for_staff(staff, today).select_related(
        *(f"responsible_member__{name}" for name in selectors.MEMBER_RELATED)
    )
    return page_of(items, paging, lambda i: follow_up_out(i, today))
