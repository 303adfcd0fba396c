"""The bed-occupancy and purchased-places reports against figures this test computes
itself, night by night, from seeded random stays: stays crossing the year's ends, open
stays, a bed-count change in the year, another unit and another municipality."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mestring.institutions.models import BedCapacity, PurchaseAgreement, Stay, StayType
from mestring.institutions.reports import BedOccupancyReport, PurchasedPlacesReport
from mestring.people.models import Unit
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = 2017
ONE = datetime.timedelta(days=1)


def days(first: datetime.date, end: datetime.date):
    day = first
    while day < end:
        yield day
        day += ONE


def pct(part: int, whole: int) -> float:
    """Half up to one decimal, in whole numbers: (part * 1000 / whole) rounded, / 10."""
    tenths = (2 * part * 1000 + whole) // (2 * whole)
    return tenths / 10


def random_stays(rng, municipality, unit, persons, *, agreement=None, count=60):
    """Stays of random persons, each person's stays after one another."""
    made = []
    next_free = {}
    for _ in range(count):
        person = rng.choice(persons)
        start = next_free.get(person.pk, datetime.date(YEAR - 1, 9, 1)) + datetime.timedelta(
            days=rng.randint(0, 90)
        )
        length = rng.randint(0, 80)
        end = None if rng.random() < 0.15 else start + datetime.timedelta(days=length)
        made.append(
            Stay.all_objects.create(
                municipality=municipality,
                person=person,
                unit=unit,
                stay_type=rng.choice(StayType.values),
                admitted_on=start,
                discharged_on=end,
                agreement=agreement,
            )
        )
        # An open stay ends the person's stays; later ones would overlap.
        next_free[person.pk] = end if end else datetime.date(2100, 1, 1)
    return [s for s in made if s.admitted_on < datetime.date(2099, 1, 1)]


def expected_occupancy(stays, capacities, year=YEAR):
    first, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    capacity = 0
    for day in days(first, end):
        valid = [c for c in capacities if c[1] <= day]
        capacity += max(valid, key=lambda c: c[1])[0] if valid else 0
    bed_days, patients = {}, {}
    for stay in stays:
        for day in days(first, end):
            if stay.admitted_on <= day and (stay.discharged_on is None or stay.discharged_on > day):
                bed_days[stay.stay_type] = bed_days.get(stay.stay_type, 0) + 1
                patients.setdefault(stay.stay_type, set()).add(stay.person_id)
    rows = [
        {
            "stay_type": t,
            "patients": len(patients[t]),
            "bed_days": bed_days[t],
            "occupancy_pct": pct(bed_days[t], capacity),
        }
        for t in StayType.values
        if bed_days.get(t)
    ]
    last = datetime.date(year, 12, 31)
    total = sum(r["bed_days"] for r in rows)
    return {
        "year": year,
        "beds": max((c for c in capacities if c[1] <= last), key=lambda c: c[1])[0],
        "capacity_days": capacity,
        "rows": rows,
        "total": {
            "patients": sum(r["patients"] for r in rows),
            "bed_days": total,
            "occupancy_pct": pct(total, capacity),
        },
    }


def unit_with_beds(municipality, name, capacities):
    unit = Unit.all_objects.create(municipality=municipality, name=name, kind="intern")
    for beds, valid_from in capacities:
        BedCapacity.all_objects.create(
            municipality=municipality, unit=unit, beds=beds, valid_from=valid_from
        )
    return unit


@pytest.fixture
def data():
    rng = random.Random(617)
    home = factories.make_municipality("9001", "Testkommune")
    away = factories.make_municipality("9002", "Annen kommune")
    persons = [factories.PersonFactory(municipality=home) for _ in range(25)]
    strangers = [factories.PersonFactory(municipality=away) for _ in range(5)]
    change = datetime.date(YEAR, rng.randint(3, 9), rng.randint(1, 28))
    capacities = [(11, datetime.date(2015, 3, 1)), (14, change)]
    unit = unit_with_beds(home, "Lokalmedisinsk senter", capacities)
    other = unit_with_beds(home, "Solina", [(7, datetime.date(2015, 1, 1))])
    twin = unit_with_beds(away, "Lokalmedisinsk senter", [(30, datetime.date(2015, 1, 1))])
    stays = random_stays(rng, home, unit, persons, count=80)
    random_stays(rng, home, other, persons, count=30)
    random_stays(rng, away, twin, strangers, count=20)
    return home, unit, stays, capacities


