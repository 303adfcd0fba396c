"""Writes about rehabilitation episodes.

Referral → assessment (aktuell / ikke aktuell) → waiting → start → visits → end
(fullført / avbrutt) → follow-up. Each write is one transaction with its audit row;
status changes go through `transition()` (the row locked, EPISODE_TRANSITIONS checked
under the lock) and leave an EpisodeStatusChange row.
A staff member added to the episode's team sees the person while on the team.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import CareRelationKind
from mestring.access.services import care_relation_grant, care_relations_end_for
from mestring.casework.models import Decision
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, RuleBroken
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Person, Staff
from mestring.plans.models import IndividualPlan
from mestring.rehab.models import (
    OPEN_EPISODE_STATUSES,
    Episode,
    EpisodeAssessment,
    EpisodeGoal,
    EpisodeOutcome,
    EpisodeStatus,
    EpisodeTeamMember,
    Programme,
    ReferralSource,
    Visit,
)

MAX_VISIT_MINUTES = 600


class EpisodeError(RuleBroken):
    """A request the episode rules do not allow; the message is for the user."""

    code = "episode_rule"


class EpisodeStateConflict(Conflict, EpisodeError):
    """The episode or team membership is in a state that does not allow this now."""

    code = "episode_state"


GOAL_ACHIEVEMENT = ("", "nadd", "delvis", "ikke")


def _audit(actor: Actor, action: str, object_type: str, object_id: int, person: Person) -> None:
    record_event(
        actor=actor, action=action, object_type=object_type, object_id=object_id, person=person
    )


def _not_future(day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise EpisodeError(_("%(what)s kan ikke være fram i tid.") % {"what": what})


# --- Referral and the stages


def episode_refer(
    *,
    actor: Actor,
    person: Person,
    programme: Programme,
    referral_date: datetime.date,
    referral_source: str,
    referred_by: str = "",
    reason: str = "",
    decision: Decision | None = None,
    plan: IndividualPlan | None = None,
) -> Episode:
    """Register a referral to a programme; the episode starts as «henvist»."""
    if not programme.is_active:
        raise EpisodeError(_("Programmet er ikke i bruk."))
    if referral_source not in ReferralSource.values:
        raise EpisodeError(_("Velg hvem henvisningen kom fra."))
    _not_future(referral_date, _("Henvisningsdatoen"))
    if decision is not None and decision.case.person_id != person.pk:
        raise EpisodeError(_("Vedtaket gjelder en annen person."))
    if plan is not None and plan.person_id != person.pk:
        raise EpisodeError(_("Planen gjelder en annen person."))
    with transaction.atomic():
        episode = Episode.objects.create(
            person=person,
            programme=programme,
            status=EpisodeStatus.REFERRED,
            referral_date=referral_date,
            referral_source=referral_source,
            referred_by=referred_by.strip(),
            referral_reason=reason.strip(),
            decision=decision,
            plan=plan,
        )
        record_initial_status(episode, actor=actor)
        _audit(actor, AuditAction.CREATE, "episode", episode.pk, person)
    return episode


def episode_assess(
    *,
    actor: Actor,
    episode: Episode,
    assessed_on: datetime.date,
    assessment: str,
    reason: str = "",
) -> Episode:
    """Aktuell puts the person on the waiting list; ikke aktuell ends the episode."""
    if assessment not in EpisodeAssessment.values:
        raise EpisodeError(_("Velg om personen er aktuell eller ikke aktuell."))
    if assessment == EpisodeAssessment.NOT_RELEVANT and not reason.strip():
        raise EpisodeError(_("Skriv hvorfor personen ikke er aktuell."))
    if assessed_on < episode.referral_date:
        raise EpisodeError(_("Vurderingen kan ikke være før henvisningsdatoen."))
    _not_future(assessed_on, _("Vurderingsdatoen"))
    new = (
        EpisodeStatus.WAITING
        if assessment == EpisodeAssessment.RELEVANT
        else EpisodeStatus.NOT_RELEVANT
    )
    with transaction.atomic():
        transition(
            episode,
            new,
            actor=actor,
            reason=reason.strip()[:500],
            changes={
                "assessed_on": assessed_on,
                "assessment": assessment,
                "assessment_reason": reason.strip(),
            },
        )
        _audit(actor, AuditAction.ASSESS, "episode", episode.pk, episode.person)
        if new == EpisodeStatus.NOT_RELEVANT:
            _end_team(actor, episode, assessed_on)
    return episode


def episode_start(*, actor: Actor, episode: Episode, start_date: datetime.date) -> Episode:
    if start_date < episode.referral_date:
        raise EpisodeError(_("Oppstarten kan ikke være før henvisningsdatoen."))
    if episode.assessed_on and start_date < episode.assessed_on:
        raise EpisodeError(_("Oppstarten kan ikke være før vurderingen."))
    _not_future(start_date, _("Oppstartsdatoen"))
    with transaction.atomic():
        transition(episode, EpisodeStatus.ACTIVE, actor=actor, changes={"start_date": start_date})
        _audit(actor, AuditAction.START, "episode", episode.pk, episode.person)
    return episode


def episode_end(
    *,
    actor: Actor,
    episode: Episode,
    outcome: str,
    end_date: datetime.date,
    reason: str = "",
) -> Episode:
    """Fullført (after a start) or avbrutt (also while waiting). A started episode gets
    a follow-up date the programme's number of weeks after the end."""
    if outcome not in EpisodeOutcome.values:
        raise EpisodeError(_("Velg om forløpet er fullført eller avbrutt."))
    if outcome == EpisodeOutcome.DISCONTINUED and not reason.strip():
        raise EpisodeError(_("Skriv hvorfor forløpet ble avbrutt."))
    earliest = episode.start_date or episode.assessed_on or episode.referral_date
    if end_date < earliest:
        raise EpisodeError(
            _("Sluttdatoen kan ikke være før %(day)s.") % {"day": earliest.strftime("%d.%m.%Y")}
        )
    _not_future(end_date, _("Sluttdatoen"))
    if episode.start_date and episode.visits.filter(visited_on__gt=end_date).exists():
        raise EpisodeError(_("Det er registrert besøk etter sluttdatoen."))
    new = EpisodeStatus.COMPLETED if outcome == EpisodeOutcome.COMPLETED else outcome
    with transaction.atomic():
        changes: dict[str, object] = {
            "outcome": outcome,
            "end_date": end_date,
            "end_reason": reason.strip(),
        }
        if episode.start_date is not None:
            weeks = episode.programme.follow_up_weeks
            changes["follow_up_due_on"] = end_date + datetime.timedelta(weeks=weeks)
        transition(episode, new, actor=actor, reason=reason.strip()[:500], changes=changes)
        _audit(actor, AuditAction.END, "episode", episode.pk, episode.person)
        _end_team(actor, episode, end_date)
    return episode


