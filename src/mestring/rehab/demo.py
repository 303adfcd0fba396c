"""Demo data: about 40 hverdagsrehabilitering episodes in every stage, with visits and
goals. Written directly (like an import) and audited in bulk.

Measures on the episodes (SPPB at start and end) belong to the outcomes app, which
stands above rehab: the caller may pass `measure`, called for each started episode
once its visits and goals are made, with this demo's random generator and staff, so
that the demo stays the same for a given seed."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from mestring.access.actor import system_actor
from mestring.access.audit import EventSpec, record_events
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person, Staff
from mestring.rehab.models import (
    EVERYDAY_REHAB,
    OPEN_EPISODE_STATUSES,
    Episode,
    EpisodeGoal,
    EpisodeStatus,
    EpisodeStatusChange,
    Programme,
    ReferralSource,
    Visit,
)
from mestring.tenancy.context import get_active_municipality

GOALS = [
    "Klare å dusje selv",
    "Gå til postkassen uten rullator",
    "Lage middag selv igjen",
    "Handle på butikken alene",
    "Gå i trappa til kjelleren",
    "Komme meg på seniordansen",
    "Ta bussen til byen",
    "Stelle i hagen",
]
STAGES = [
    *["henvist"] * 2,
    *["ikke_aktuell"] * 5,
    *["venter"] * 3,
    *["pagar"] * 4,
    *["fullfort"] * 14,
    *["avbrutt"] * 4,
]


def build_rehab_demo(
    rng: random.Random,
    persons: list[Person],
    staff: Staff,
    today: datetime.date,
    measure: Callable[[random.Random, Episode, Staff], None] | None = None,
) -> None:
    municipality = get_active_municipality()
    # Episodes the allocation office's assignments started are the demo's other part;
    # these are the referrals straight from the GP, the hospital and home care.
    if Episode.objects.filter(decision__isnull=True).exists() or not persons:
        return
    busy = set(
        Episode.objects.filter(status__in=OPEN_EPISODE_STATUSES).values_list("person_id", flat=True)
    )
    persons = [p for p in persons if p.pk not in busy] or persons
    programme = Programme.objects.filter(code=EVERYDAY_REHAB).first()
    if programme is None:
        return
    events: list[EventSpec] = []
    for index, stage in enumerate(STAGES):
        person = persons[index % len(persons)]
        referral = today - datetime.timedelta(days=rng.randint(5, 20) + (index * 9))
        if stage in ("henvist", "venter"):
            referral = today - datetime.timedelta(days=rng.randint(2, 45))
        episode = Episode(
            person=person,
            programme=programme,
            status=stage,
            referral_date=referral,
            referral_source=rng.choice(ReferralSource.values),
            referred_by=rng.choice(["Fastlegen", "Ortopedisk avdeling", "Hjemmesykepleien", ""]),
            referral_reason=rng.choice(
                ["Fall i hjemmet", "Etter hoftebrudd", "Nedsatt gangfunksjon"]
            ),
        )
        steps: list[str] = [EpisodeStatus.REFERRED]
        assessed = min(referral + datetime.timedelta(days=rng.randint(1, 4)), today)
        if stage != "henvist":
            episode.assessed_on = assessed
            if stage == "ikke_aktuell":
                episode.assessment = "ikke_aktuell"
                episode.assessment_reason = "Klarer seg godt med dagens hjelp"
                steps.append(EpisodeStatus.NOT_RELEVANT)
            else:
                episode.assessment = "aktuell"
                steps.append(EpisodeStatus.WAITING)
        start: datetime.date | None = None
        if stage in ("pagar", "fullfort", "avbrutt"):
            start = min(assessed + datetime.timedelta(days=rng.randint(3, 14)), today)
            episode.start_date = start
            steps.append(EpisodeStatus.ACTIVE)
            if stage in ("fullfort", "avbrutt"):
                length = rng.randint(20, 60) if stage == "fullfort" else rng.randint(3, 15)
                end = min(start + datetime.timedelta(days=length), today)
                episode.end_date = end
                episode.outcome = stage
                if stage == "avbrutt":
                    episode.end_reason = "Innlagt på sykehus"
                episode.follow_up_due_on = end + datetime.timedelta(weeks=programme.follow_up_weeks)
                steps.append(stage)
        episode.save()
        EpisodeStatusChange.objects.bulk_create(
            [
                EpisodeStatusChange(
                    municipality=municipality,
                    episode=episode,
                    from_status=previous,
                    to_status=step,
                    reason="Demodata",
                )
                for previous, step in zip(["", *steps[:-1]], steps, strict=True)
            ]
        )
        if start is not None:
            last = episode.end_date or today
            span = max((last - start).days, 0)
            count = max(1, span // 3)
            Visit.objects.bulk_create(
                [
                    Visit(
                        municipality=municipality,
                        episode=episode,
                        visited_on=start + datetime.timedelta(days=rng.randint(0, span)),
                        staff=staff,
                        minutes=rng.choice([30, 45, 60]),
                    )
                    for _ in range(count)
                ]
            )
            for position, text in enumerate(rng.sample(GOALS, 2), start=1):
                EpisodeGoal.objects.create(
                    episode=episode,
                    text=text,
                    position=position,
                    achieved=rng.choice(["nadd", "delvis", "ikke"]) if episode.end_date else "",
                )
            if measure is not None:
                measure(rng, episode, staff)
        events.append(EventSpec(AuditAction.DEMO_CREATE, "episode", episode.pk, person))
    record_events(actor=system_actor(municipality, label="demo"), specs=events)
