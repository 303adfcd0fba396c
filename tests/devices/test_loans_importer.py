"""`mestring import loans`: items and types created when new, item status follows the
last loan (with history), the same file twice changes nothing, overlapping loans of
one item and every bad cell are errors naming row and column, all or nothing."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from mestring.access.audit import verify_chain
from mestring.access.models import AuditEvent
from mestring.devices.models import DeviceType, Item, ItemStatusChange, Loan
from tests import factories
from tests.devices.loan_helpers import make_item

pytestmark = pytest.mark.django_db
HEADER = "person_ref,item_ref,device_type,value_nok,owner,delivered_date,returned_date\n"


@pytest.fixture
def persons(world):
    return [
        factories.PersonFactory(municipality=world.municipality, person_ref=ref)
        for ref in ("A1", "A2", "A3")
    ]


def _file(tmp_path, text: str, name: str = "utlan.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_creates_items_loans_and_is_idempotent(world, persons, tmp_path, capsys):
    text = HEADER + (
        "A1,HM-1,Rullator,2500,kommune,2024-01-10,2024-06-01\n"
        "A2,HM-1,Rullator,2500,kommune,2024-06-01,\n"
        "A3,HM-2,Dusjstol,1200.50,kommune,2023-03-01,2023-09-01\n"
        "A3,NAV-9,Elektrisk rullestol,45000,nav,2025-02-01,\n"
    )
    path = _file(tmp_path, text)
    call_command("import", "loans", path, municipality="9001")
    assert "4 nye, 0 endret, 0 uendret" in capsys.readouterr().out
    items = {i.label: i for i in Item.all_objects.select_related("device_type")}
    assert {label: i.status for label, i in items.items()} == {
        "HM-1": "utlant",
        "HM-2": "ledig",
        "NAV-9": "utlant",
    }
    assert items["NAV-9"].owner == "nav" and items["HM-2"].value_nok == Decimal("1200.50")
    assert DeviceType.all_objects.get(name="Dusjstol").category == "Importert"
    loans = Loan.all_objects.filter(item__label="HM-1").order_by("delivered_on")
    assert [(loan.person.person_ref, loan.returned_on) for loan in loans] == [
        ("A1", datetime.date(2024, 6, 1)),
        ("A2", None),
    ]
    assert all(loan.ordered_on == loan.delivered_on for loan in Loan.all_objects.all())
    changes = ItemStatusChange.all_objects.filter(item=items["HM-1"])
    assert [(c.from_status, c.to_status) for c in changes] == [("ledig", "utlant")]
    assert (
        AuditEvent.all_objects.filter(action="import_create", object_type="devices.Loan").count()
        == 4
    )
    events = AuditEvent.all_objects.count()

    call_command("import", "loans", path, municipality="9001")
    assert "0 nye, 0 endret, 4 uendret" in capsys.readouterr().out
    assert Loan.all_objects.count() == 4 and AuditEvent.all_objects.count() == events

    # A return date for the open loan ends it; the item is available again.
    later = HEADER + "A2,HM-1,Rullator,2500,kommune,2024-06-01,2025-01-15\n"
    call_command("import", "loans", _file(tmp_path, later, "b.csv"), municipality="9001")
    assert "0 nye, 1 endret, 0 uendret" in capsys.readouterr().out
    assert Item.all_objects.get(label="HM-1").status == "ledig"
    assert ItemStatusChange.all_objects.filter(item=items["HM-1"]).count() == 2
    assert verify_chain(world.municipality.pk) is None
    out = json.loads(_report(2024))
    assert out["delivered"] == 2 and out["returned"] == 1 and out["active_users"] == 1


def _report(year: int) -> str:
    import io

    buffer = io.StringIO()
    call_command(
        "report", "assistive-devices", municipality="9001", year=year, format="json", stdout=buffer
    )
    return buffer.getvalue()


def test_bad_rows_import_nothing_and_name_row_and_column(world, persons, tmp_path, capsys):
    text = HEADER + (
        "A1,HM-1,Rullator,2500,kommune,2024-01-10,\n"
        "UKJENT,HM-2,Rullator,2500,kommune,2024-01-10,\n"
        "A2,HM-3,Rullator,mange,privat,10.01.2024,\n"
        "A2,HM-4,Rullator,100,kommune,2024-05-01,2024-04-01\n"
        "A3,,Rullator,100,kommune,2099-01-01,\n"
    )
    with pytest.raises(CommandError, match="Ingenting er importert"):
        call_command("import", "loans", _file(tmp_path, text), municipality="9001")
    errors = capsys.readouterr().err
    assert "rad 3, kolonne «person_ref»: Fant ingen person" in errors
    assert "rad 4, kolonne «value_nok»: «mange» er ikke et gyldig beløp." in errors
    assert "rad 4, kolonne «owner»: «privat» er ikke gyldig" in errors
    assert "rad 4, kolonne «delivered_date»: «10.01.2024» er ikke en dato" in errors
    assert "rad 5, kolonne «returned_date»: Returdatoen kan ikke være før" in errors
    assert "rad 6, kolonne «item_ref»: Feltet må fylles ut." in errors
    assert "rad 6, kolonne «delivered_date»: Datoen er fram i tid." in errors
    assert not Loan.all_objects.exists() and not Item.all_objects.exists()


def test_overlapping_loans_of_one_item_are_an_error(world, persons, tmp_path, capsys):
    text = HEADER + (
        "A1,HM-1,Rullator,2500,kommune,2024-01-10,2024-06-01\n"
        "A2,HM-1,Rullator,2500,kommune,2024-05-01,\n"
    )
    with pytest.raises(CommandError):
        call_command("import", "loans", _file(tmp_path, text), municipality="9001")
    assert "rad 3, kolonne «delivered_date»: Hjelpemiddelet er utlånt til noen andre" in (
        capsys.readouterr().err
    )
    two_open = HEADER + (
        "A1,HM-1,Rullator,2500,kommune,2024-01-10,\nA2,HM-1,Rullator,2500,kommune,2024-05-01,\n"
    )
    with pytest.raises(CommandError):
        call_command("import", "loans", _file(tmp_path, two_open, "b.csv"), municipality="9001")
    assert "Hjelpemiddelet er utlånt til noen andre" in capsys.readouterr().err
    assert not Loan.all_objects.exists()


def test_overlap_with_a_loan_in_the_database(world, persons, tmp_path, capsys):
    make_item(world.municipality, "HM-7")
    first = HEADER + "A1,HM-7,Rullator,2500,kommune,2024-01-10,\n"
    call_command("import", "loans", _file(tmp_path, first), municipality="9001")
    capsys.readouterr()
    second = HEADER + "A2,HM-7,Rullator,2500,kommune,2024-03-01,\n"
    with pytest.raises(CommandError):
        call_command("import", "loans", _file(tmp_path, second, "b.csv"), municipality="9001")
    assert "utlånt til noen andre" in capsys.readouterr().err
    assert Loan.all_objects.count() == 1


def test_loans_in_the_database_that_overlap_each_other_do_not_stop_the_file(
    world, persons, tmp_path, capsys
):
    # An order may be dated back before the item's last return: the two stored loans
    # overlap. That is no clash of the file's, whose own loan of the item is earlier.
    item = make_item(world.municipality, "HM-8", status="utlant")
    stored = {"municipality": world.municipality, "item": item}
    Loan.all_objects.create(
        **stored,
        person=persons[0],
        ordered_on=datetime.date(2024, 1, 1),
        delivered_on=datetime.date(2024, 1, 1),
        returned_on=datetime.date(2024, 6, 1),
    )
    Loan.all_objects.create(
        **stored,
        person=persons[1],
        ordered_on=datetime.date(2024, 3, 1),
        delivered_on=datetime.date(2024, 3, 5),
    )
    text = HEADER + "A3,HM-8,Rullator,2500,kommune,2022-01-10,2022-02-01\n"
    call_command("import", "loans", _file(tmp_path, text), municipality="9001")
    assert "1 nye, 0 endret, 0 uendret" in capsys.readouterr().out
    assert Loan.all_objects.filter(item=item).count() == 3
