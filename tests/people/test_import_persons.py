from __future__ import annotations

import datetime
import random

import pytest
from django.core.management import CommandError, call_command

from mestring.access.audit import verify_chain
from mestring.access.models import AuditEvent
from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = "person_ref,national_id,given_name,family_name,birth_date\n"


def synthetic(seed: int, day: datetime.date) -> str:
    return random_synthetic_national_id(random.Random(seed), day)


@pytest.fixture
def municipality():
    return factories.make_municipality("9001", "Testkommune")


def write(tmp_path, text: str):
    path = tmp_path / "persons.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_persons_and_is_idempotent(tmp_path, municipality, capsys):
    rows = [
        f"R1,{synthetic(1, datetime.date(1950, 3, 4))},Åse,Ødegård,1950-03-04",
        "R2,,Per,Pettersen,2015-12-31",
    ]
    path = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    call_command("import", "persons", str(path), municipality="9001")
    assert "2 nye, 0 endret, 0 uendret" in capsys.readouterr().out
    first = {p.person_ref: p for p in Person.all_objects.filter(municipality=municipality)}
    assert first["R1"].family_name == "Ødegård" and first["R1"].national_id_kind == "fnr"
    assert first["R2"].national_id == "" and first["R2"].birth_date == datetime.date(2015, 12, 31)
    events = AuditEvent.all_objects.count()

    call_command("import", "persons", str(path), municipality="9001")
    assert "0 nye, 0 endret, 2 uendret" in capsys.readouterr().out
    assert Person.all_objects.filter(municipality=municipality).count() == 2
    assert AuditEvent.all_objects.count() == events
    assert verify_chain(municipality.pk) is None


def test_changed_row_updates_the_person(tmp_path, municipality, capsys):
    call_command(
        "import",
        "persons",
        str(write(tmp_path, HEADER + "R1,,Kari,Hansen,1960-01-01\n")),
        municipality="9001",
    )
    call_command(
        "import",
        "persons",
        str(write(tmp_path, HEADER + "R1,,Kari,Berg,1960-01-01\n")),
        municipality="9001",
    )
    assert "0 nye, 1 endret" in capsys.readouterr().out.splitlines()[-1]
    assert Person.all_objects.get(person_ref="R1").family_name == "Berg"


def test_one_bad_row_imports_nothing_and_names_row_and_column(tmp_path, municipality):
    good = synthetic(2, datetime.date(1970, 5, 6))
    bad_control = good[:-1] + str((int(good[-1]) + 1) % 10)
    text = HEADER + "\n".join(
        [
            f"R1,{good},Ola,Nordmann,1970-05-06",
            f"R2,{bad_control},Kari,Nordmann,1971-01-01",
            "R3,,Per,,1999-02-30",
            "R1,,Dobbel,Rad,1980-01-01",
        ]
    )
    path = write(tmp_path, text)
    with pytest.raises(CommandError, match="Ingenting er importert"):
        call_command("import", "persons", str(path), municipality="9001")
    assert Person.all_objects.count() == 0


def test_error_messages(tmp_path, municipality, capsys):
    good = synthetic(2, datetime.date(1970, 5, 6))
    bad_control = good[:-1] + str((int(good[-1]) + 1) % 10)
    text = HEADER + f"R1,{bad_control},Kari,Nordmann,1971-01-01\nR2,,Per,,1999-02-30\n"
    with pytest.raises(CommandError):
        call_command("import", "persons", str(write(tmp_path, text)), municipality="9001")
    errors = capsys.readouterr().err
    assert "rad 2, kolonne «national_id»: Kontrollsifrene stemmer ikke" in errors
    assert "rad 3, kolonne «family_name»: Feltet må fylles ut." in errors
    assert "rad 3, kolonne «birth_date»: «1999-02-30» er ikke en dato" in errors


def test_missing_column_and_duplicates_are_reported(tmp_path, municipality, capsys):
    with pytest.raises(CommandError):
        call_command(
            "import",
            "persons",
            str(write(tmp_path, "person_ref,given_name\nR1,Ola\n")),
            municipality="9001",
        )
    assert "rad 1, kolonne «birth_date»: Kolonnen mangler" in capsys.readouterr().err
    text = HEADER + "R1,,Ola,A,1970-01-01\nR1,,Kari,B,1970-01-01\n"
    with pytest.raises(CommandError):
        call_command("import", "persons", str(write(tmp_path, text)), municipality="9001")
    err = capsys.readouterr().err
    assert "rad 2, kolonne «person_ref»: Verdien står på flere rader" in err
    assert "rad 3, kolonne «person_ref»" in err


def test_number_belonging_to_another_person_is_refused(tmp_path, municipality, capsys):
    existing = factories.PersonFactory(municipality=municipality, person_ref="X1")
    text = HEADER + f"R9,{existing.national_id},Ola,Nordmann,1970-01-01\n"
    with pytest.raises(CommandError):
        call_command("import", "persons", str(write(tmp_path, text)), municipality="9001")
    assert "Nummeret tilhører en annen person" in capsys.readouterr().err


def test_synthetic_numbers_refused_when_setting_is_off(tmp_path, municipality, settings, capsys):
    settings.MESTRING_SYNTHETIC_IDS = False
    text = HEADER + f"R1,{synthetic(3, datetime.date(1980, 1, 1))},Ola,Nordmann,1980-01-01\n"
    with pytest.raises(CommandError):
        call_command("import", "persons", str(write(tmp_path, text)), municipality="9001")
    assert "Syntetiske testnumre er ikke tillatt" in capsys.readouterr().err


def test_unknown_municipality_and_missing_file(tmp_path, municipality):
    with pytest.raises(CommandError, match="Fant ingen kommune med nummer 1234"):
        call_command("import", "persons", str(write(tmp_path, HEADER)), municipality="1234")
    with pytest.raises(CommandError, match="Finner ikke filen"):
        call_command("import", "persons", str(tmp_path / "nope.csv"), municipality="9001")


def test_rows_land_only_in_the_named_municipality(tmp_path, municipality):
    factories.make_municipality("9002", "Annen")
    call_command(
        "import",
        "persons",
        str(write(tmp_path, HEADER + "R1,,Ola,A,1970-01-01\n")),
        municipality="9002",
    )
    assert Person.all_objects.get(person_ref="R1").municipality.number == "9002"
    assert not Person.all_objects.filter(municipality=municipality).exists()
