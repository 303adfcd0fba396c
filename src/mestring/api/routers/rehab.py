"""Rehabilitation episodes (forløp): a person's episodes, one with its goals, team, visits
and history, the referral and each step the web allows (assess, start, visit, end,
follow-up, goals), the active programmes, and the waiting list with its follow-ups.

Every write calls the same service as the web page (`rehab.services`). An id that does
not name an active programme or the person's own decision, plan or staff member gives
422 with the field; the service's refusals answer with their own status (a broken rule
422, a step the status does not allow 409).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from mestring.access.boards import actor_unit_ids
from mestring.access.permissions import REHAB_REGISTER
from mestring.api.auth import context, endpoint
from mestring.api.boards import Named, name_rows
from mestring.api.errors import field_invalid
from mestring.api.pagination import Paging, page_of
from mestring.api.schemas import CLEAN_TEXT, MAX_ID, Strict, responses
from mestring.casework.models import Decision
from mestring.kernel.audit_words import AuditAction
from mestring.outcomes.selectors import episode_observations
from mestring.people.models import Person, Staff
from mestring.plans.models import IndividualPlan
from mestring.rehab import selectors, services
from mestring.rehab.models import (
    Episode,
    EpisodeGoal,
    EpisodeStatusChange,
    EpisodeTeamMember,
    Programme,
    Visit,
)
from mestring.rehab.services import MAX_VISIT_MINUTES

router = Router(tags=["Rehabiliteringsforløp"])

EpisodeStatusCode = Literal["henvist", "ikke_aktuell", "venter", "pagar", "fullfort", "avbrutt"]
SourceCode = Literal["sykehus", "fastlege", "hjemmetjeneste", "sykehjem", "tjenestekontor", "annet"]
AssessmentCode = Literal["aktuell", "ikke_aktuell"]
OutcomeCode = Literal["fullfort", "avbrutt"]
AchievedCode = Literal["", "nadd", "delvis", "ikke"]
ProgrammeCode = Annotated[str, Field(max_length=50), CLEAN_TEXT]


# --- Schemas


class ProgrammeOut(Schema):
    code: str
    name: str
    description: str
    follow_up_weeks: int


class EpisodeSummaryOut(Schema):
    id: int
    person_id: int
    programme: str
    programme_name: str
    status: EpisodeStatusCode
    referral_date: datetime.date
    referral_source: SourceCode
    referred_by: str
    assessed_on: datetime.date | None
    assessment: Literal["", "aktuell", "ikke_aktuell"]
    start_date: datetime.date | None
    end_date: datetime.date | None
    outcome: Literal["", "fullfort", "avbrutt"]
    follow_up_due_on: datetime.date | None
    followed_up_on: datetime.date | None
    visit_count: int


class EpisodePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EpisodeSummaryOut]


class EpisodeGoalOut(Schema):
    id: int
    text: str
    achieved: AchievedCode
    position: int


class TeamMemberOut(Schema):
    id: int
    staff_id: int
    staff_name: str
    role: str
    started_on: datetime.date
    ended_on: datetime.date | None


class VisitOut(Schema):
    id: int
    visited_on: datetime.date
    staff_id: int | None
    staff_name: str
    minutes: int | None
    note: str


class StatusChangeOut(Schema):
    from_status: Literal["", "henvist", "ikke_aktuell", "venter", "pagar", "fullfort", "avbrutt"]
    to_status: EpisodeStatusCode
    note: str
    changed_by: str
    changed_at: datetime.datetime


class EpisodeObservationOut(Schema):
    id: int
    instrument: str
    time_point: str
    observed_on: datetime.date
    total: float | None


class EpisodeOut(EpisodeSummaryOut):
    referral_reason: str
    assessment_reason: str
    end_reason: str
    follow_up_note: str
    decision_id: int | None
    plan_id: int | None
    visit_minutes: int
    goals: list[EpisodeGoalOut]
    team: list[TeamMemberOut]
    visits: list[VisitOut]
    history: list[StatusChangeOut]
    observations: list[EpisodeObservationOut]


class WaitingOut(Schema):
    id: int
    # Null, with an empty name, for a person the user may not see (not `named`).
    person_id: int | None
    person_name: str
    named: bool
    programme: str
    programme_name: str
    referral_date: datetime.date
    referral_source: SourceCode
    status: EpisodeStatusCode
    waiting_days: int


class WaitingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[WaitingOut]


class FollowUpDueOut(Schema):
    id: int
    # Null, with an empty name, for a person the user may not see (not `named`).
    person_id: int | None
    person_name: str
    named: bool
    programme: str
    programme_name: str
    end_date: datetime.date | None
    follow_up_due_on: datetime.date


class FollowUpDuePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[FollowUpDueOut]


class EpisodeFilter(Schema):
    programme: ProgrammeCode | None = Field(None, description="Programmets kode.")
    status: EpisodeStatusCode | None = None
    referred_from: datetime.date | None = Field(None, description="Henvist fra og med.")
    referred_to: datetime.date | None = Field(None, description="Henvist til og med.")


class ProgrammeFilter(Schema):
    programme: ProgrammeCode | None = Field(None, description="Programmets kode.")


class ReferralIn(Strict):
    programme: ProgrammeCode
    referral_date: datetime.date
    referral_source: SourceCode
    referred_by: Annotated[str, Field(max_length=200), CLEAN_TEXT] = ""
    reason: Annotated[str, Field(max_length=3000), CLEAN_TEXT] = ""
    decision_id: int | None = Field(None, ge=1, le=MAX_ID)
    plan_id: int | None = Field(None, ge=1, le=MAX_ID)


class AssessIn(Strict):
    assessed_on: datetime.date
    assessment: AssessmentCode
    reason: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""


class StartIn(Strict):
    start_date: datetime.date


class VisitIn(Strict):
    visited_on: datetime.date
    staff_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Hvem som gjorde besøket; tomt er nøkkelens eier."
    )
    minutes: int = Field(..., ge=1, le=MAX_VISIT_MINUTES)
    note: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""


class EndIn(Strict):
    outcome: OutcomeCode
    end_date: datetime.date
    reason: Annotated[str, Field(max_length=500), CLEAN_TEXT] = ""


class FollowUpIn(Strict):
    followed_up_on: datetime.date
    note: Annotated[str, Field(max_length=3000), CLEAN_TEXT] = ""


class GoalIn(Strict):
    text: Annotated[str, Field(max_length=500), CLEAN_TEXT]


class GoalUpdateIn(Strict):
    text: Annotated[str, Field(max_length=500), CLEAN_TEXT]
    achieved: AchievedCode = ""


# --- Conversion


def _name(staff: Staff | None) -> str:
    if staff is None:
        return ""
    return staff.user.get_full_name() or staff.user.username


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def episode_summary(episode: Episode) -> dict:
    return {
        "id": episode.pk,
        "person_id": episode.person_id,
        "programme": episode.programme.code,
        "programme_name": episode.programme.name,
        "status": episode.status,
        "referral_date": episode.referral_date,
        "referral_source": episode.referral_source,
        "referred_by": episode.referred_by,
        "assessed_on": episode.assessed_on,
        "assessment": episode.assessment,
        "start_date": episode.start_date,
        "end_date": episode.end_date,
        "outcome": episode.outcome,
        "follow_up_due_on": episode.follow_up_due_on,
        "followed_up_on": episode.followed_up_on,
        "visit_count": getattr(episode, "visit_count", 0) or 0,
    }


def _goal_out(goal: EpisodeGoal) -> dict:
    return {"id": goal.pk, "text": goal.text, "achieved": goal.achieved, "position": goal.position}


def _member_out(member: EpisodeTeamMember) -> dict:
    return {
        "id": member.pk,
        "staff_id": member.staff_id,
        "staff_name": _name(member.staff),
        "role": member.role,
        "started_on": member.started_on,
        "ended_on": member.ended_on,
    }


def _visit_out(visit: Visit) -> dict:
    return {
        "id": visit.pk,
        "visited_on": visit.visited_on,
        "staff_id": visit.staff_id,
        "staff_name": _name(visit.staff),
        "minutes": visit.minutes,
        "note": visit.note,
    }


def _change_out(change: EpisodeStatusChange) -> dict:
    user = change.changed_by
    return {
        "from_status": change.from_status,
        "to_status": change.to_status,
        "note": change.reason,
        "changed_by": (user.get_full_name() or user.username) if user else "",
        "changed_at": change.changed_at,
    }


def _episode_out(person: Person, episode_id: int) -> dict:
    """The episode as its web page shows it, in the page's fixed number of queries."""
    episode = selectors.episode_for_page(person, episode_id)
    if episode is None:
        raise Http404
    parts = selectors.episode_parts(episode)
    return {
        **episode_summary(episode),
        "referral_reason": episode.referral_reason,
        "assessment_reason": episode.assessment_reason,
        "end_reason": episode.end_reason,
        "follow_up_note": episode.follow_up_note,
        "decision_id": episode.decision_id,
        "plan_id": episode.plan_id,
        "visit_minutes": episode.visit_minutes or 0,
        "goals": [_goal_out(g) for g in parts["goals"]],
        "team": [_member_out(m) for m in parts["team"]],
        "visits": [_visit_out(v) for v in parts["visits"]],
        "history": [_change_out(c) for c in parts["history"]],
        "observations": [
            {
                "id": o.pk,
                "instrument": o.instrument,
                "time_point": o.time_point,
                "observed_on": o.observed_on,
                "total": _number(o.total),
            }
            for o in episode_observations(episode)
        ],
    }


