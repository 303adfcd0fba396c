"""Demo data: about 60 frisklivsresepter over the last two years. A running one gives
its contact the care relation, as registering a prescription does."""

from __future__ import annotations

import datetime
import random
from typing import TypeVar

from mestring.access.actor import Actor
from mestring.access.models import CareRelationKind
from mestring.access.services import care_relation_grant
from mestring.friskliv.models import (
    Prescription,
    PrescriptionStatus,
    PrescriptionStatusChange,
    Reason,
    ReferrerKind,
)
from mestring.people.models import Person, Staff

COUNT = 60
REASON_WEIGHTS = {
    Reason.MUSCULOSKELETAL: 22,
    Reason.OVERWEIGHT: 15,
    Reason.INACTIVITY: 15,
    Reason.MENTAL: 17,
    Reason.SLEEP: 6,
    Reason.TOBACCO: 5,
    Reason.DIET: 10,
    Reason.OTHER: 10,
}
REFERRER_WEIGHTS = {
    ReferrerKind.GP: 60,
    ReferrerKind.HOSPITAL: 8,
    ReferrerKind.NAV: 12,
    ReferrerKind.HOME_CARE: 5,
    ReferrerKind.SELF: 12,
    ReferrerKind.OTHER: 3,
}


K = TypeVar("K", bound=str)


def _pick(rng: random.Random, weights: dict[K, int]) -> K:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def build_friskliv_demo(
    rng: random.Random, persons: list[Person], staff: Staff, today: datetime.date
) -> None:
    if Prescription.objects.exists():
        return
    adults = [p for p in persons if p.age_on(today) >= 18] or persons
    actor = Actor(
        municipality=staff.municipality, user=staff.user, staff=staff, role_codes=("demo",)
    )
    for _ in range(COUNT):
        person = rng.choice(adults)
        referred = today - datetime.timedelta(days=rng.randint(0, 730))
        prescription = Prescription.objects.create(
            person=person,
            referral_date=referred,
            reason=_pick(rng, REASON_WEIGHTS),
            referrer_kind=_pick(rng, REFERRER_WEIGHTS),
            contact=staff,
        )
        history = [("", PrescriptionStatus.REFERRED)]
        started = referred + datetime.timedelta(days=rng.randint(5, 25))
        if started <= today:
            prescription.start_date = started
            history.append((PrescriptionStatus.REFERRED, PrescriptionStatus.RUNNING))
            planned_end = started + datetime.timedelta(weeks=prescription.period_weeks)
            if planned_end <= today:
                prescription.completed = rng.random() < 0.55
                prescription.ended_on = (
                    planned_end
                    if prescription.completed
                    else started + datetime.timedelta(days=rng.randint(7, 60))
                )
                if not prescription.completed:
                    prescription.end_note = "Sluttet før perioden var over."
                history.append((PrescriptionStatus.RUNNING, PrescriptionStatus.ENDED))
        prescription.status = history[-1][1]
        if prescription.status != PrescriptionStatus.ENDED:
            # As registering a prescription does: the contact sees the person while
            # the prescription runs.
            prescription.care_relation = care_relation_grant(
                actor=actor,
                person=person,
                kind=CareRelationKind.PROVIDER,
                reason="Kontaktperson for frisklivsresept",
                staff=staff,
            )
        prescription.save()
        PrescriptionStatusChange.objects.bulk_create(
            [
                PrescriptionStatusChange(
                    municipality=prescription.municipality,
                    prescription=prescription,
                    from_status=old,
                    to_status=new,
                    changed_by=staff.user,
                )
                for old, new in history
            ]
        )
