"""The plan's statistics chapter: each section equals its own report's result, and the
PDF, XLSX, CSV, command and page carry every section with its definition."""

from __future__ import annotations

import datetime
import io
import json
import random

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from mestring.access.actor import system_actor
from mestring.actionplan.chapter import PlanChapterReport
from mestring.core import reporting as base
from mestring.core.importing import importer_class, run_import
from mestring.core.reporting import report_class
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = 2025


def load(municipality, kind: str, text: str) -> None:
    with activate(municipality):
        importer = importer_class(kind)(system_actor(municipality))
        result = run_import(importer, text)
    assert result.ok, result.errors


def seed(municipality, rng: random.Random, prefix: str) -> None:
    """Persons, individual plans, bed units with stays and frisklivsresepter."""
    persons = ["person_ref,national_id,given_name,family_name,birth_date"]
    for n in range(30):
        born = datetime.date(rng.randint(1930, 2015), rng.randint(1, 12), rng.randint(1, 28))
        persons.append(f"{prefix}{n},,Test{n},Person,{born.isoformat()}")
    load(municipality, "persons", "\n".join(persons) + "\n")
    plans = ["person_ref,responsible_unit,coordinator_ref,consent_date,start_date,end_date"]
    for n in range(0, 30, 2):
        start = datetime.date(rng.randint(2022, 2025), rng.randint(1, 12), 1)
        end = start + datetime.timedelta(days=rng.randint(100, 900)) if n % 3 else None
        unit = rng.choice(["Hjemmetjenesten", "Barn og familie"])
        plans.append(
            f"{prefix}{n},{unit},,{start.isoformat()},{start.isoformat()},"
            f"{end.isoformat() if end else ''}"
        )
    load(municipality, "plans", "\n".join(plans) + "\n")
    load(
        municipality,
        "units",
        "unit,beds,valid_from\nKorttidsavdelingen,12,2020-01-01\nRehabenheten,8,2024-06-01\n",
    )
    stays = ["person_ref,unit,stay_type,admitted,discharged"]
    for n in range(1, 30, 2):
        admitted = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randint(-60, 340))
        discharged = admitted + datetime.timedelta(days=rng.randint(3, 60))
        unit = rng.choice(["Korttidsavdelingen", "Rehabenheten"])
        kind = rng.choice(["korttid", "rehabilitering", "avlastning"])
        stays.append(f"{prefix}{n},{unit},{kind},{admitted.isoformat()},{discharged.isoformat()}")
    load(municipality, "stays", "\n".join(stays) + "\n")
    prescriptions = ["person_ref,referral_date,reason,completed"]
    for n in range(0, 30, 3):
        day = datetime.date(rng.choice([YEAR - 1, YEAR, YEAR + 1]), rng.randint(1, 12), 5)
        reason = rng.choice(["overvekt", "psykisk", "annet"])
        prescriptions.append(
            f"{prefix}{n},{day.isoformat()},{reason},{rng.choice(['ja', 'nei', ''])}"
        )
    load(municipality, "prescriptions", "\n".join(prescriptions) + "\n")


@pytest.fixture
def seeded(world):
    seed(world.municipality, random.Random(8), "a")
    other = factories.make_municipality("9002", "Annenkommune")
    seed(other, random.Random(9), "b")
    return world


def test_each_section_equals_its_report(seeded):
    with activate(seeded.municipality):
        result = PlanChapterReport(year=YEAR).compute()
        sections = {section["key"]: section for section in result["sections"]}
        expected = {
            "individual-plans": report_class("individual-plans")(date=datetime.date(YEAR, 12, 31)),
            "everyday-rehab": report_class("everyday-rehab")(year=YEAR),
            "frisklivsresept": report_class("frisklivsresept")(year=YEAR),
            "decisions": report_class("decisions")(year=YEAR),
            "bed-occupancy:Korttidsavdelingen": report_class("bed-occupancy")(
                year=YEAR, unit="Korttidsavdelingen"
            ),
            "bed-occupancy:Rehabenheten": report_class("bed-occupancy")(
                year=YEAR, unit="Rehabenheten"
            ),
        }
        for key, report in expected.items():
            assert key in sections, key
            assert sections[key]["result"] == json.loads(json.dumps(report.compute())), key
            assert sections[key]["definition"] == str(report.definition)
            assert sections[key]["title"].startswith(str(report.title))
    assert result["year"] == YEAR
    # another municipality's bed units are not in the chapter
    assert not any("Annen" in key for key in sections)
    assert sections["individual-plans"]["result"]["total"]["total"] > 0
    assert sections["bed-occupancy:Rehabenheten"]["result"]["total"]["bed_days"] > 0
    json.dumps(result)  # the command prints it as JSON