def _episode(person: Person, episode_id: int) -> Episode:
    return get_object_or_404(
        Episode.objects.select_related("programme", "person"), pk=episode_id, person=person
    )


def _dates_in_order(first: datetime.date | None, last: datetime.date | None) -> None:
    if first is not None and last is not None and first > last:
        raise field_invalid("referred_to", _("Til-datoen kan ikke være før fra-datoen."))


def _programme(code: str | None, *, active_only: bool = False) -> Programme | None:
    return None if code is None else _programme_of(code, active_only=active_only)


def _programme_of(code: str, *, active_only: bool = False) -> Programme:
    programmes = Programme.objects.filter(is_active=True) if active_only else Programme.objects
    programme = programmes.filter(code=code.strip()).first()
    if programme is None:
        raise field_invalid("programme", _("Velg et program fra listen."))
    return programme


# --- Programmes


@router.get(
    "/programmes/",
    response=responses({200: list[ProgrammeOut]}),
    summary="Rehabiliteringsprogrammer i bruk",
    description="Programmene en person kan henvises til. Tilgang: `rehab:read`.",
)
@endpoint(scope="rehab:read", object_type="programme")
def programme_list(request: HttpRequest) -> list[dict]:
    return [
        {
            "code": p.code,
            "name": p.name,
            "description": p.description,
            "follow_up_weeks": p.follow_up_weeks,
        }
        for p in selectors.active_programmes()
    ]


