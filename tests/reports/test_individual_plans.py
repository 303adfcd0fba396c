"""The individual-plans report and the plan import, checked against figures computed here."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from mestring.access.audit import verify_chain
from mestring.access.models import CareRelation, Consent
from mestring.people.models import Person, Unit
from mestring.plans.models import CoordinatorAssignment, IndividualPlan
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "person_ref,responsible_unit,coordinator_ref,consent_date,start_date,end_date\n"
UNITS = ["Helsestasjon", "Hjemmetjenesten", "Miljøterapitjenesten", "Rus og psykiatri"]


def run_report(number: str, day: str, fmt: str = "json") -> str:
    out = io.StringIO()
    call_command(
        "report", "individual-plans", municipality=number, date=day, format=fmt, stdout=out
    )
    return out.getvalue()


@pytest.fixture
def generated(tmp_path):
    """A municipality with random persons and a plan file; returns what the test needs."""
    municipality = factories.make_municipality("9001", "Testkommune")
    rng = random.Random(4021)
    persons = [
        factories.PersonFactory(
            municipality=municipality,
            person_ref=f"R{i}",
            birth_date=datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 27000)),
        )
        for i in range(60)
    ]
    coordinator = factories.StaffFactory(municipality=municipality, user__username="koord")
    rows = []
    for person in persons[:50]:
        start = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randint(0, 2500))
        end = start + datetime.timedelta(days=rng.randint(30, 1500)) if rng.random() < 0.5 else None
        consent = start - datetime.timedelta(days=rng.randint(0, 20))
        rows.append(
            {
                "person": person,
                "unit": rng.choice(UNITS),
                "coordinator": "koord" if rng.random() < 0.4 else "",
                "consent": consent,
                "start": start,
                "end": end,
            }
        )
    text = HEADER + "".join(
        f"{r['person'].person_ref},{r['unit']},{r['coordinator']},{r['consent']},{r['start']},"
        f"{r['end'] or ''}\n"
        for r in rows
    )
    path = tmp_path / "plans.csv"
    path.write_text(text, encoding="utf-8")
    return {"municipality": municipality, "rows": rows, "path": path, "coordinator": coordinator}


def expected_table(rows: list[dict], day: datetime.date) -> dict:
    counts: Counter = Counter()
    for row in rows:
        if row["start"] <= day and (row["end"] is None or row["end"] >= day):
            group = "under_18" if row["person"].age_on(day) < 18 else "adult"
            counts[(row["unit"], group)] += 1
    units = sorted({unit for unit, _group in counts})
    table = [
        {
            "unit": unit,
            "under_18": counts[(unit, "under_18")],
            "adult": counts[(unit, "adult")],
            "total": counts[(unit, "under_18")] + counts[(unit, "adult")],
        }
        for unit in units
    ]
    total = {k: sum(r[k] for r in table) for k in ("under_18", "adult", "total")}
    return {"date": day.isoformat(), "rows": table, "total": total}


def test_import_then_report_matches_figures_computed_here(generated, capsys):
    call_command("import", "plans", str(generated["path"]), municipality="9001")
    assert "50 nye" in capsys.readouterr().out
    for day in (datetime.date(2019, 6, 30), datetime.date(2021, 12, 31), datetime.date(2024, 3, 1)):
        result = json.loads(run_report("9001", day.isoformat()))
        assert result == expected_table(generated["rows"], day)


def test_report_csv_has_the_same_table(generated):
    call_command("import", "plans", str(generated["path"]), municipality="9001")
    day = datetime.date(2022, 1, 1)
    expected = expected_table(generated["rows"], day)
    rows = list(csv.reader(io.StringIO(run_report("9001", day.isoformat(), "csv"))))
    assert rows[0] == ["unit", "under_18", "adult", "total"]
    body = [
        [r["unit"], str(r["under_18"]), str(r["adult"]), str(r["total"])] for r in expected["rows"]
    ]
    assert rows[1:-1] == body
    assert rows[-1] == ["Sum", *(str(expected["total"][k]) for k in ("under_18", "adult", "total"))]


def test_import_is_idempotent_and_creates_consent_plan_and_coordinator(generated, capsys):
    call_command("import", "plans", str(generated["path"]), municipality="9001")
    counts = (
        IndividualPlan.all_objects.count(),
        Consent.all_objects.count(),
        CoordinatorAssignment.all_objects.count(),
        Unit.all_objects.count(),
        CareRelation.all_objects.count(),
    )
    call_command("import", "plans", str(generated["path"]), municipality="9001")
    assert "0 nye, 0 endret, 50 uendret" in capsys.readouterr().out.splitlines()[-1]
    assert counts == (
        IndividualPlan.all_objects.count(),
        Consent.all_objects.count(),
        CoordinatorAssignment.all_objects.count(),
        Unit.all_objects.count(),
        CareRelation.all_objects.count(),
    )
    assert counts[0] == 50 and counts[1] == 50
    with_coordinator = [r for r in generated["rows"] if r["coordinator"]]
    assert counts[2] == len(with_coordinator)
    assert set(
        Unit.all_objects.filter(municipality=generated["municipality"]).values_list(
            "name", flat=True
        )
    ) >= {r["unit"] for r in generated["rows"]}
    assert verify_chain(generated["municipality"].pk) is None


def test_bad_plan_rows_import_nothing(tmp_path, capsys):
    municipality = factories.make_municipality("9001", "Testkommune")
    factories.PersonFactory(municipality=municipality, person_ref="A1")
    text = HEADER + "\n".join(
        [
            "A1,Helsestasjon,,2020-01-01,2020-02-01,",
            "A1,Helsestasjon,,2020-01-01,2021-02-01,",  # overlaps the open plan above
            "NOPE,Helsestasjon,,2020-01-01,2020-02-01,",
            "A1,Helsestasjon,ukjent,2020-03-01,2020-02-01,2019-01-01",
        ]
    )
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match="Ingenting er importert"):
        call_command("import", "plans", str(path), municipality="9001")
    err = capsys.readouterr().err
    assert "rad 4, kolonne «person_ref»: Fant ingen person" in err
    assert "rad 5, kolonne «coordinator_ref»" in err
    assert "rad 5, kolonne «end_date»: Sluttdatoen er før startdatoen." in err
    assert "rad 5, kolonne «consent_date»" in err
    assert IndividualPlan.all_objects.count() == 0


def test_overlap_inside_the_file_is_refused(tmp_path, capsys):
    municipality = factories.make_municipality("9001", "Testkommune")
    factories.PersonFactory(municipality=municipality, person_ref="A1")
    text = HEADER + "A1,H,,2020-01-01,2020-02-01,\nA1,H,,2020-01-01,2021-02-01,\n"
    path = tmp_path / "overlap.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import", "plans", str(path), municipality="9001")
    assert (
        "rad 3, kolonne «start_date»: Overlapper med en annen plan i filen."
        in capsys.readouterr().err
    )


def test_age_boundary_on_the_eighteenth_birthday(tmp_path):
    municipality = factories.make_municipality("9001", "Testkommune")
    factories.PersonFactory(
        municipality=municipality, person_ref="B1", birth_date=datetime.date(2006, 3, 10)
    )
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "B1,Helsestasjon,,2020-01-01,2020-01-01,\n", encoding="utf-8")
    call_command("import", "plans", str(path), municipality="9001")
    before = json.loads(run_report("9001", "2024-03-09"))["total"]
    on_day = json.loads(run_report("9001", "2024-03-10"))["total"]
    assert (before["under_18"], before["adult"]) == (1, 0)
    assert (on_day["under_18"], on_day["adult"]) == (0, 1)


def test_report_needs_a_valid_date():
    factories.make_municipality("9001", "Testkommune")
    with pytest.raises(CommandError, match="ÅÅÅÅ-MM-DD"):
        run_report("9001", "31.12.2024")


def test_report_counts_only_its_municipality(generated):
    call_command("import", "plans", str(generated["path"]), municipality="9001")
    other = factories.make_municipality("9002", "Annen")
    result = json.loads(run_report("9002", "2022-01-01"))
    assert result["total"] == {"under_18": 0, "adult": 0, "total": 0}
    assert Person.all_objects.filter(municipality=other).count() == 0