def test_bed_occupancy_matches_night_by_night_count(data):
    _home, _unit, stays, capacities = data
    expected = {"unit": "Lokalmedisinsk senter", **expected_occupancy(stays, capacities)}
    assert any(s.discharged_on is None for s in stays)
    assert any(
        s.admitted_on.year < YEAR and (s.discharged_on or datetime.date.max).year >= YEAR
        for s in stays
    )
    assert capacities[1][1].year == YEAR
    out = io.StringIO()
    call_command(
        "report",
        "bed-occupancy",
        municipality="9001",
        year=YEAR,
        unit="lokalmedisinsk SENTER",
        format="json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result == expected
    assert list(result) == ["unit", "year", "beds", "capacity_days", "rows", "total"]
    assert result["beds"] == 14


def test_bed_occupancy_csv_is_the_same_table(data):
    _home, unit, stays, capacities = data
    out = io.StringIO()
    call_command(
        "report",
        "bed-occupancy",
        municipality="9001",
        year=YEAR,
        unit=unit.name,
        format="csv",
        stdout=out,
    )
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [
        "unit",
        "year",
        "beds",
        "capacity_days",
        "stay_type",
        "patients",
        "bed_days",
        "occupancy_pct",
    ]
    expected = expected_occupancy(stays, capacities)
    assert rows[-1][4:7] == [
        "total",
        str(expected["total"]["patients"]),
        str(expected["total"]["bed_days"]),
    ]
    assert len(rows) == len(expected["rows"]) + 2


def test_year_without_stays_and_unknown_unit(data):
    home, unit, _stays, _capacities = data
    with activate(home):
        result = BedOccupancyReport(year=2012, unit=unit.name).compute()
    assert result["rows"] == [] and result["capacity_days"] == 0
    assert result["total"] == {"patients": 0, "bed_days": 0, "occupancy_pct": None}
    with pytest.raises(CommandError, match="Fant ingen enhet med navnet «Finnes ikke»"):
        call_command("report", "bed-occupancy", municipality="9001", year=YEAR, unit="Finnes ikke")


def expected_purchased(stays, agreement, today):
    first, end = datetime.date(YEAR, 1, 1), datetime.date(YEAR + 1, 1, 1)
    cutoff = min(max(today, first), end)
    used = 0
    for stay in stays:
        counts = stay.agreement_id == agreement.pk or (
            stay.agreement_id is None and stay.unit_id == agreement.centre_id
        )
        if not counts:
            continue
        for day in days(first, cutoff):
            if stay.admitted_on <= day and (stay.discharged_on is None or stay.discharged_on > day):
                used += 1
    elapsed = (cutoff - first).days
    projected = (2 * used * 365 + elapsed) // (2 * elapsed) if elapsed else None
    price = 4500
    return {
        "agreement": agreement.name,
        "centre": agreement.centre.name,
        "year": YEAR,
        "days_bought": 200,
        "days_used": used,
        "days_left": 200 - used,
        "price_per_day": price,
        "cost_so_far": used * price,
        "projected_days": projected,
        "projected_cost": None if projected is None else projected * price,
    }


@pytest.mark.parametrize(
    "today", [datetime.date(YEAR, 8, 15), datetime.date(YEAR + 1, 3, 1), datetime.date(YEAR, 1, 1)]
)
def test_purchased_places_matches_own_count(today):
    rng = random.Random(2002)
    home = factories.make_municipality("9001", "Testkommune")
    away = factories.make_municipality("9002", "Annen kommune")
    persons = [factories.PersonFactory(municipality=home) for _ in range(12)]
    centre = unit_with_beds(
        home, "Helgeland rehabiliteringssenter", [(20, datetime.date(2015, 1, 1))]
    )
    centre.kind = "annen_ekstern"
    centre.save(update_fields=["kind"])
    agreement = PurchaseAgreement.all_objects.create(
        municipality=home,
        name="Helgeland",
        centre=centre,
        year=YEAR,
        bed_days=200,
        price_per_day=Decimal("4500.00"),
    )
    other_agreement = PurchaseAgreement.all_objects.create(
        municipality=home,
        name="Annen avtale",
        centre=centre,
        year=YEAR,
        bed_days=50,
        price_per_day=Decimal("3000"),
    )
    stays = random_stays(rng, home, centre, persons[:4], agreement=agreement, count=10)
    stays += random_stays(rng, home, centre, persons[4:8], count=10)
    stays += random_stays(rng, home, centre, persons[8:], agreement=other_agreement, count=10)
    away_centre = unit_with_beds(
        away, "Helgeland rehabiliteringssenter", [(5, datetime.date(2015, 1, 1))]
    )
    random_stays(rng, away, away_centre, [factories.PersonFactory(municipality=away)], count=5)
    with activate(home):
        result = PurchasedPlacesReport(year=YEAR, agreement="helgeland", today=today).compute()
    assert result == expected_purchased(stays, agreement, today)
    if today == datetime.date(YEAR, 1, 1):
        assert result["projected_days"] is None


def test_purchased_places_command_errors(db):
    home = factories.make_municipality("9001", "Testkommune")
    centre = unit_with_beds(home, "Senter", [(5, datetime.date(2015, 1, 1))])
    PurchaseAgreement.all_objects.create(
        municipality=home,
        name="Avtale",
        centre=centre,
        year=YEAR,
        bed_days=10,
        price_per_day=Decimal("99.50"),
    )
    with pytest.raises(CommandError, match="gjelder ikke for 2016"):
        call_command(
            "report", "purchased-places", municipality="9001", year=2016, agreement="Avtale"
        )
    with pytest.raises(CommandError, match="Fant ingen avtale"):
        call_command("report", "purchased-places", municipality="9001", year=YEAR, agreement="X")
    out = io.StringIO()
    call_command(
        "report",
        "purchased-places",
        municipality="9001",
        year=YEAR,
        agreement="Avtale",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["price_per_day"] == 99.5 and result["days_bought"] == 10


def test_unit_without_beds_is_a_parameter_error(db):
    home = factories.make_municipality("9001", "Testkommune")
    Unit.all_objects.create(municipality=home, name="Hjemmetjenesten", kind="intern")
    with pytest.raises(CommandError, match="har ikke registrert sengetall"):
        call_command(
            "report", "bed-occupancy", municipality="9001", year=YEAR, unit="Hjemmetjenesten"
        )


@pytest.mark.django_db
def test_report_command_asks_for_the_unit_and_the_agreement() -> None:
    factories.make_municipality("9077", "Enhetsløs")
    with pytest.raises(CommandError, match="Rapporten trenger --unit NAVN"):
        call_command("report", "bed-occupancy", "--municipality", "9077", "--year", "2017")
    with pytest.raises(CommandError, match="Rapporten trenger --agreement NAVN"):
        call_command("report", "purchased-places", "--municipality", "9077", "--year", "2017")
