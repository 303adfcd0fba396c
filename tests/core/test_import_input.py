"""(L11) Malformed CSV imports: a NUL byte, an over-long field or file, a semicolon
file. Each gives a clear Norwegian message naming the row, never a traceback, and
nothing is imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from mestring.access.actor import system_actor
from mestring.actionplan.models import Action
from mestring.core import importing
from mestring.core.importing import run_import
from mestring.people.models import Person
from mestring.register.importers import PersonImporter
from mestring.tenancy.context import activate
from tests.actionplan.helpers import planner_editor

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

HEADER = "person_ref,national_id,given_name,family_name,birth_date\n"
GOOD_ROW = "R1,,Per,Pettersen,2015-12-31\n"


def run(world, text: str) -> importing.ImportResult:
    with activate(world.municipality):
        return run_import(PersonImporter(system_actor(world.municipality)), text)


def messages(result: importing.ImportResult) -> list[str]:
    return [str(error) for error in result.errors]


def command(tmp_path, text: str) -> str:
    """Run `mestring import persons`; the error text it gives."""
    path = tmp_path / "personer.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(CommandError) as failed:
        call_command("import", "persons", str(path), municipality="9001")
    return str(failed.value)


def test_a_nul_byte_is_refused_with_its_row(world, tmp_path, capsys):
    """(L11) A NUL byte in a cell is named with its row; nothing is imported."""
    text = HEADER + GOOD_ROW + "R2,,Ku\x00rt,Nul,2015-12-31\n"
    assert messages(run(world, text)) == [
        "rad 3: Filen inneholder et NUL-tegn (tegn 0), som ikke hører hjemme i en CSV-fil. "
        "Lagre filen som CSV (UTF-8) på nytt og prøv igjen."
    ]
    assert "1 feil" in command(tmp_path, text)
    assert "NUL-tegn" in capsys.readouterr().err
    assert not Person.all_objects.filter(person_ref__in=["R1", "R2"]).exists()


def test_a_huge_field_is_refused_with_its_row(world, tmp_path, capsys):
    """(L11) A field larger than the CSV reader's limit (and one merely too long for
    any column) is named with its row, not a traceback."""
    huge = HEADER + GOOD_ROW + "R2,,Per," + "x" * 200_000 + ",2015-12-31\n"
    errors = messages(run(world, huge))
    assert errors == [
        "rad 3: Et felt er for langt (høyst 10000 tegn), eller et anførselstegn er ikke lukket."
    ]
    long = HEADER + "R2,,Per," + "x" * 10_001 + ",2015-12-31\n"
    assert messages(run(world, long)) == [
        "rad 2, kolonne «family_name»: Feltet er for langt: høyst 10000 tegn."
    ]
    assert "1 feil" in command(tmp_path, huge)
    assert "for langt" in capsys.readouterr().err
    assert not Person.all_objects.filter(person_ref="R2").exists()


def test_an_unclosed_quote_is_a_clear_error(world):
    """(L11) A quote that never closes runs to the end of the file: a clear error."""
    text = HEADER + 'R2,,"Per,Pettersen,2015-12-31\n' + "y" * 200_000 + "\n"
    errors = messages(run(world, text))
    assert len(errors) == 1 and "anførselstegn er ikke lukket" in errors[0]


def test_a_too_large_file_is_refused(world, tmp_path, monkeypatch):
    """(L11) A file above the size limit is refused before it is read."""
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 1000)
    text = HEADER + GOOD_ROW * 100
    assert messages(run(world, text)) == [
        "Filen er for stor: høyst 1 kB. Del den opp i flere filer."
    ]
    assert "Filen er for stor" in command(tmp_path, text)
    assert not Person.all_objects.filter(person_ref="R1").exists()


def test_a_semicolon_file_is_read(world):
    """(L11) Norwegian spreadsheets save CSV with semicolons: the delimiter is found
    from the header, so the file imports as the same file with commas would."""
    text = (HEADER + GOOD_ROW).replace(",", ";")
    result = run(world, text)
    assert result.ok, messages(result)
    assert result.created == 1
    assert Person.all_objects.get(person_ref="R1").family_name == "Pettersen"


def test_a_file_with_another_delimiter_says_which_are_expected(world):
    """(L11) A header that fits neither commas nor semicolons says so, instead of
    calling every column missing."""
    text = (HEADER + GOOD_ROW).replace(",", "\t")
    assert messages(run(world, text)) == [
        "rad 1: Fant ikke kolonnene i overskriftsraden. Filen skal være skilt med komma "
        "(eller semikolon), med kolonnene person_ref, national_id, given_name, "
        "family_name, birth_date."
    ]


def test_the_upload_page_refuses_nul_and_large_files(world, client_for, monkeypatch):
    """(L11) The action-plan upload gives the same clear messages as a form error."""
    editor = planner_editor(world)
    client = client_for(editor)
    url = reverse("actionplan:import")
    nul = "number,title,responsible,years,cost_nok,financing\n1,Ti\x00ltak,,2025,,\n"
    response = client.post(url, {"file": SimpleUploadedFile("t.csv", nul.encode())})
    assert response.status_code == 200
    assert "NUL-tegn" in response.content.decode()
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 10)
    response = client.post(url, {"file": SimpleUploadedFile("t.csv", nul.encode())})
    assert response.status_code == 200
    assert "Filen er for stor: høyst 1 kB." in response.content.decode()
    assert not Action.all_objects.exists()
