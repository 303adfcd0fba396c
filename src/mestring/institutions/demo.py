"""Demo data for institution stays: three units with beds, a year of stays laid end to
end per bed (so no night is over capacity), current stays leaving free beds, a few
rehabilitation plans, and purchased places at an external centre."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import CareRelationKind
from mestring.access.services import care_relation_grant
from mestring.institutions.models import (
    BedCapacity,
    DischargeDestination,
    PurchaseAgreement,
    RehabilitationPlan,
    Stay,
    StayType,
)
from mestring.people.models import Person, Staff, Unit, UnitKind

# name, kind, beds, stay types, stay length range in nights, beds left free today
UNITS = [
    (
        "Lokalmedisinsk senter",
        UnitKind.INTERNAL,
        11,
        [StayType.SHORT_TERM] * 4
        + [StayType.REHABILITATION] * 2
        + [StayType.ROTATION, StayType.LONG_TERM, StayType.ASSESSMENT],
        (4, 35),
        2,
    ),
    ("Solina – lindrende enhet", UnitKind.INTERNAL, 7, [StayType.PALLIATIVE], (3, 30), 2),
    ("Miljøtunet", UnitKind.INTERNAL, 2, [StayType.RESPITE], (2, 10), 1),
]
CENTRE = "Helgeland rehabiliteringssenter"
GOALS = [
    "Gå trappen hjemme uten hjelp\nLage frokost selv",
    "Gå til postkassen med rullator\nKomme meg opp av sengen selv",
    "Klare dusjen selv\nGå tur til butikken",
]
TRAINING = "Gangtrening morgen og ettermiddag, styrkeøvelser for bena, trappetrening."
DESTINATIONS = [DischargeDestination.HOME] * 6 + [
    DischargeDestination.LONG_TERM_PLACE,
    DischargeDestination.HOSPITAL,
    DischargeDestination.DIED,
]


class _Beds:
    """Hands out persons who are not in another stay at the time."""

    def __init__(self, rng: random.Random, persons: list[Person]) -> None:
        self.rng = rng
        self.persons = persons
        self.free_from: dict[int, datetime.date] = {}

    def person_free(self, start: datetime.date) -> Person | None:
        candidates = [p for p in self.persons if self.free_from.get(p.pk, start) <= start]
        return self.rng.choice(candidates) if candidates else None


def _unit(name: str, kind: str, beds: int, since: datetime.date) -> Unit:
    unit, _created = Unit.objects.get_or_create(name=name, defaults={"kind": kind})
    BedCapacity.objects.get_or_create(unit=unit, valid_from=since, defaults={"beds": beds})
    return unit


def _stay(
    pool: _Beds,
    staff: Staff,
    unit: Unit,
    stay_type: str,
    start: datetime.date,
    end: datetime.date | None,
    agreement: PurchaseAgreement | None = None,
) -> Stay | None:
    person = pool.person_free(start)
    if person is None:
        return None
    pool.free_from[person.pk] = end or datetime.date.max
    stay = Stay.objects.create(
        person=person,
        unit=unit,
        stay_type=stay_type,
        admitted_on=start,
        discharged_on=end,
        discharged_to=pool.rng.choice(DESTINATIONS) if end else "",
        agreement=agreement,
        admitted_by=staff,
    )
    if end is None:
        # As admitting does: the unit sees the person for as long as the stay lasts.
        actor = Actor(
            municipality=staff.municipality, user=staff.user, staff=staff, role_codes=("demo",)
        )
        stay.care_relation = care_relation_grant(
            actor=actor,
            person=person,
            kind=CareRelationKind.PROVIDER,
            reason=f"Opphold på {unit.name}",
            unit=unit,
            valid_from=timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
        )
        stay.save(update_fields=["care_relation"])
    if stay_type == StayType.REHABILITATION and pool.rng.random() < 0.7:
        RehabilitationPlan.objects.create(
            stay=stay,
            goals=pool.rng.choice(GOALS),
            daily_training=TRAINING,
            physio_minutes_per_day=pool.rng.choice([30, 45, 60]),
            responsible=staff,
        )
    return stay


def _fill_bed(
    pool: _Beds,
    staff: Staff,
    unit: Unit,
    types: Sequence[str],
    nights: tuple[int, int],
    today: datetime.date,
    *,
    leave_free: bool,
) -> None:
    """Stays one after another in one bed over the last year."""
    rng = pool.rng
    day = today - datetime.timedelta(days=365 - rng.randint(0, 20))
    while day < today:
        length = rng.randint(*nights)
        end = day + datetime.timedelta(days=length)
        if end > today:
            if leave_free:
                break
            _stay(pool, staff, unit, rng.choice(types), day, None)
            break
        _stay(pool, staff, unit, rng.choice(types), day, end)
        day = end + datetime.timedelta(days=rng.randint(0, 4))


def build_institutions_demo(
    rng: random.Random, persons: list[Person], staff: Staff, today: datetime.date
) -> None:
    if Stay.objects.exists() or PurchaseAgreement.objects.exists():
        return
    since = datetime.date(today.year - 2, 1, 1)
    pool = _Beds(rng, persons)
    for name, kind, beds, types, nights, free in UNITS:
        unit = _unit(name, kind, beds, since)
        for bed in range(beds):
            _fill_bed(pool, staff, unit, types, nights, today, leave_free=bed >= beds - free)
    centre = _unit(CENTRE, UnitKind.OTHER_EXTERNAL, 24, since)
    agreements = {
        year: PurchaseAgreement.objects.create(
            name="Helgeland rehabiliteringssenter",
            centre=centre,
            year=year,
            bed_days=200,
            price_per_day=Decimal("4500"),
            note="Interkommunal avtale om rehabiliteringsplasser.",
        )
        for year in (today.year - 1, today.year)
    }
    day = today - datetime.timedelta(days=300)
    while day < today:
        end = day + datetime.timedelta(days=rng.randint(14, 28))
        _stay(
            pool,
            staff,
            centre,
            StayType.REHABILITATION,
            day,
            end if end <= today else None,
            agreements[day.year],
        )
        day = end + datetime.timedelta(days=rng.randint(5, 30))
