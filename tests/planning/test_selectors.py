"""The population table, the ratio of working-age people to those 67+, projected need
and the pyramid, each checked against figures computed here in plain Python."""

from __future__ import annotations

import datetime
import random

import pytest

from mestring.casework.models import Case, Decision, LegalBasis
from mestring.catalogue.models import Assignment, Service
from mestring.planning import selectors
from mestring.planning.models import PopulationFigure
from mestring.rehab.models import Episode, Programme
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
GROUPS = {"0-19": (0, 19), "20-66": (20, 66), "67-79": (67, 79), "80+": (80, None)}
BASE = 2025


def population(municipality, region: str, rng: random.Random, years=range(2020, 2041)) -> dict:
    counts = {g: {} for g in GROUPS}
    for group, (low, high) in GROUPS.items():
        for year in years:
            n = rng.randint(0, 3000) if group != "80+" else rng.randint(1, 400)
            counts[group][year] = n
            PopulationFigure.all_objects.create(
                municipality=municipality,
                region=region,
                age_group=group,
                age_from=low,
                age_to=high,
                year=year,
                count=n,
                kind="registrert" if year <= 2025 else "framskrevet",
            )
    return counts


def test_population_table_and_the_ratio_computed_independently(world):
    rng = random.Random(81)
    counts = population(world.municipality, "9001", rng)
    population(world.municipality, "Annen region", rng)
    other = factories.make_municipality("9002", "Annenkommune")
    population(other, "9001", rng)
    with activate(world.municipality):
        table = selectors.population_table()
    assert table["region"] == "9001"
    assert table["years"] == list(range(2020, 2041))
    assert table["groups"] == ["0-19", "20-66", "67-79", "80+"]
    assert table["counts"] == counts
    assert table["projected_from"] == 2026
    expected = {
        year: round(counts["20-66"][year] / (counts["67-79"][year] + counts["80+"][year]), 2)
        for year in range(2020, 2041)
    }
    assert table["ratio_working_to_67plus"] == expected
    assert table["ratio_error"] == ""
    with activate(world.municipality):
        assert selectors.population_table("Annen region")["region"] == "Annen region"
        assert selectors.population_table("finnes ikke")["region"] == "9001"


def test_a_group_across_67_is_an_error_not_a_guess(world):
    for group, low, high in (("0-44", 0, 44), ("45-69", 45, 69), ("70+", 70, None)):
        PopulationFigure.all_objects.create(
            municipality=world.municipality,
            region="9001",
            age_group=group,
            age_from=low,
            age_to=high,
            year=2030,
            count=100,
            kind="framskrevet",
        )
    with activate(world.municipality):
        table = selectors.population_table()
    assert table["ratio_working_to_67plus"] == {}
    assert "«0-44» går over grensen ved 20 eller 67 år" in table["ratio_error"]


def test_no_figures_gives_an_empty_table(world):
    with activate(world.municipality):
        table = selectors.population_table()
        need = selectors.projected_need(BASE)
    assert table["region"] is None and table["years"] == [] and table["counts"] == {}
    assert need["services"] == [] and "Importer befolkningstall" in need["error"]


# --- Projected need


def _decisions(municipality, rng: random.Random, staff, legal) -> list[dict]:
    """Random persons with service decisions around the base year, remembered as plain
    records."""
    services = list(Service.all_objects.filter(municipality=municipality, is_active=True))[:5]
    records = []
    for _ in range(60):
        birth = D(1925, 1, 1) + datetime.timedelta(days=rng.randint(0, 100 * 365))
        person = factories.PersonFactory(municipality=municipality, birth_date=birth)
        for _ in range(rng.randint(1, 3)):
            service = rng.choice(services)
            case = Case.all_objects.create(
                municipality=municipality, person=person, kind="tjeneste", received_on=D(2023, 1, 1)
            )
            decided = D(2023, 6, 1) + datetime.timedelta(days=rng.randint(0, 1000))
            valid_from = rng.choice([None, decided + datetime.timedelta(days=rng.randint(0, 30))])
            valid_to = rng.choice(
                [None, None, decided + datetime.timedelta(days=rng.randint(10, 400))]
            )
            stopped = rng.choice(
                [None, None, None, decided + datetime.timedelta(days=rng.randint(1, 300))]
            )
            outcome = rng.choice(["innvilget", "innvilget", "delvis", "avslag"])
            Decision.all_objects.create(
                municipality=municipality,
                case=case,
                subject="tjeneste",
                service=service,
                outcome=outcome,
                reasons="Test",
                legal_basis=legal,
                decided_on=decided,
                decided_by=staff,
                valid_from=valid_from,
                valid_to=valid_to,
                stopped_on=stopped,
            )
            records.append(
                {
                    "person": person.pk,
                    "birth": birth,
                    "service": service.name,
                    "outcome": outcome,
                    "start": valid_from or decided,
                    "valid_to": valid_to,
                    "stopped": stopped,
                }
            )
    return records


def _age(birth: D, day: D) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def _group(age: int) -> str | None:
    for group, (low, high) in GROUPS.items():
        if low <= age and (high is None or age <= high):
            return group
    return None


