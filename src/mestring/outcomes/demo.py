"""Demo measures: SPPB, COPM and PSFS series for about fifteen persons, so that the
"Målinger" page shows charts with believable progress (most improve, some not).

Recorded through the services, so each measure has its audit row. Idempotent: does
nothing when the municipality already has measures. `add_episode_sppb` adds SPPB at
start and end to the rehab demo's episodes, as it builds them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from mestring.access.actor import Actor
from mestring.outcomes import services
from mestring.outcomes.models import DEFAULT_VERSIONS, Instrument, Observation, TimePoint
from mestring.people.models import Person, Staff
from mestring.rehab.models import Episode, EpisodeStatus

PERSONS = 15
COPM_ACTIVITIES = [
    "Lage middag selv",
    "Dusje uten hjelp",
    "Gå til butikken",
    "Handle mat",
    "Gå tur med hunden",
    "Stelle i hagen",
    "Ta bussen til byen",
    "Henge opp klær",
    "Gå i trapper hjemme",
    "Besøke barnebarna",
]
PSFS_ACTIVITIES = [
    "Gå i trapper",
    "Reise seg fra sofaen",
    "Bære handleposer",
    "Gå 500 meter",
    "Kle på seg sokker",
    "Stå ved kjøkkenbenken",
]
TIME_POINTS = ("start", "midt", "slutt")


def _clip(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _sppb_series(rng: random.Random) -> list[tuple[int, int, int]]:
    """Points per part (balance, gait, chair) at start, mid and end."""
    start = (rng.randint(0, 3), rng.randint(1, 3), rng.randint(0, 2))
    series = [start]
    trend = rng.choice([1, 1, 1, 0, -1])

    def step(points: int) -> int:
        return _clip(points + max(-1, min(1, trend + rng.randint(-1, 1))), 0, 4)

    for _step in range(2):
        balance, gait, chair = series[-1]
        series.append((step(balance), step(gait), step(chair)))  # in this order: same draws
    return series


def build_outcomes_demo(
    rng: random.Random, persons: list[Person], staff: Staff, today: date
) -> None:
    if Observation.objects.exists() or not persons:
        return
    actor = Actor(
        municipality=staff.municipality, user=staff.user, staff=staff, role_codes=("demo",)
    )
    chosen = rng.sample(persons, min(PERSONS, len(persons)))
    for index, person in enumerate(chosen):
        start = today - timedelta(days=rng.randint(70, 150))
        middle = start + timedelta(days=rng.randint(20, 35))
        days = [start, middle, min(today, middle + timedelta(days=rng.randint(20, 40)))]
        for (balance, gait, chair), on, point in zip(
            _sppb_series(rng), days, TIME_POINTS, strict=True
        ):
            services.sppb_record(
                actor=actor,
                person=person,
                observed_on=on,
                time_point=point,
                balance=balance,
                gait=gait,
                chair=chair,
            )
        activities = rng.sample(COPM_ACTIVITIES, rng.randint(2, 4))
        performance = {name: rng.randint(1, 5) for name in activities}
        satisfaction = {name: rng.randint(1, 5) for name in activities}
        gain = rng.choice([0, 2, 3, 3, 4])
        for on, point, extra in ((days[0], "start", 0), (days[2], "slutt", gain)):
            services.copm_record(
                actor=actor,
                person=person,
                observed_on=on,
                time_point=point,
                activities=[
                    (
                        name,
                        _clip(performance[name] + extra + rng.randint(-1, 1), 1, 10),
                        _clip(satisfaction[name] + extra + rng.randint(-1, 1), 1, 10),
                    )
                    for name in activities
                ],
            )
        if index % 2 == 0:
            items = rng.sample(PSFS_ACTIVITIES, rng.randint(3, 5))
            base = {name: rng.randint(1, 5) for name in items}
            gain = rng.choice([1, 2, 3, 4])
            for on, point, extra in ((days[0], "start", 0), (days[2], "slutt", gain)):
                services.psfs_record(
                    actor=actor,
                    person=person,
                    observed_on=on,
                    time_point=point,
                    activities=[
                        (name, _clip(base[name] + extra + rng.randint(-1, 1), 0, 10))
                        for name in items
                    ],
                )


def add_episode_sppb(rng: random.Random, episode: Episode, staff: Staff) -> None:
    """SPPB at the start of a started demo episode, and at the end of a completed one.

    Written directly, like the rest of the rehab demo, which records its audit rows
    for the episodes in bulk."""
    if episode.start_date is None:
        raise ValueError("Only a started episode has a measure at its start.")
    first = rng.randint(3, 9)
    _episode_sppb(episode, episode.start_date, TimePoint.START, first, staff)
    if episode.status == EpisodeStatus.COMPLETED:
        if episode.end_date is None:
            raise ValueError("A completed episode has its end date.")
        end_total = max(0, min(12, first + rng.choice([-1, 0, 1, 2, 2, 3])))
        _episode_sppb(episode, episode.end_date, TimePoint.END, end_total, staff)


def _episode_sppb(episode: Episode, day: date, time_point: str, total: int, staff: Staff) -> None:
    Observation.objects.create(
        person=episode.person,
        episode=episode,
        instrument=Instrument.SPPB,
        version=DEFAULT_VERSIONS[Instrument.SPPB],
        observed_on=day,
        time_point=time_point,
        total=Decimal(total),
        higher_is_better=True,
        recorded_by=staff,
    )