def test_a_missing_part_is_left_out_with_a_note(seeded, monkeypatch):
    monkeypatch.setitem(base.REPORTS, "assistive-devices", "mestring.nowhere.reports.Missing")
    with activate(seeded.municipality):
        result = PlanChapterReport(year=YEAR).compute()
    keys = [section["key"] for section in result["sections"]]
    assert "assistive-devices" not in keys
    assert "decisions" in keys
    assert any("assistive-devices" in note for note in result["notes"])


def test_pdf_and_xlsx_have_every_section(seeded):
    with activate(seeded.municipality):
        report = PlanChapterReport(year=YEAR)
        result = report.compute()
        pdf = report.as_pdf(result)
        xlsx = report.as_xlsx(result)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    for section in result["sections"]:
        assert " ".join(section["title"].split()) in flat, section["title"]
    assert "Liggedøgn" in flat  # a definition
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert len(workbook.sheetnames) == len(result["sections"])
    for name, section in zip(workbook.sheetnames, result["sections"], strict=True):
        sheet = workbook[name]
        assert sheet["A1"].value == section["title"]
        assert sheet["A2"].value == section["definition"]


def test_command_writes_pdf_xlsx_and_csv(seeded, tmp_path, capsys):
    out = tmp_path / "kapittel.pdf"
    call_command(
        "report",
        "plan-chapter",
        "--municipality",
        "9001",
        "--year",
        str(YEAR),
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF")
    out = tmp_path / "kapittel.xlsx"
    call_command(
        "report",
        "plan-chapter",
        "--municipality",
        "9001",
        "--year",
        str(YEAR),
        "--format",
        "xlsx",
        "--output",
        str(out),
    )
    assert openpyxl.load_workbook(out).sheetnames
    buffer = io.StringIO()
    call_command(
        "report",
        "plan-chapter",
        "--municipality",
        "9001",
        "--year",
        str(YEAR),
        "--format",
        "csv",
        stdout=buffer,
    )
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "section,figure,value"
    assert any(line.startswith("individual-plans,total.total,") for line in lines)


def test_chapter_page(seeded, client_for):
    client = client_for(seeded.read_only)
    url = reverse("actionplan:chapter")
    page = client.get(url, {"ar": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Beleggsprosent – Rehabenheten" in html
    assert "Slik telles tallene" in html
    assert f"?ar={YEAR}&amp;format=pdf" in html and f"?ar={YEAR}&amp;format=xlsx" in html
    assert "Bortenfor" not in html
    pdf = client.get(url, {"ar": YEAR, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    xlsx = client.get(url, {"ar": YEAR, "format": "xlsx"})
    assert openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert client_for(seeded.outsider).get(url).status_code == 403
    assert client.get(url, {"ar": "x", "format": "pdf"})["Content-Type"].startswith("text/html")


def test_population_and_projected_need_sections_follow_the_planning_figures(world):
    from mestring.planning import selectors as planning

    rows = ["region,age_group,year,count"]
    rng = random.Random(3)
    for year in range(YEAR - 1, YEAR + 4):
        for group in ("0-19", "20-66", "67-79", "80+"):
            rows.append(f"9001,{group},{year},{rng.randint(100, 2000)}")
    load(world.municipality, "population", "\n".join(rows) + "\n")
    with activate(world.municipality):
        report = PlanChapterReport(year=YEAR)
        result = report.compute()
        table = planning.population_table()
        need = planning.projected_need(base_year=YEAR)
    sections = {section["key"]: section for section in result["sections"]}
    population = sections["population"]["result"]
    assert population["groups"] == table["groups"]
    assert population["counts"] == json.loads(json.dumps(table["counts"]))
    assert population["ratio_working_to_67plus"] == json.loads(
        json.dumps(table["ratio_working_to_67plus"])
    )
    assert sections["projected-need"]["result"]["services"] == json.loads(
        json.dumps(need["services"])
    )
    header, body = report.section_table(sections["population"])
    assert header[0] == "Aldersgruppe" and header[1:] == [str(y) for y in table["years"]]
    assert [row[0] for row in body[:4]] == table["groups"]
    assert body[-1][0] == "20–66 år per person 67+"
    assert "Basisår: 2025." in sections["projected-need"]["definition"]