def episodes_end_with_decision(
    *, actor: Actor, decision: Decision, on: datetime.date, note: str
) -> int:
    """End the open episodes a stopped decision started, from the day it stops: one not
    yet assessed is no longer relevant, one waiting or under way is discontinued, and
    its team's access ends. A stop from a later day leaves them open until then, for
    the programme to end by hand; an episode cannot end in the future."""
    if on > timezone.localdate():
        return 0
    ended = 0
    for episode in decision.episodes.filter(status__in=OPEN_EPISODE_STATUSES):
        if episode.status == EpisodeStatus.REFERRED:
            day = max(on, episode.referral_date)
            new = EpisodeStatus.NOT_RELEVANT
            changes: dict[str, object] = {
                "assessed_on": day,
                "assessment": EpisodeAssessment.NOT_RELEVANT,
                "assessment_reason": note,
            }
        else:
            day = max(on, episode.start_date or episode.assessed_on or episode.referral_date)
            new = EpisodeStatus.DISCONTINUED
            changes = {"outcome": EpisodeOutcome.DISCONTINUED, "end_date": day, "end_reason": note}
        transition(episode, new, actor=actor, reason=note[:500], changes=changes)
        _audit(actor, AuditAction.END, "episode", episode.pk, episode.person)
        _end_team(actor, episode, day)
        ended += 1
    return ended


def episode_follow_up(
    *, actor: Actor, episode: Episode, followed_up_on: datetime.date, note: str
) -> Episode:
    if episode.end_date is None or episode.start_date is None:
        raise EpisodeStateConflict(_("Bare forløp som er startet og avsluttet, kan følges opp."))
    if followed_up_on < episode.end_date:
        raise EpisodeError(_("Oppfølgingen kan ikke være før forløpet ble avsluttet."))
    _not_future(followed_up_on, _("Oppfølgingsdatoen"))
    with transaction.atomic():
        episode.followed_up_on = followed_up_on
        episode.follow_up_note = note.strip()
        episode.save(update_fields=["followed_up_on", "follow_up_note"])
        _audit(actor, AuditAction.FOLLOW_UP, "episode", episode.pk, episode.person)
    return episode


# --- Visits


def visit_record(
    *,
    actor: Actor,
    episode: Episode,
    visited_on: datetime.date,
    staff: Staff | None,
    minutes: int | None,
    note: str = "",
) -> Visit:
    if episode.start_date is None:
        raise EpisodeStateConflict(_("Forløpet må være startet før besøk kan registreres."))
    last = episode.end_date or timezone.localdate()
    if not episode.start_date <= visited_on <= last:
        raise EpisodeError(
            _("Besøket må være mellom %(first)s og %(last)s.")
            % {
                "first": episode.start_date.strftime("%d.%m.%Y"),
                "last": last.strftime("%d.%m.%Y"),
            }
        )
    if minutes is not None and not 1 <= minutes <= MAX_VISIT_MINUTES:
        raise EpisodeError(
            _("Varigheten må være fra 1 til %(max)s minutter.") % {"max": MAX_VISIT_MINUTES}
        )
    with transaction.atomic():
        visit = Visit.objects.create(
            episode=episode, visited_on=visited_on, staff=staff, minutes=minutes, note=note.strip()
        )
        _audit(actor, AuditAction.CREATE, "episode_visit", visit.pk, episode.person)
    return visit


