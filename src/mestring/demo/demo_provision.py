"""The providers' side of the demo's assignments: an assigned hverdagsrehabilitering
arrives on the programme's waiting list as a referral (the catalogue's signal does
that); here the therapist assesses, starts and ends those episodes through the rehab
services, at the dates the assignment gives. An assignment that has ended has a
finished episode; a recent one is still on the list."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from mestring.catalogue.models import Assignment
from mestring.demo.actors import demo_actor
from mestring.people.models import Staff
from mestring.rehab.models import Episode, EpisodeAssessment, EpisodeOutcome, EpisodeStatus
from mestring.rehab.services import episode_assess, episode_end, episode_start

# Days from the assignment's start to the therapist's assessment and to the start.
ASSESS_AFTER = (2, 5)
START_AFTER = (5, 12)


def carry_out_assignments(rng: random.Random, therapist: Staff) -> None:
    today = timezone.localdate()
    actor = demo_actor(therapist)
    referred = (
        Episode.objects.filter(decision__isnull=False, status=EpisodeStatus.REFERRED)
        .select_related("person", "programme", "decision")
        .order_by("referral_date", "pk")
    )
    for episode in referred:
        assignment = (
            Assignment.objects.filter(decision=episode.decision_id).order_by("-starts_on").first()
        )
        if assignment is None:
            continue
        begins = assignment.starts_on
        assessed = begins + datetime.timedelta(days=rng.randint(*ASSESS_AFTER))
        started = assessed + datetime.timedelta(days=rng.randint(*START_AFTER))
        ends = assignment.ends_on
        if assessed > today:
            continue  # still a fresh referral on the list
        episode_assess(
            actor=actor,
            episode=episode,
            assessed_on=assessed,
            assessment=EpisodeAssessment.RELEVANT,
        )
        if started > today or (ends is not None and started > ends):
            if ends is not None and ends < today:
                episode_end(
                    actor=actor,
                    episode=episode,
                    outcome=EpisodeOutcome.DISCONTINUED,
                    end_date=max(ends, assessed),
                    reason="Vedtaket utløp før oppstart",
                )
            continue
        episode_start(actor=actor, episode=episode, start_date=started)
        if ends is not None and ends < today:
            episode_end(
                actor=actor,
                episode=episode,
                outcome=EpisodeOutcome.COMPLETED,
                end_date=min(ends, started + datetime.timedelta(days=rng.randint(28, 56))),
            )
