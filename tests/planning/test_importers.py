"""Population imports: CSV and JSON-stat 2.0, all or nothing, the same file twice
changes nothing, and every bad file is refused with a plain Norwegian message."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from mestring.access.models import AuditEvent
from mestring.planning.ages import AgeGroupError, parse_age_group
from mestring.planning.models import PopulationFigure, PopulationImport
from tests.planning.helpers import csv_text, dataset, import_csv, import_jsonstat

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    ("9001", "0-19", 2024, 500, "registrert"),
    ("9001", "20-66", 2024, 1200, "registrert"),
    ("9001", "67+", 2024, 300, "registrert"),
    ("9001", "0-19", 2030, 450, "framskrevet"),
    ("9001", "20-66", 2030, 1100, "framskrevet"),
    ("9001", "67+", 2030, 380, "framskrevet"),
]
HEADER = "region,age_group,year,count,kind"


def figures(municipality) -> dict:
    return {
        (f.region, f.age_group, f.year): (f.count, f.kind, f.age_from, f.age_to)
        for f in PopulationFigure.all_objects.filter(municipality=municipality)
    }


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("0-5", (0, 5)),
        ("67-79 år", (67, 79)),
        ("90+", (90, None)),
        ("80 år og eldre", (80, None)),
        ("105 år eller eldre", (105, None)),
        ("7", (7, 7)),
        ("0 år", (0, 0)),
        ("13 – 19", (13, 19)),
    ],
)
def test_age_groups_are_parsed(text, bounds):
    assert parse_age_group(text) == bounds


@pytest.mark.parametrize("text", ["barn", "10-5", "-5", "5-", "1.5"])
def test_bad_age_groups_are_refused(text):
    with pytest.raises(AgeGroupError):
        parse_age_group(text)


def test_csv_import_creates_figures_with_bounds_and_kinds(world):
    result = import_csv(world.admin, csv_text(GOOD_ROWS, HEADER))
    assert result.ok and (result.created, result.updated, result.unchanged) == (6, 0, 0)
    stored = figures(world.municipality)
    assert stored[("9001", "67+", 2030)] == (380, "framskrevet", 67, None)
    assert stored[("9001", "20-66", 2024)] == (1200, "registrert", 20, 66)
    record = PopulationImport.all_objects.get()
    assert (record.file_name, record.format, record.rows) == ("befolkning.csv", "csv", 6)
    assert record.imported_by == world.admin
    assert (
        AuditEvent.all_objects.filter(action="import", object_type="population_import").count() == 1
    )


def test_without_kind_years_up_to_last_year_are_registered(world):
    from django.utils import timezone

    this_year = timezone.localdate().year
    rows = [("9001", "0-19", this_year - 1, 10), ("9001", "0-19", this_year, 11)]
    assert import_csv(world.admin, csv_text(rows)).ok
    stored = figures(world.municipality)
    assert stored[("9001", "0-19", this_year - 1)][1] == "registrert"
    assert stored[("9001", "0-19", this_year)][1] == "framskrevet"


def test_the_same_csv_twice_changes_nothing_and_a_changed_count_is_updated(world):
    text = csv_text(GOOD_ROWS, HEADER)
    import_csv(world.admin, text)
    before = figures(world.municipality)
    audit_rows = AuditEvent.all_objects.count()
    again = import_csv(world.admin, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    assert figures(world.municipality) == before
    assert PopulationImport.all_objects.count() == 1
    assert AuditEvent.all_objects.count() == audit_rows

    changed = [*GOOD_ROWS[:-1], ("9001", "67+", 2030, 399, "framskrevet")]
    third = import_csv(world.admin, csv_text(changed, HEADER))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 5)
    assert figures(world.municipality)[("9001", "67+", 2030)][0] == 399


@pytest.mark.parametrize(
    ("bad_row", "column", "message"),
    [
        (("9001", "barn", 2024, 5, ""), "age_group", "er ikke en aldersgruppe"),
        (("9001", "0-19", "tjue", 5, ""), "year", "er ikke et heltall"),
        (("9001", "0-19", 1800, 5, ""), "year", "er ikke et årstall vi kan bruke"),
        (("9001", "0-19", 2031, -5, ""), "count", "kan ikke være mindre enn 0"),
        (("9001", "0-19", 2031, "mange", ""), "count", "er ikke et heltall"),
        (("9001", "0-19", 2031, "", ""), "count", "må fylles ut"),
        (("", "0-19", 2031, 5, ""), "region", "må fylles ut"),
        (("9001", "0-19", 2031, 5, "gjettet"), "kind", "er ikke gyldig"),
        (("9001", "0-19", 2024, 7, ""), "age_group", "står også i rad 2"),
        (("9001", "0-30", 2024, 7, ""), "age_group", "overlapper «0-19»"),
    ],
)
def test_a_bad_csv_row_stops_the_whole_file(world, bad_row, column, message):
    rows = [*GOOD_ROWS, bad_row]
    result = import_csv(world.admin, csv_text(rows, HEADER))
    assert not result.ok
    [error] = result.errors
    assert error.row == len(rows) + 1 and error.column == column
    assert message in str(error)
    assert not PopulationFigure.all_objects.exists()
    assert not PopulationImport.all_objects.exists()


def test_a_csv_without_a_column_is_refused(world):
    result = import_csv(world.admin, "region,age_group,count\n9001,0-19,5\n")
    assert [str(e) for e in result.errors] == [
        "rad 1, kolonne «year»: Kolonnen mangler i overskriftsraden."
    ]


# --- JSON-stat


def good_dataset() -> dict:
    # Region × Alder × ContentsCode × Tid = 2 × 3 × 1 × 2; the last dimension varies fastest.
    return dataset(
        ["9001", "9002"],
        ["0-19", "20-66", "67+"],
        [2024, 2030],
        [500, 450, 1200, 1100, 300, 380, 50, 40, 120, 110, 30, None],
    )


def test_jsonstat_import_reads_every_value_in_order_and_skips_nulls(world):
    result = import_jsonstat(world.admin, good_dataset())
    assert result.ok and result.created == 11
    stored = figures(world.municipality)
    assert stored[("9001", "0-19", 2030)][0] == 450
    assert stored[("9001", "67+", 2024)][0] == 300
    assert stored[("9002", "20-66", 2030)][0] == 110
    assert ("9002", "67+", 2030) not in stored
    assert PopulationImport.all_objects.get().format == "jsonstat"


def test_jsonstat_with_list_index_value_object_and_ssb_labels(world):
    data = dataset(
        ["9001"],
        ["000", "001", "105+"],
        [2025],
        {"0": 11, "1": 12, "2": 3},
        ages_as_list=True,
        age_labels={"000": "0 år", "001": "1 år", "105+": "105 år eller eldre"},
    )
    data["id"] = ["region", "alder", "contentscode", "tid"]
    data["dimension"] = {k.lower(): v for k, v in data["dimension"].items()}
    result = import_jsonstat(world.admin, data)
    assert result.ok, [str(e) for e in result.errors]
    stored = figures(world.municipality)
    assert stored[("9001", "0 år", 2025)][0] == 11
    assert stored[("9001", "105 år eller eldre", 2025)][2:] == (105, None)


def test_the_same_jsonstat_twice_changes_nothing(world):
    import_jsonstat(world.admin, good_dataset())
    before = figures(world.municipality)
    again = import_jsonstat(world.admin, good_dataset())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 11)
    assert figures(world.municipality) == before
    assert PopulationImport.all_objects.count() == 1


def _without(dimension: str) -> dict:
    data = good_dataset()
    position = data["id"].index(dimension)
    data["id"].pop(position)
    data["size"].pop(position)
    del data["dimension"][dimension]
    data["value"] = data["value"][: len(data["value"]) // (2 if dimension != "Alder" else 3)]
    return data


def _with(**changes) -> dict:
    data = good_dataset()
    data.update(changes)
    return data


def _extra_dimension() -> dict:
    data = good_dataset()
    data["size"][2] = 2
    data["dimension"]["ContentsCode"]["category"]["index"]["Personer2"] = 1
    data["value"] = data["value"] * 2
    return data


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{ikke json", "Filen er ikke gyldig JSON (linje 1"),
        (json.dumps([1, 2]), "Filen er ikke et JSON-stat 2.0-datasett"),
        (json.dumps(_with(version="1.0")), "Filen er ikke et JSON-stat 2.0-datasett"),
        (json.dumps(_with(**{"class": "collection"})), "ikke et JSON-stat 2.0-datasett"),
        (json.dumps(_without("Region")), "Dimensjonen «Region» mangler i filen"),
        (json.dumps(_without("Alder")), "Dimensjonen «Alder» mangler i filen"),
        (json.dumps(_without("Tid")), "Dimensjonen «Tid» mangler i filen"),
        (json.dumps(_with(value=[1, 2, 3])), "Filen har 3 verdier, men dimensjonene gir 12"),
        (json.dumps(_extra_dimension()), "Dimensjonen «ContentsCode» har 2 kategorier"),
        (json.dumps(_with(size=[2, 3, 1])), "«id» og «size» som lister like lange"),
    ],
)
def test_a_bad_jsonstat_file_is_refused_with_a_clear_message(world, text, message):
    result = import_jsonstat(world.admin, text)
    assert not result.ok
    assert message in " ".join(str(e) for e in result.errors)
    assert not PopulationFigure.all_objects.exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (12.5, "«12.5» er ikke et heltall"),
        ("12", "«12» er ikke et heltall"),
        (-1, "«-1» er negativt"),
    ],
)
def test_a_bad_value_names_its_position_and_nothing_is_imported(world, value, shown):
    data = good_dataset()
    data["value"][4] = value
    result = import_jsonstat(world.admin, data)
    assert [str(e) for e in result.errors] == [f"verdi nr. 5: {shown}."]
    assert not PopulationFigure.all_objects.exists()


def test_a_bad_age_or_year_category_is_refused(world):
    data = good_dataset()
    data["dimension"]["Alder"]["category"]["label"]["67+"] = "Eldre"
    data["dimension"]["Alder"]["category"]["index"] = {"0-19": 0, "20-66": 1, "eldre": 2}
    data["dimension"]["Alder"]["category"]["label"] = {"eldre": "Eldre"}
    data["dimension"]["Tid"]["category"]["index"] = {"2024": 0, "2030K1": 1}
    messages = " ".join(str(e) for e in import_jsonstat(world.admin, data).errors)
    assert "Alderen «Eldre» (eldre) er ikke en alder eller aldersgruppe." in messages
    assert "Tiden «2030K1» er ikke et årstall." in messages


def test_commands_import_both_formats(world, tmp_path):
    csv_file = tmp_path / "befolkning.csv"
    csv_file.write_text(csv_text(GOOD_ROWS, HEADER), encoding="utf-8")
    call_command("import", "population", str(csv_file), "--municipality", "9001")
    json_file = tmp_path / "befolkning.json"
    data = good_dataset()
    data["dimension"]["Region"]["category"]["index"] = {"9003": 0, "9002": 1}
    json_file.write_text(json.dumps(data), encoding="utf-8")
    call_command("import", "population-jsonstat", str(json_file), "--municipality", "9001")
    stored = figures(world.municipality)
    assert stored[("9001", "67+", 2030)][0] == 380
    assert stored[("9003", "0-19", 2024)][0] == 500
    json_file.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match=r"1 feil i befolkning\.json\. Ingenting er importert\."):
        call_command("import", "population-jsonstat", str(json_file), "--municipality", "9001")