# --- Goals


def goal_add(*, actor: Actor, episode: Episode, text: str) -> EpisodeGoal:
    if not text.strip():
        raise EpisodeError(_("Skriv målet med personens egne ord."))
    with transaction.atomic():
        position = episode.goals.count() + 1
        goal = EpisodeGoal.objects.create(episode=episode, text=text.strip(), position=position)
        _audit(actor, AuditAction.CREATE, "episode_goal", goal.pk, episode.person)
    return goal


def goal_update(*, actor: Actor, goal: EpisodeGoal, text: str, achieved: str) -> EpisodeGoal:
    if not text.strip():
        raise EpisodeError(_("Skriv målet med personens egne ord."))
    if achieved not in GOAL_ACHIEVEMENT:
        raise EpisodeError(_("Velg om målet er nådd, delvis nådd eller ikke nådd."))
    with transaction.atomic():
        goal.text = text.strip()
        goal.achieved = achieved
        goal.save(update_fields=["text", "achieved"])
        _audit(actor, AuditAction.UPDATE, "episode_goal", goal.pk, goal.episode.person)
    return goal


# --- The team


def team_member_add(
    *,
    actor: Actor,
    episode: Episode,
    staff: Staff,
    role: str,
    started_on: datetime.date,
) -> EpisodeTeamMember:
    """Add a staff member to the team; they see the person while on the team."""
    if not episode.is_open:
        raise EpisodeStateConflict(_("Forløpet er avsluttet."))
    if not staff.is_active:
        raise EpisodeError(_("Den ansatte er ikke aktiv."))
    if started_on < episode.referral_date:
        raise EpisodeError(_("Teamdeltakelsen kan ikke starte før henvisningsdatoen."))
    _not_future(started_on, _("Startdatoen"))
    if episode.team.filter(staff=staff, ended_on__isnull=True).exists():
        raise EpisodeStateConflict(_("%(staff)s er allerede med i teamet.") % {"staff": staff})
    with transaction.atomic():
        member = EpisodeTeamMember.objects.create(
            episode=episode, staff=staff, role=role.strip(), started_on=started_on
        )
        _audit(actor, AuditAction.ADD, "episode_team_member", member.pk, episode.person)
        care_relation_grant(
            actor=actor,
            person=episode.person,
            kind=CareRelationKind.PROVIDER,
            reason=_("Team i forløp: %(programme)s") % {"programme": episode.programme.name},
            staff=staff,
        )
    return member


def _end_membership(actor: Actor, member: EpisodeTeamMember, ended_on: datetime.date) -> None:
    member.ended_on = ended_on
    member.save(update_fields=["ended_on"])
    person = member.episode.person
    _audit(actor, AuditAction.END, "episode_team_member", member.pk, person)
    still_on_a_team = EpisodeTeamMember.objects.filter(
        episode__person=person,
        episode__status__in=(EpisodeStatus.REFERRED, EpisodeStatus.WAITING, EpisodeStatus.ACTIVE),
        staff=member.staff,
        ended_on__isnull=True,
    ).exclude(episode=member.episode)
    if not still_on_a_team.exists():
        care_relations_end_for(
            actor=actor, person=person, staff=member.staff, kind=CareRelationKind.PROVIDER
        )


def _end_team(actor: Actor, episode: Episode, ended_on: datetime.date) -> None:
    for member in episode.team.filter(ended_on__isnull=True).select_related("staff"):
        _end_membership(actor, member, max(ended_on, member.started_on))


def team_member_end(
    *, actor: Actor, member: EpisodeTeamMember, ended_on: datetime.date
) -> EpisodeTeamMember:
    if member.ended_on is not None:
        raise EpisodeStateConflict(_("Teamdeltakelsen er allerede avsluttet."))
    if ended_on < member.started_on:
        raise EpisodeError(_("Sluttdatoen kan ikke være før startdatoen."))
    _not_future(ended_on, _("Sluttdatoen"))
    with transaction.atomic():
        _end_membership(actor, member, ended_on)
    return member


# --- Programmes (configuration)


def programme_save(
    *, actor: Actor, programme: Programme | None, data: dict[str, object]
) -> Programme:
    code = str(data["code"]).strip()
    clash = Programme.objects.filter(code=code)
    if programme is not None:
        clash = clash.exclude(pk=programme.pk)
    if clash.exists():
        raise EpisodeError(
            _("Det finnes allerede et program med koden «%(code)s».") % {"code": code}
        )
    with transaction.atomic():
        created = programme is None
        programme = programme or Programme()
        for name, value in data.items():
            setattr(programme, name, value.strip() if isinstance(value, str) else value)
        programme.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="programme",
            object_id=programme.pk,
        )
    return programme