def test_projected_need_computed_independently(world):
    rng = random.Random(2040)
    counts = population(world.municipality, "9001", rng)
    staff = factories.StaffFactory(municipality=world.municipality)
    legal = LegalBasis.all_objects.filter(municipality=world.municipality).first()
    records = _decisions(world.municipality, rng, staff, legal)
    other = factories.make_municipality("9002", "Annenkommune")
    _decisions(
        other,
        rng,
        factories.StaffFactory(municipality=other),
        LegalBasis.all_objects.filter(municipality=other).first(),
    )

    first, last = D(BASE, 1, 1), D(BASE, 12, 31)
    recipients: dict[str, dict[int, D]] = {}
    for r in records:
        if r["outcome"] == "avslag":
            continue
        ends = [
            d for d in (r["valid_to"], r["stopped"] and r["stopped"] - datetime.timedelta(1)) if d
        ]
        end = min(ends) if ends else None
        if r["start"] <= last and (end is None or end >= first):
            recipients.setdefault(r["service"], {})[r["person"]] = r["birth"]

    with activate(world.municipality):
        need = selectors.projected_need(BASE)
    assert need["base_year"] == BASE and need["error"] == ""
    assert need["years"] == list(range(BASE, 2041))
    by_name = {s["service"]: s for s in need["services"]}
    assert set(by_name) == set(
        Service.all_objects.filter(municipality=world.municipality, is_active=True).values_list(
            "name", flat=True
        )
    )
    assert any(recipients.values())
    for name, service in by_name.items():
        persons = recipients.get(name, {})
        per_group = {g: 0 for g in GROUPS}
        for birth in persons.values():
            per_group[_group(_age(birth, D(BASE, 7, 1)))] += 1
        rates = {g: per_group[g] / counts[g][BASE] if counts[g][BASE] else 0 for g in GROUPS}
        assert service["recipients_base"] == len(persons), name
        assert service["rates"] == {g: round(rate, 4) for g, rate in rates.items()}
        assert service["projection"] == {
            year: round(sum(rates[g] * counts[g][year] for g in GROUPS))
            for year in range(BASE, 2041)
        }
    assert any("1. juli 2025" in line for line in need["assumptions"])
    assert any("region 9001" in line for line in need["assumptions"])


def test_a_base_year_without_figures_is_reported(world):
    population(world.municipality, "9001", random.Random(1), years=range(2030, 2032))
    with activate(world.municipality):
        need = selectors.projected_need(BASE)
    assert need["services"] == []
    assert need["error"] == "Befolkningstallene har ingen tall for 2025. Velg et annet basisår."


# --- The pyramid


def test_pyramid_counts_distinct_persons_per_level_in_the_year(world):
    m = world.municipality
    staff = factories.StaffFactory(municipality=m)
    legal = LegalBasis.all_objects.filter(municipality=m).first()
    unit = factories.UnitFactory(municipality=m)
    level2 = Service.all_objects.get(municipality=m, code="dagplass")
    level3 = Service.all_objects.get(municipality=m, code="hjemmesykepleie")
    everyday = Service.all_objects.get(municipality=m, code="hverdagsrehabilitering")
    programme = Programme.all_objects.get(municipality=m, code="hverdagsrehabilitering")
    programme.service = everyday
    programme.save()
    persons = [factories.PersonFactory(municipality=m) for _ in range(5)]

    def assign(person, service, starts, ends=None):
        case = Case.all_objects.create(
            municipality=m, person=person, kind="tjeneste", received_on=D(2024, 1, 1)
        )
        decision = Decision.all_objects.create(
            municipality=m,
            case=case,
            subject="tjeneste",
            service=service,
            outcome="innvilget",
            reasons="Test",
            legal_basis=legal,
            decided_on=starts,
            decided_by=staff,
        )
        Assignment.all_objects.create(
            municipality=m, decision=decision, unit=unit, starts_on=starts, ends_on=ends
        )

    assign(persons[0], level2, D(2024, 3, 1))  # open: counts
    assign(persons[0], level2, D(2025, 3, 1), D(2025, 4, 1))  # same person: once
    assign(persons[1], level2, D(2024, 1, 1), D(2024, 12, 31))  # ended before 2025
    assign(persons[2], level3, D(2025, 12, 31))  # the last day counts
    assign(persons[3], level3, D(2026, 1, 1))  # after the year
    assign(persons[4], everyday, D(2025, 2, 1), D(2025, 5, 1))

    def episode(person, start, end=None):
        Episode.all_objects.create(
            municipality=m,
            person=person,
            programme=programme,
            status="pagar",
            referral_date=start,
            start_date=start,
            end_date=end,
        )

    episode(persons[4], D(2025, 2, 1), D(2025, 5, 1))  # same person as the assignment
    episode(persons[1], D(2024, 11, 1), D(2025, 1, 1))  # the first day counts
    episode(persons[3], D(2024, 1, 1), D(2024, 12, 31))  # ended before the year

    with activate(m):
        levels = {level.level: level for level in selectors.pyramid(2025)}
    assert [levels[n].persons for n in range(1, 6)] == [0, 3, 1, 0, 0]
    assert levels[2].from_assignments == 2 and levels[2].episodes == 2
    assert "Hverdagsrehabilitering" in levels[2].services