# --- Work lists (several persons)


def _naming(request: HttpRequest) -> Callable[[list[Episode]], list[Named[Episode]]]:
    """As on the web: names only for those who may see the person or whose unit runs the
    programme; each name given is in the person's access log."""
    actor = context(request).actor

    def prepare(episodes: list[Episode]) -> list[Named[Episode]]:
        own_units = actor_unit_ids(actor)
        return name_rows(
            actor,
            episodes,
            object_type="episode_waiting_list",
            person_of=lambda episode: episode.person,
            own_unit_work=lambda episode: episode.programme.unit_id in own_units,
        )

    return prepare


@router.get(
    "/episodes/waiting/",
    response=responses({200: WaitingPage}),
    summary="Ventelisten: henviste og ventende forløp",
    description=(
        "Som ventelisten i nettløsningen: forløp som er henvist eller venter på oppstart, "
        "lengst ventetid først, med ventedager regnet til i dag. Tilgang: `rehab:read` og "
        "tillatelsen til å registrere i rehabilitering."
    ),
)
@endpoint(scope="rehab:read", object_type="episode_waiting_list", permission=REHAB_REGISTER)
def waiting_list(
    request: HttpRequest, paging: Query[Paging], filters: Query[ProgrammeFilter]
) -> dict:
    today = timezone.localdate()

    def convert(row: Named[Episode]) -> dict:
        episode = row.row
        return {
            "id": episode.pk,
            "person_id": episode.person_id if row.named else None,
            "person_name": (
                f"{episode.person.family_name}, {episode.person.given_name}" if row.named else ""
            ),
            "named": row.named,
            "programme": episode.programme.code,
            "programme_name": episode.programme.name,
            "referral_date": episode.referral_date,
            "referral_source": episode.referral_source,
            "status": episode.status,
            "waiting_days": (today - episode.referral_date).days,
        }

    return page_of(
        selectors.waiting_list(_programme(filters.programme)),
        paging,
        convert,
        prepare=_naming(request),
    )


