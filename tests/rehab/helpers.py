"""Shared helpers for the rehab tests (no fixtures, so guard_ids can import it)."""

from __future__ import annotations

import datetime

from mestring.access.actor import Actor
from mestring.rehab import services
from mestring.rehab.models import EVERYDAY_REHAB, Episode, EpisodeGoal, Programme
from mestring.tenancy.context import activate
from tests.assessments.helpers import actor_for

DAY = datetime.date(2026, 3, 2)

__all__ = ["DAY", "actor_for", "ended", "everyday", "refer", "started"]


def everyday(municipality: object) -> Programme:
    return Programme.all_objects.get(municipality=municipality, code=EVERYDAY_REHAB)


def refer(staff, person, *, on: datetime.date = DAY, source: str = "fastlege") -> Episode:
    with activate(staff.municipality):
        return services.episode_refer(
            actor=actor_for(staff),
            person=person,
            programme=everyday(staff.municipality),
            referral_date=on,
            referral_source=source,
            referred_by="Dr. Test",
            reason="Fall hjemme.",
        )


def started(staff, person, *, on: datetime.date = DAY) -> Episode:
    episode = refer(staff, person, on=on)
    actor: Actor = actor_for(staff)
    with activate(staff.municipality):
        services.episode_assess(actor=actor, episode=episode, assessed_on=on, assessment="aktuell")
        services.episode_start(
            actor=actor, episode=episode, start_date=on + datetime.timedelta(days=2)
        )
    return episode


def ended(staff, person, *, on: datetime.date = DAY) -> Episode:
    episode = started(staff, person, on=on)
    with activate(staff.municipality):
        services.episode_end(
            actor=actor_for(staff),
            episode=episode,
            outcome="fullfort",
            end_date=on + datetime.timedelta(days=30),
        )
    return episode


def goal(staff, episode: Episode) -> EpisodeGoal:
    with activate(staff.municipality):
        return services.goal_add(actor=actor_for(staff), episode=episode, text="Gå til butikken")
