"""The decisions report, checked against figures computed here.

Random cases, application lines, decisions and waiting-list entries are made with a fixed
seed; the expected figures are counted in plain Python over the generated records,
with a median and 90th percentile written here, independently of the report's code.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mestring.casework.models import ApplicationLine, Case, Decision, LegalBasis
from mestring.catalogue.models import Service, WaitingListEntry
from mestring.people.models import Person
from mestring.tenancy.models import Municipality
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = 2025
OUTCOMES = {"innvilget": "granted", "delvis": "partly", "avslag": "refused"}
CSV_HEADER = ["figure", "service", "granted", "partly", "refused", "total", "value"]
D = datetime.date


# --- Making data, and remembering it as plain records


@dataclass
class Records:
    cases: list[dict] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)


class Maker:
    """Writes rows for one municipality and keeps a plain record of each."""

    def __init__(self, municipality: Municipality, records: Records) -> None:
        self.m = municipality
        self.records = records
        self.services = list(Service.all_objects.filter(municipality=municipality))
        self.legal = LegalBasis.all_objects.filter(municipality=municipality).first()
        self.staff = factories.StaffFactory(municipality=municipality)
        self.persons: list[Person] = []

    def person(self) -> Person:
        # A name that cannot be part of any other text, to check no page shows it.
        person = factories.PersonFactory(
            municipality=self.m, family_name=f"Skjulesen{len(self.persons)}"
        )
        self.persons.append(person)
        return person

    def case(self, person: Person, received: D, services: list[Service], kind="tjeneste") -> Case:
        case = Case.all_objects.create(
            municipality=self.m, person=person, kind=kind, received_on=received
        )
        for service in services:
            ApplicationLine.all_objects.create(municipality=self.m, case=case, service=service)
        self.records.cases.append(
            {"kind": kind, "received": received, "services": [s.name for s in services]}
        )
        return case

    def decision(
        self, case: Case, service: Service | None, outcome: str, decided: D, subject="tjeneste"
    ) -> Decision:
        decision = Decision.all_objects.create(
            municipality=self.m,
            case=case,
            subject=subject,
            outcome=outcome,
            reasons="Begrunnelse",
            legal_basis=self.legal,
            decided_on=decided,
            decided_by=self.staff,
            service=service,
        )
        self.records.decisions.append(
            {
                "subject": subject,
                "service": service.name if service else None,
                "outcome": outcome,
                "decided": decided,
                "received": case.received_on,
            }
        )
        return decision

    def entry(self, decision: Decision, added: D, removed: D | None) -> None:
        WaitingListEntry.all_objects.create(
            municipality=self.m,
            decision=decision,
            service=decision.service,
            added_on=added,
            removed_on=removed,
        )
        self.records.entries.append(
            {"person": decision.case.person_id, "added": added, "removed": removed}
        )


def generate(municipality: Municipality, seed: int, cases: int) -> Records:
    """Random service applications from 2020 to 2026, with decisions and waiting lists."""
    rng = random.Random(seed)
    records = Records()
    maker = Maker(municipality, records)
    persons = [maker.person() for _ in range(max(3, cases // 4))]
    for _ in range(cases):
        person = rng.choice(persons)
        received = D(2020, 6, 1) + datetime.timedelta(days=rng.randint(0, 6 * 365))
        if rng.random() < 0.15:  # a plan/coordinator case: never counted here
            case = maker.case(person, received, [], kind="ip_koordinator")
            maker.decision(case, None, "innvilget", received, subject="individuell_plan")
            continue
        services = rng.sample(maker.services, rng.randint(1, min(3, len(maker.services))))
        case = maker.case(person, received, services)
        for service in services:
            if rng.random() < 0.2:
                continue  # not decided yet
            decided = received + datetime.timedelta(days=rng.randint(0, 150))
            outcome = rng.choice(list(OUTCOMES))
            decision = maker.decision(case, service, outcome, decided)
            if outcome != "avslag" and rng.random() < 0.6:
                added = decided + datetime.timedelta(days=rng.randint(0, 20))
                removed = (
                    None
                    if rng.random() < 0.3
                    else added + datetime.timedelta(days=rng.randint(0, 300))
                )
                maker.entry(decision, added, removed)
    return records


# --- The expected figures, computed independently


def my_median(values: list[int]) -> float | None:
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    if n % 2 == 1:
        return ordered[n // 2]
    return (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def my_p90(values: list[int]) -> int | None:
    # The smallest value v such that at least 90 % of the values are <= v.
    for v in sorted(values):
        if 10 * sum(1 for x in values if x <= v) >= 9 * len(values):
            return v
    return None


def figures(values: list[int]) -> dict:
    return {"median": my_median(values), "p90": my_p90(values), "count": len(values)}


def expected(records: Records, year: int) -> dict:
    end = D(year, 12, 31)
    applications = [
        c for c in records.cases if c["kind"] == "tjeneste" and c["received"].year == year
    ]
    decided = [
        d for d in records.decisions if d["subject"] == "tjeneste" and d["decided"].year == year
    ]
    per_service: dict[str, Counter] = {}
    for d in decided:
        per_service.setdefault(d["service"], Counter())[OUTCOMES[d["outcome"]]] += 1
    rows = []
    for name in sorted(per_service):
        c = per_service[name]
        rows.append(
            {
                "service": name,
                "granted": c["granted"],
                "partly": c["partly"],
                "refused": c["refused"],
                "total": sum(c.values()),
            }
        )
    total = {k: sum(r[k] for r in rows) for k in ("granted", "partly", "refused", "total")}
    removed = [e for e in records.entries if e["removed"] is not None and e["removed"].year == year]
    waiting = {
        e["person"]
        for e in records.entries
        if e["added"] <= end and (e["removed"] is None or e["removed"] > end)
    }
    return {
        "year": year,
        "applications_received": len(applications),
        "applications_by_service": dict(Counter(s for c in applications for s in c["services"])),
        "decisions": rows,
        "decisions_total": total,
        "processing_days": figures([(d["decided"] - d["received"]).days for d in decided]),
        "waiting_days": figures([(e["removed"] - e["added"]).days for e in removed]),
        "persons_waiting_at_year_end": len(waiting),
    }


def expected_trend(records: Records, year: int) -> list[dict]:
    out = []
    for y in range(year - 4, year + 1):
        decided = [
            d for d in records.decisions if d["subject"] == "tjeneste" and d["decided"].year == y
        ]
        out.append(
            {
                "year": y,
                "applications": sum(
                    1 for c in records.cases if c["kind"] == "tjeneste" and c["received"].year == y
                ),
                "decisions": len(decided),
                "median_processing_days": my_median(
                    [(d["decided"] - d["received"]).days for d in decided]
                ),
            }
        )
    return out


# --- Running the command and the page


def run_report(number: str, year: int, fmt: str = "json") -> str:
    out = io.StringIO()
    call_command("report", "decisions", municipality=number, year=year, format=fmt, stdout=out)
    return out.getvalue()


def get_page(client, **params):
    return client.get(reverse("reports:decisions"), params)


@pytest.fixture
def generated(world) -> Records:
    records = generate(world.municipality, seed=50507, cases=220)
    # Another municipality's rows, in the same years, must never be counted.
    other = factories.make_municipality("9002", "Nabokommune")
    generate(other, seed=777, cases=60)
    return records


# --- Tests


def test_command_json_matches_figures_computed_here(world, generated):
    for year in (2021, 2024, YEAR, 2026):
        result = json.loads(run_report("9001", year))
        assert result == expected(generated, year), year
    # The data are rich enough that every figure is exercised.
    result = json.loads(run_report("9001", YEAR))
    assert result["applications_received"] > 10
    assert {"granted", "partly", "refused"} <= {
        k for k, v in result["decisions_total"].items() if v
    }
    assert result["processing_days"]["count"] > 10
    assert result["waiting_days"]["count"] > 3
    assert result["persons_waiting_at_year_end"] > 1


def test_page_shows_the_same_figures_and_trend(world, client_for, generated):
    response = get_page(client_for(world.read_only), ar=str(YEAR))
    assert response.status_code == 200
    assert response.context["year"] == YEAR
    assert response.context["result"] == expected(generated, YEAR)
    assert response.context["trend"] == expected_trend(generated, YEAR)
    content = response.content.decode()
    assert "Slik telles tallene" in content and "nærmeste rang" in content
    assert '<svg class="bar"' in content
    main = content[content.index("<main") : content.index("</main>")]
    # Figures only: no person is named.
    assert Person.all_objects.filter(family_name__startswith="Skjulesen").count() > 50
    assert "Skjulesen" not in main and "Skjermesen" not in main
    for person in Person.all_objects.all():
        assert person.person_ref not in main


def test_csv_from_page_and_command_agree(world, client_for, generated):
    response = get_page(client_for(world.read_only), ar=str(YEAR), format="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"vedtak-{YEAR}.csv" in response["Content-Disposition"]
    text = response.content.decode()
    assert text == run_report("9001", YEAR, "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_HEADER
    want = expected(generated, YEAR)
    by_figure: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        assert len(row) == len(CSV_HEADER)
        by_figure.setdefault(row[0], []).append(row)
    assert [
        {"service": r[1], "granted": int(r[2]), "partly": int(r[3]), "refused": int(r[4]),
         "total": int(r[5])}
        for r in by_figure["decisions"]
    ] == want["decisions"]  # fmt: skip
    assert by_figure["decisions_total"] == [
        ["decisions_total", "", *(str(want["decisions_total"][k]) for k in CSV_HEADER[2:6]), ""]
    ]
    assert by_figure["applications_received"][0][6] == str(want["applications_received"])
    assert {r[1]: int(r[6]) for r in by_figure["applications_by_service"]} == want[
        "applications_by_service"
    ]
    for figure in ("processing_days", "waiting_days"):
        for key in ("median", "p90", "count"):
            assert float(by_figure[f"{figure}_{key}"][0][6]) == want[figure][key]
    assert by_figure["persons_waiting_at_year_end"][0][6] == str(
        want["persons_waiting_at_year_end"]
    )


def test_year_boundaries():
    """31.12 belongs to its year, 01.01 to the next; an entry removed after 31.12 is
    still waiting at year end."""
    m = factories.make_municipality("9001", "Testkommune")
    maker = Maker(m, Records())
    home, day = maker.services[0], maker.services[1]
    anne, bo, cato = maker.person(), maker.person(), maker.person()
    assert home.name < day.name or home.name > day.name  # two different services
    last = maker.case(anne, D(2025, 12, 31), [home, day])
    first = maker.case(bo, D(2026, 1, 1), [home])
    old = maker.case(cato, D(2025, 1, 1), [day])
    older = maker.case(cato, D(2024, 12, 31), [day])
    d_last = maker.decision(old, day, "innvilget", D(2025, 12, 31))  # 364 days
    d_first = maker.decision(last, home, "delvis", D(2026, 1, 1))  # 1 day
    d_older = maker.decision(older, day, "innvilget", D(2025, 1, 1))  # 1 day
    maker.decision(first, home, "avslag", D(2026, 1, 2))  # 1 day
    maker.entry(d_last, D(2025, 1, 1), D(2025, 12, 31))  # removed in 2025: 364 days
    maker.entry(d_first, D(2025, 12, 31), D(2026, 1, 1))  # anne: waiting at end of 2025
    maker.entry(d_older, D(2026, 1, 1), None)  # cato: waiting at end of 2026 only

    y2025 = json.loads(run_report("9001", 2025))
    assert y2025["applications_received"] == 2
    assert y2025["applications_by_service"] == {home.name: 1, day.name: 2}
    assert y2025["decisions"] == [
        {"service": day.name, "granted": 2, "partly": 0, "refused": 0, "total": 2}
    ]
    assert y2025["processing_days"] == {"median": 182.5, "p90": 364, "count": 2}
    assert y2025["waiting_days"] == {"median": 364, "p90": 364, "count": 1}
    assert y2025["persons_waiting_at_year_end"] == 1  # anne, removed on 01.01.2026

    y2026 = json.loads(run_report("9001", 2026))
    assert y2026["applications_received"] == 1
    assert y2026["decisions_total"] == {"granted": 0, "partly": 1, "refused": 1, "total": 2}
    assert y2026["processing_days"] == {"median": 1, "p90": 1, "count": 2}
    assert y2026["waiting_days"] == {"median": 1, "p90": 1, "count": 1}
    assert y2026["persons_waiting_at_year_end"] == 1  # cato

    empty = json.loads(run_report("9001", 2019))
    assert empty["decisions"] == [] and empty["decisions_total"]["total"] == 0
    assert empty["processing_days"] == {"median": None, "p90": None, "count": 0}
    assert empty["waiting_days"] == {"median": None, "p90": None, "count": 0}


def test_person_on_two_lists_counts_once():
    m = factories.make_municipality("9001", "Testkommune")
    maker = Maker(m, Records())
    person = maker.person()
    case = maker.case(person, D(2025, 3, 1), maker.services[:2])
    for service in maker.services[:2]:
        decision = maker.decision(case, service, "innvilget", D(2025, 4, 1))
        maker.entry(decision, D(2025, 4, 2), None)
    result = json.loads(run_report("9001", 2025))
    assert result["persons_waiting_at_year_end"] == 1


def test_percentiles_nearest_rank():
    from mestring.reports.decisions import median, percentile_90

    for values in ([5], [1, 2], list(range(1, 11)), list(range(1, 12)), [3, 3, 9, 1, 50, 7, 8]):
        assert median(values) == my_median(values)
        assert percentile_90(values) == my_p90(values)
    assert percentile_90(list(range(1, 11))) == 9  # 9 of 10 values are <= 9
    assert percentile_90(list(range(1, 12))) == 10  # 10 of 11 values; 9 of 11 < 90 %
    assert median([1, 2]) == 1.5


def test_bad_year_gives_a_message_and_keeps_the_input(world, client_for):
    client = client_for(world.read_only)
    this_year = datetime.date.today().year
    for raw, message in (
        ("tjue", "«tjue» er ikke et årstall"),
        ("25", "«25» er ikke et årstall"),
        ("1999", "Velg et år fra 2000 til"),
        (str(this_year + 1), "Velg et år fra 2000 til"),
    ):
        response = get_page(client, ar=raw, format="csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")  # no CSV for a bad year
        content = response.content.decode()
        assert message in content
        assert f'value="{raw}"' in content and 'aria-invalid="true"' in content
        assert response.context["year"] == response.context["result"]["year"]
    response = get_page(client)
    assert response.context["year"] == response.context["result"]["year"]
    assert not response.context["year_error"]


def test_refused_without_statistics_permission(world, client_for):
    for staff in (world.outsider, world.team_member):
        assert get_page(client_for(staff), ar=str(YEAR)).status_code == 403
        assert get_page(client_for(staff), ar=str(YEAR), format="csv").status_code == 403


def test_query_count_does_not_grow_with_the_data(world, client_for):
    client = client_for(world.read_only)
    get_page(client, ar=str(YEAR))  # session set-up on the first request

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = get_page(client, ar=str(YEAR))
        assert response.status_code == 200
        return len(queries)

    generate(world.municipality, seed=1, cases=8)
    small = count()
    generate(world.municipality, seed=2, cases=80)
    assert count() == small
