"""`mestring import prescriptions`: all or nothing, errors name row and column, the
same file twice changes nothing, and the table of `seed_001` reproduces."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from mestring.access.audit import verify_chain
from mestring.access.models import AuditEvent
from mestring.friskliv.models import Prescription
from tests import factories
from tests.friskliv.seed_001 import EXPECTED, seed_csvs, write

pytestmark = pytest.mark.django_db
HEADER = "person_ref,referral_date,reason,completed\n"


@pytest.fixture
def persons(world):
    return [
        factories.PersonFactory(municipality=world.municipality, person_ref=ref)
        for ref in ("A1", "A2")
    ]


def _file(tmp_path, text: str, name: str = "resepter.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_creates_and_is_idempotent(world, persons, tmp_path, capsys):
    text = HEADER + "A1,2025-03-01,overvekt,ja\nA1,2025-03-01,kosthold,\nA2,2025-05-02,sovn,nei\n"
    path = _file(tmp_path, text)
    call_command("import", "prescriptions", path, municipality="9001")
    assert "3 nye, 0 endret, 0 uendret" in capsys.readouterr().out
    rows = {
        (p.person.person_ref, p.reason): (p.status, p.completed)
        for p in Prescription.all_objects.select_related("person")
    }
    assert rows == {
        ("A1", "overvekt"): ("avsluttet", True),
        ("A1", "kosthold"): ("henvist", None),
        ("A2", "sovn"): ("avsluttet", False),
    }
    assert AuditEvent.all_objects.filter(action="import_create").count() == 3
    events = AuditEvent.all_objects.count()

    call_command("import", "prescriptions", path, municipality="9001")
    assert "0 nye, 0 endret, 3 uendret" in capsys.readouterr().out
    assert Prescription.all_objects.count() == 3
    assert AuditEvent.all_objects.count() == events

    # An answer where there was none updates; an empty cell never erases an answer.
    later = HEADER + "A1,2025-03-01,overvekt,\nA1,2025-03-01,kosthold,ja\n"
    call_command("import", "prescriptions", _file(tmp_path, later, "b.csv"), municipality="9001")
    assert "0 nye, 1 endret, 1 uendret" in capsys.readouterr().out
    kosthold = Prescription.all_objects.get(reason="kosthold")
    assert (kosthold.status, kosthold.completed) == ("avsluttet", True)
    assert Prescription.all_objects.get(reason="overvekt").completed is True
    assert verify_chain(world.municipality.pk) is None


def test_any_bad_row_imports_nothing_and_errors_name_row_and_column(
    world, persons, tmp_path, capsys
):
    text = HEADER + (
        "A1,2025-03-01,overvekt,ja\n"
        "UKJENT,2025-03-01,overvekt,ja\n"
        "A2,01.03.2025,overvekt,ja\n"
        "A2,2025-03-01,slanking,kanskje\n"
        "A1,2025-03-01,overvekt,nei\n"
        ",2025-03-01,,\n"
        "A2,2099-01-01,sovn,\n"
    )
    with pytest.raises(CommandError, match="Ingenting er importert"):
        call_command("import", "prescriptions", _file(tmp_path, text), municipality="9001")
    errors = capsys.readouterr().err
    assert "rad 3, kolonne «person_ref»: Fant ingen person" in errors
    assert "rad 4, kolonne «referral_date»: «01.03.2025» er ikke en dato" in errors
    assert "rad 5, kolonne «reason»: «slanking» er ikke gyldig" in errors
    assert "rad 5, kolonne «completed»: «kanskje» er ikke gyldig" in errors
    assert "rad 7, kolonne «person_ref»: Feltet må fylles ut." in errors
    assert "rad 7, kolonne «reason»: Feltet må fylles ut." in errors
    assert "rad 8, kolonne «referral_date»: Datoen er fram i tid." in errors
    assert not Prescription.all_objects.exists()


def test_same_row_twice_in_a_file_is_an_error(world, persons, tmp_path, capsys):
    text = HEADER + "A1,2025-03-01,overvekt,ja\nA1,2025-03-01,overvekt,nei\n"
    with pytest.raises(CommandError):
        call_command("import", "prescriptions", _file(tmp_path, text), municipality="9001")
    assert "rad 3, kolonne «referral_date»: Samme person, dato og årsak står også på rad 2" in (
        capsys.readouterr().err
    )


def test_missing_column_is_named(world, tmp_path, capsys):
    text = "person_ref,referral_date,reason\nA1,2025-03-01,overvekt\n"
    with pytest.raises(CommandError):
        call_command("import", "prescriptions", _file(tmp_path, text), municipality="9001")
    assert "rad 1, kolonne «completed»: Kolonnen mangler" in capsys.readouterr().err


def test_person_of_another_municipality_is_not_found(world, tmp_path, capsys):
    other = factories.make_municipality("9002", "Nabokommune")
    factories.PersonFactory(municipality=other, person_ref="B1")
    text = HEADER + "B1,2025-03-01,overvekt,ja\n"
    with pytest.raises(CommandError):
        call_command("import", "prescriptions", _file(tmp_path, text), municipality="9001")
    assert "Fant ingen person" in capsys.readouterr().err


def test_seed_001_table_is_reproduced(world, tmp_path, capsys):
    persons_path, prescriptions_path = write(tmp_path)
    call_command("import", "persons", str(persons_path), municipality="9001")
    call_command("import", "prescriptions", str(prescriptions_path), municipality="9001")
    assert "226 nye" in capsys.readouterr().out
    out = io.StringIO()
    call_command(
        "report", "frisklivsresept", municipality="9001", year=2017, format="json", stdout=out
    )
    result = json.loads(out.getvalue())
    assert result == EXPECTED
    assert round(100 * result["by_age_band"]["40-59"] / result["referred"]) == 40
    # The files are text the lead can write anywhere; the same text every time.
    assert seed_csvs() == (persons_path.read_text(), prescriptions_path.read_text())