@router.get(
    "/episodes/follow-ups/",
    response=responses({200: FollowUpDuePage}),
    summary="Oppfølginger som skal gjøres",
    description=(
        "Som på ventelistesiden: avsluttede forløp med oppfølging som er forfalt eller "
        "forfaller de neste 14 dagene. Tilgang: `rehab:read` og tillatelsen til å "
        "registrere i rehabilitering."
    ),
)
@endpoint(scope="rehab:read", object_type="episode_waiting_list", permission=REHAB_REGISTER)
def follow_ups_due(
    request: HttpRequest, paging: Query[Paging], filters: Query[ProgrammeFilter]
) -> dict:
    episodes = selectors.follow_ups_due(timezone.localdate(), _programme(filters.programme))

    def convert(row: Named[Episode]) -> dict:
        episode = row.row
        return {
            "id": episode.pk,
            "person_id": episode.person_id if row.named else None,
            "person_name": (
                f"{episode.person.family_name}, {episode.person.given_name}" if row.named else ""
            ),
            "named": row.named,
            "programme": episode.programme.code,
            "programme_name": episode.programme.name,
            "end_date": episode.end_date,
            "follow_up_due_on": episode.follow_up_due_on,
        }

    return page_of(episodes, paging, convert, prepare=_naming(request))


# --- A person's episodes


