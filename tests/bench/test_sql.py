"""The hand-written SQL of the benchmark gives the same figures as the reports.

Each test builds random data that straddles the ends of the years compared, adds rows
of another municipality that must not count, and asserts for several years that
`hand(municipality, params) == hand.comparable(report.compute())`.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

import pytest

from mestring.access.models import Consent
from mestring.bench.reports import measure_reports
from mestring.bench.sql import HAND_WRITTEN, day_figures
from mestring.core.reporting import REPORTS
from mestring.devices.models import Loan
from mestring.devices.reports import AssistiveDevicesReport
from mestring.friskliv.models import Prescription, Reason
from mestring.friskliv.reports import FrisklivsreseptReport
from mestring.institutions.models import PurchaseAgreement, Stay
from mestring.institutions.reports import BedOccupancyReport, PurchasedPlacesReport
from mestring.outcomes.models import InstrumentThreshold, Observation
from mestring.outcomes.reports import EverydayRehabReport
from mestring.people.models import Unit
from mestring.plans.models import IndividualPlan
from mestring.rehab.models import Programme
from mestring.reports.decisions import DecisionsReport, median, percentile_90
from mestring.reports.individual_plans import IndividualPlansReport
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality
from tests import factories
from tests.devices.loan_helpers import make_item
from tests.devices.test_loans_report import build as build_loans
from tests.institutions.test_reports import random_stays, unit_with_beds
from tests.rehab.test_report import make as make_episodes
from tests.reports.test_decisions_report import generate as generate_decisions

pytestmark = pytest.mark.django_db
D = datetime.date


def other_municipality() -> Municipality:
    return factories.make_municipality("9002", "Annenkommune")


def assert_equal(name: str, municipality: Municipality, cases: list[tuple[dict, Any]]) -> list:
    """For each (params, report): the SQL's figures are the report's. Returns the results."""
    hand = HAND_WRITTEN[name]
    results = []
    with activate(municipality):
        for params, report in cases:
            result = report.compute()
            assert hand(municipality.pk, params) == hand.comparable(result), params
            results.append(result)
    return results


def test_every_report_but_the_chapter_has_hand_written_sql():
    assert set(HAND_WRITTEN) == set(REPORTS) - {"plan-chapter"}


def test_day_figures_from_counts_are_the_reports_median_and_percentile():
    rng = random.Random(3)
    for size in (1, 2, 3, 4, 9, 10, 11, 57):
        values = [rng.randint(0, 9) for _ in range(size)]
        counts: dict[int, int] = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        expected = {"median": median(values), "p90": percentile_90(values), "count": size}
        assert day_figures(counts) == expected, values
    assert day_figures({}) == {"median": None, "p90": None, "count": 0}


# --- frisklivsresept


def _prescriptions(municipality, rng: random.Random, count: int) -> None:
    persons = [
        factories.PersonFactory(
            municipality=municipality,
            birth_date=rng.choice(
                [datetime.date(1944, 2, 29), datetime.date(1985, 12, 31)]
                + [datetime.date(rng.randint(1930, 2015), rng.randint(1, 12), 15)] * 3
            ),
        )
        for _ in range(12)
    ]
    for _ in range(count):
        Prescription.all_objects.create(
            municipality=municipality,
            person=rng.choice(persons),
            referral_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(-3, 368)),
            referrer_kind="fastlege",
            reason=rng.choice(Reason.values),
            completed=rng.choice([True, False, None]),
        )


def test_frisklivsresept_sql_equals_the_report(world):
    rng = random.Random(7)
    _prescriptions(world.municipality, rng, 120)
    _prescriptions(factories.make_municipality("9002", "Annenkommune"), rng, 30)
    hand = HAND_WRITTEN["frisklivsresept"]
    with activate(world.municipality):
        referred = {}
        for year in (2023, 2024, 2025):
            report = FrisklivsreseptReport(year=year).compute()
            assert hand(world.municipality.pk, {"year": year}) == hand.comparable(report)
            referred[year] = report["referred"]
    # The data straddle the year ends, so every year has rows to agree on.
    assert all(referred.values()), referred


# --- individual-plans

# Names that sort differently by case and by collation: the database decides the order.
UNIT_NAMES = ["Åsen bofellesskap", "aktivitetshuset", "Helsestasjon", "Enhet B", "enhet a"]
# Birthdays at the 18-year boundary of the days compared, 29 February among them.
BIRTHS = [D(2004, 2, 29), D(2006, 12, 31), D(2007, 1, 1), D(2006, 3, 1), D(2006, 2, 28)]


def _plans(municipality: Municipality, rng: random.Random, count: int) -> None:
    units = [
        Unit.all_objects.create(municipality=municipality, name=name, kind="intern")
        for name in UNIT_NAMES
    ]
    for _ in range(count):  # one plan per person
        person = factories.PersonFactory(
            municipality=municipality,
            birth_date=rng.choice(
                [*BIRTHS, D(rng.randint(1940, 2020), rng.randint(1, 12), rng.randint(1, 28))]
            ),
        )
        start = D(2022, 6, 1) + datetime.timedelta(days=rng.randint(0, 1000))
        end = None if rng.random() < 0.4 else start + datetime.timedelta(days=rng.randint(0, 600))
        consent = Consent.all_objects.create(
            municipality=municipality,
            person=person,
            kind="individuell_plan",
            scope="Individuell plan",
            given_by="personen",
            given_on=start,
        )
        IndividualPlan.all_objects.create(
            municipality=municipality,
            person=person,
            consent=consent,
            responsible_unit=rng.choice(units),
            start_date=start,
            end_date=end,
        )


def test_individual_plans_sql_equals_the_report():
    here = factories.make_municipality("9001", "Testkommune")
    rng = random.Random(11)
    _plans(here, rng, 40)
    _plans(other_municipality(), rng, 10)
    days = [D(2022, 12, 31), D(2023, 12, 31), D(2024, 2, 29), D(2024, 12, 31), D(2025, 12, 31)]
    results = assert_equal(
        "individual-plans", here, [({"date": d}, IndividualPlansReport(date=d)) for d in days]
    )
    assert all(r["total"]["total"] for r in results[1:]), results
    assert any(r["total"]["under_18"] for r in results) and results[-1]["total"]["adult"]


# --- decisions


def test_decisions_sql_equals_the_report():
    here = factories.make_municipality("9001", "Testkommune")
    generate_decisions(here, 5, 50)
    generate_decisions(other_municipality(), 6, 15)
    years = range(2020, 2028)
    results = assert_equal(
        "decisions", here, [({"year": y}, DecisionsReport(year=y)) for y in years]
    )
    busy = [r for r in results if r["decisions_total"]["total"]]
    assert len(busy) >= 5 and any(r["waiting_days"]["count"] for r in busy)
    assert any(r["persons_waiting_at_year_end"] for r in results)


# --- everyday-rehab


def test_everyday_rehab_sql_equals_the_report():
    rng = random.Random(2017)
    here = factories.make_municipality("9001", "Testkommune")
    there = other_municipality()
    programme = Programme.all_objects.get(municipality=here, code="hverdagsrehabilitering")
    other_programme = Programme.all_objects.create(municipality=here, code="annet", name="Annet")
    persons = [factories.PersonFactory(municipality=here) for _ in range(8)]
    days = [D(2017, 1, 1) + datetime.timedelta(days=n) for n in range(0, 365, 3)]
    days += [D(2016, 12, 31), D(2018, 1, 1), D(2017, 12, 31)] * 12  # the year ends, often
    facts = make_episodes(rng, here, programme, persons, days)
    make_episodes(rng, here, other_programme, persons, days)
    make_episodes(
        rng,
        there,
        Programme.all_objects.get(municipality=there, code="hverdagsrehabilitering"),
        [factories.PersonFactory(municipality=there)],
        days,
    )
    # Changes of exactly the thresholds (1 and 2.5) both ways, with decimals: compared
    # exactly, on SQLite too. The first start and the last end score count.
    completed = [f[0] for f in facts if f[1] == "fullfort" and f[0].referral_date.year == 2017]
    pairs = [("6.3", "7.3"), ("7.3", "6.3"), ("4", "6.5"), ("9", "6.5"), ("5.25", "4.25")]
    for episode, scores in zip(completed, pairs, strict=False):
        start, end = scores
        for time_point, total, day in (
            ("start", start, D(2000, 1, 1)),
            ("slutt", end, D(2030, 1, 1)),
        ):
            Observation.all_objects.create(
                municipality=here,
                person=episode.person,
                episode=episode,
                instrument="sppb",
                version="v",
                observed_on=day,
                time_point=time_point,
                total=Decimal(total),
            )
    cases = [({"year": y}, EverydayRehabReport(year=y)) for y in (2016, 2017, 2018)]
    first = assert_equal("everyday-rehab", here, cases)
    # The municipality's own threshold replaces the default.
    InstrumentThreshold.all_objects.create(
        municipality=here, instrument="sppb", meaningful_change=Decimal("2.5")
    )
    second = assert_equal("everyday-rehab", here, cases)
    assert first[1]["completed"] > 3 and first[1]["sppb"]["improved"]
    assert first[1]["sppb"] != second[1]["sppb"]
    assert first[0]["referrals"] and first[2]["referrals"]


# --- bed-occupancy and purchased-places

YEAR = 2017  # the year random_stays spreads the stays around


def test_bed_occupancy_sql_equals_the_report():
    rng = random.Random(617)
    here = factories.make_municipality("9001", "Testkommune")
    there = other_municipality()
    persons = [factories.PersonFactory(municipality=here) for _ in range(12)]
    unit = unit_with_beds(
        here, "Lokalmedisinsk senter", [(11, D(2015, 3, 1)), (14, D(YEAR, 6, 17))]
    )
    late = unit_with_beds(here, "Solina", [(7, D(YEAR, 5, 1)), (9, D(YEAR + 1, 12, 31))])
    twin = unit_with_beds(there, "Lokalmedisinsk senter", [(30, D(2015, 1, 1))])
    random_stays(rng, here, unit, persons, count=40)
    random_stays(rng, here, late, persons, count=15)
    random_stays(rng, there, twin, [factories.PersonFactory(municipality=there)], count=8)
    # A stay admitted and discharged the same day has no night and no patient.
    Stay.all_objects.create(
        municipality=here,
        person=persons[0],
        unit=unit,
        stay_type="korttid",
        admitted_on=D(YEAR, 12, 31),
        discharged_on=D(YEAR, 12, 31),
    )
    cases = [
        ({"year": y, "unit": u}, BedOccupancyReport(year=y, unit=u))
        for u in (unit, late)
        for y in (YEAR - 1, YEAR, YEAR + 1)
    ]
    results = assert_equal("bed-occupancy", here, cases)
    assert results[1]["total"]["bed_days"] and len(results[1]["rows"]) > 1
    # Solina has no beds before May 2017: no capacity, no percentage.
    assert results[3]["capacity_days"] == 0 and results[5]["beds"] == 9


def test_purchased_places_sql_equals_the_report():
    rng = random.Random(4500)
    here = factories.make_municipality("9001", "Testkommune")
    there = other_municipality()
    centre = unit_with_beds(here, "Helgeland rehabilitering", [(20, D(2015, 1, 1))])
    persons = [factories.PersonFactory(municipality=here) for _ in range(6)]
    agreement = PurchaseAgreement.all_objects.create(
        municipality=here,
        name="Helgeland",
        centre=centre,
        year=YEAR,
        bed_days=200,
        price_per_day=Decimal("4512.35"),
    )
    other_agreement = PurchaseAgreement.all_objects.create(
        municipality=here,
        name="Annen avtale",
        centre=centre,
        year=YEAR,
        bed_days=50,
        price_per_day=Decimal("3000"),
    )
    random_stays(rng, here, centre, persons[:2], agreement=agreement, count=8)
    random_stays(rng, here, centre, persons[2:4], count=8)  # at the centre, no agreement
    random_stays(rng, here, centre, persons[4:], agreement=other_agreement, count=6)
    twin = unit_with_beds(there, "Helgeland rehabilitering", [(5, D(2015, 1, 1))])
    random_stays(rng, there, twin, [factories.PersonFactory(municipality=there)], count=5)
    cases = [
        (
            {"year": YEAR, "agreement": a, "today": today},
            PurchasedPlacesReport(year=YEAR, agreement=a, today=today),
        )
        for a in (agreement, other_agreement)
        for today in (D(YEAR - 1, 5, 1), D(YEAR, 1, 1), D(YEAR, 3, 15), D(YEAR + 1, 2, 1))
    ]
    # As the benchmark calls it: no `today`, so both take today's date.
    cases.append(
        (
            {"year": YEAR, "agreement": agreement},
            PurchasedPlacesReport(year=YEAR, agreement=agreement),
        )
    )
    results = assert_equal("purchased-places", here, cases)
    assert results[0]["projected_days"] is None and results[2]["days_used"]
    assert isinstance(results[3]["cost_so_far"], float) and results[7]["days_used"]


# --- assistive-devices


def test_assistive_devices_sql_equals_the_report():
    rng = random.Random(7)
    here = factories.make_municipality("9001", "Testkommune")
    build_loans(here, rng, 15, 80, "A")
    build_loans(other_municipality(), rng, 5, 25, "B")
    # Values with øre, summed as the database sums them.
    person = factories.PersonFactory(municipality=here)
    for i, value in enumerate(["0.10", "0.20", "1249.95"]):
        Loan.all_objects.create(
            municipality=here,
            item=make_item(here, f"C-{i}", value=Decimal(value)),
            person=person,
            ordered_on=D(2024, 6, 1),
            delivered_on=D(2024, 6, 2),
        )
    years = (2021, 2022, 2023, 2024, 2025)
    results = assert_equal(
        "assistive-devices", here, [({"year": y}, AssistiveDevicesReport(year=y)) for y in years]
    )
    assert all(r["delivered"] for r in results)
    assert isinstance(results[3]["delivered_value_nok"], float), results[3]


# --- the benchmark's own call


def test_the_benchmark_finds_the_sql_equal_to_every_report():
    rng = random.Random(99)
    here = factories.make_municipality("9001", "Testkommune")
    persons = [factories.PersonFactory(municipality=here) for _ in range(6)]
    centre = unit_with_beds(here, "Lokalmedisinsk senter", [(8, D(2015, 1, 1))])
    PurchaseAgreement.all_objects.create(
        municipality=here,
        name="Avtale",
        centre=centre,
        year=YEAR,
        bed_days=100,
        price_per_day=Decimal("99.50"),
    )
    random_stays(rng, here, centre, persons, count=12)
    build_loans(here, rng, 5, 20, "A")
    _prescriptions(here, rng, 20)
    generate_decisions(here, 8, 12)
    figures = {figure.name: figure for figure in measure_reports(here, YEAR)}
    for name in HAND_WRITTEN:
        assert figures[name].equal is True, name
