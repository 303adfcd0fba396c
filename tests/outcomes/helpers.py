"""Shared helpers for the outcome tests (no fixtures, so guard_ids can import them)."""

from __future__ import annotations

import datetime

from mestring.outcomes import services
from mestring.outcomes.models import Observation
from mestring.people.models import Person, Staff
from mestring.rehab.models import Episode, Programme
from mestring.tenancy.context import activate
from tests.assessments.helpers import actor_for

DAY = datetime.date(2026, 3, 2)


def episode_for(person: Person, *, referral_date: datetime.date = DAY) -> Episode:
    programme, _created = Programme.all_objects.get_or_create(
        municipality=person.municipality,
        code="hverdagsrehabilitering",
        defaults={"name": "Hverdagsrehabilitering"},
    )
    return Episode.all_objects.create(
        municipality=person.municipality,
        person=person,
        programme=programme,
        referral_date=referral_date,
        referral_source="fastlege",
    )


def sppb(
    staff: Staff,
    person: Person,
    *,
    on: datetime.date = DAY,
    time_point: str = "start",
    episode: Episode | None = None,
    balance: int = 2,
    gait: int = 2,
    chair: int = 2,
) -> Observation:
    with activate(staff.municipality):
        return services.sppb_record(
            actor=actor_for(staff),
            person=person,
            observed_on=on,
            time_point=time_point,
            episode=episode,
            balance=balance,
            gait=gait,
            chair=chair,
        )


def copm(
    staff: Staff,
    person: Person,
    *,
    on: datetime.date = DAY,
    time_point: str = "start",
    activities: list[tuple[str, int, int]] | None = None,
) -> Observation:
    with activate(staff.municipality):
        return services.copm_record(
            actor=actor_for(staff),
            person=person,
            observed_on=on,
            time_point=time_point,
            activities=activities or [("Lage middag", 3, 2), ("Gå til butikken", 5, 4)],
        )