@router.get(
    "/persons/{person_id}/episodes/",
    response=responses({200: EpisodePage}),
    summary="Personens forløp",
    description=(
        "Nyeste henvisning først. Filtre: program (kode), status og henvisningsdato "
        "fra/til. Tilgang: `rehab:read`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:read", object_type="episodes", person=True)
def episode_list(
    request: HttpRequest,
    paging: Query[Paging],
    filters: Query[EpisodeFilter],
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    _dates_in_order(filters.referred_from, filters.referred_to)
    episodes = selectors.person_episodes(person)
    programme = _programme(filters.programme)
    if programme is not None:
        episodes = episodes.filter(programme=programme)
    if filters.status is not None:
        episodes = episodes.filter(status=filters.status)
    if filters.referred_from is not None:
        episodes = episodes.filter(referral_date__gte=filters.referred_from)
    if filters.referred_to is not None:
        episodes = episodes.filter(referral_date__lte=filters.referred_to)
    return page_of(episodes, paging, episode_summary)


@router.post(
    "/persons/{person_id}/episodes/",
    response=responses({201: EpisodeOut}),
    summary="Henvis personen til et program (nytt forløp)",
    description=(
        "Som i nettløsningen: forløpet starter som «henvist». `decision_id` og `plan_id` "
        "må være personens egne. Tilgang: `rehab:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode", person=True, action=AuditAction.CREATE)
def episode_create(
    request: HttpRequest,
    data: ReferralIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    programme = _programme_of(data.programme, active_only=True)
    decision = plan = None
    if data.decision_id is not None:
        decision = Decision.objects.filter(case__person=person, pk=data.decision_id).first()
        if decision is None:
            raise field_invalid("decision_id", _("Velg et vedtak fra listen."))
    if data.plan_id is not None:
        plan = IndividualPlan.objects.filter(person=person, pk=data.plan_id).first()
        if plan is None:
            raise field_invalid("plan_id", _("Velg en plan fra listen."))
    episode = services.episode_refer(
        actor=context(request).actor,
        person=person,
        programme=programme,
        referral_date=data.referral_date,
        referral_source=data.referral_source,
        referred_by=data.referred_by,
        reason=data.reason,
        decision=decision,
        plan=plan,
    )
    return Status(201, _episode_out(person, episode.pk))


@router.get(
    "/persons/{person_id}/episodes/{episode_id}/",
    response=responses({200: EpisodeOut}),
    summary="Ett forløp med mål, team, besøk, statushistorikk og målinger",
    description="Tilgang: `rehab:read`, og tjenstlig behov for personen.",
)
@endpoint(scope="rehab:read", object_type="episode", person=True)
def episode_read(
    request: HttpRequest,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    return _episode_out(person, episode_id)


@router.post(
    "/persons/{person_id}/episodes/{episode_id}/assessment/",
    response=responses({200: EpisodeOut}),
    summary="Vurder henvisningen: aktuell eller ikke aktuell",
    description=(
        "Aktuell setter personen på ventelisten; ikke aktuell (med begrunnelse) avslutter "
        "forløpet. Bare et henvist forløp kan vurderes (409 ellers). Tilgang: `rehab:write`, "
        "og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode", person=True, action=AuditAction.UPDATE)
def episode_assess(
    request: HttpRequest,
    data: AssessIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    episode = _episode(person, episode_id)
    services.episode_assess(
        actor=context(request).actor,
        episode=episode,
        assessed_on=data.assessed_on,
        assessment=data.assessment,
        reason=data.reason,
    )
    return _episode_out(person, episode.pk)


@router.post(
    "/persons/{person_id}/episodes/{episode_id}/start/",
    response=responses({200: EpisodeOut}),
    summary="Start forløpet",
    description=(
        "Bare et forløp som venter på oppstart, kan startes (409 ellers). Tilgang: "
        "`rehab:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode", person=True, action=AuditAction.UPDATE)
def episode_start(
    request: HttpRequest,
    data: StartIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    episode = _episode(person, episode_id)
    services.episode_start(
        actor=context(request).actor, episode=episode, start_date=data.start_date
    )
    return _episode_out(person, episode.pk)


@router.post(
    "/persons/{person_id}/episodes/{episode_id}/visits/",
    response=responses({201: VisitOut}),
    summary="Registrer et besøk i forløpet",
    description=(
        "Forløpet må være startet, og besøket mellom oppstart og slutt (eller i dag). "
        "Tilgang: `rehab:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode_visit", person=True, action=AuditAction.CREATE)
def visit_create(
    request: HttpRequest,
    data: VisitIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    episode = _episode(person, episode_id)
    actor = context(request).actor
    staff_id = data.staff_id
    if staff_id is None and actor.staff is not None:
        staff_id = actor.staff.pk
    # As the web form: an active staff member of the municipality.
    staff = Staff.objects.filter(pk=staff_id, is_active=True).select_related("user").first()
    if staff is None:
        raise field_invalid("staff_id", _("Velg en ansatt fra listen."))
    visit = services.visit_record(
        actor=actor,
        episode=episode,
        visited_on=data.visited_on,
        staff=staff,
        minutes=data.minutes,
        note=data.note,
    )
    return Status(201, _visit_out(visit))


@router.post(
    "/persons/{person_id}/episodes/{episode_id}/end/",
    response=responses({200: EpisodeOut}),
    summary="Avslutt forløpet: fullført eller avbrutt",
    description=(
        "Fullført etter oppstart, avbrutt (med grunn) også mens personen venter. Et startet "
        "forløp får en oppfølgingsdato etter programmets antall uker. Tilgang: `rehab:write`, "
        "og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode", person=True, action=AuditAction.UPDATE)
def episode_end(
    request: HttpRequest,
    data: EndIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    episode = _episode(person, episode_id)
    services.episode_end(
        actor=context(request).actor,
        episode=episode,
        outcome=data.outcome,
        end_date=data.end_date,
        reason=data.reason,
    )
    return _episode_out(person, episode.pk)


@router.post(
    "/persons/{person_id}/episodes/{episode_id}/follow-up/",
    response=responses({200: EpisodeOut}),
    summary="Registrer oppfølgingen etter forløpet",
    description=(
        "Bare forløp som er startet og avsluttet, kan følges opp. Tilgang: `rehab:write`, og "
        "tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode", person=True, action=AuditAction.UPDATE)
def episode_follow_up(
    request: HttpRequest,
    data: FollowUpIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    episode = _episode(person, episode_id)
    services.episode_follow_up(
        actor=context(request).actor,
        episode=episode,
        followed_up_on=data.followed_up_on,
        note=data.note,
    )
    return _episode_out(person, episode.pk)


@router.post(
    "/persons/{person_id}/episodes/{episode_id}/goals/",
    response=responses({201: EpisodeGoalOut}),
    summary="Legg til et mål i forløpet",
    description=(
        "Målet med personens egne ord. Tilgang: `rehab:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode_goal", person=True, action=AuditAction.CREATE)
def goal_create(
    request: HttpRequest,
    data: GoalIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> Status:
    episode = _episode(person, episode_id)
    goal = services.goal_add(actor=context(request).actor, episode=episode, text=data.text)
    return Status(201, _goal_out(goal))


@router.put(
    "/persons/{person_id}/episodes/{episode_id}/goals/{goal_id}/",
    response=responses({200: EpisodeGoalOut}),
    summary="Endre et mål og måloppnåelsen",
    description=(
        "`achieved`: tom (ikke vurdert ennå), `nadd`, `delvis` eller `ikke`. Tilgang: "
        "`rehab:write`, og tjenstlig behov for personen."
    ),
)
@endpoint(scope="rehab:write", object_type="episode_goal", person=True, action=AuditAction.UPDATE)
def goal_update(
    request: HttpRequest,
    data: GoalUpdateIn,
    person_id: int = Path(..., ge=1, le=MAX_ID),
    episode_id: int = Path(..., ge=1, le=MAX_ID),
    goal_id: int = Path(..., ge=1, le=MAX_ID),
    *,
    person: Person,
) -> dict:
    episode = _episode(person, episode_id)
    goal = get_object_or_404(
        EpisodeGoal.objects.select_related("episode__person"), pk=goal_id, episode=episode
    )
    goal = services.goal_update(
        actor=context(request).actor, goal=goal, text=data.text, achieved=data.achieved
    )
    return _goal_out(goal)
