"""`mestring import units` and `mestring import stays`: all or nothing, errors naming
row and column, the same file twice changes nothing, audited in bulk."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.actor import system_actor
from mestring.access.models import AuditEvent, CareRelation
from mestring.core.importing import run_import
from mestring.institutions.importers import BedUnitImporter, StayImporter
from mestring.institutions.models import BedCapacity, Stay
from mestring.people.models import Unit
from mestring.tenancy.context import activate
from tests import factories
from tests.institutions.helpers import make_unit

pytestmark = pytest.mark.django_db


def run(importer_class, municipality, text):
    with activate(municipality):
        return run_import(importer_class(system_actor(municipality, label="import")), text)


UNITS = "unit,beds,valid_from\nSolina,7,2017-01-01\nSolina,9,2017-07-01\nMiljøtunet,2,2017-01-01\n"


def test_units_import_creates_units_and_capacity_once(world):
    result = run(BedUnitImporter, world.municipality, UNITS)
    assert (result.ok, result.created, result.updated, result.unchanged) == (True, 3, 0, 0)
    solina = Unit.all_objects.get(municipality=world.municipality, name="Solina")
    assert solina.kind == "intern"
    assert list(BedCapacity.all_objects.filter(unit=solina).values_list("beds", flat=True)) == [
        7,
        9,
    ]
    events = AuditEvent.all_objects.count()
    again = run(BedUnitImporter, world.municipality, UNITS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEvent.all_objects.count() == events
    changed = run(BedUnitImporter, world.municipality, UNITS.replace("Solina,9", "Solina,10"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)


def test_units_import_errors_name_row_and_column(world):
    text = "unit,beds,valid_from\nSolina,sju,2017-01-01\nSolina,7,01.01.2017\n,3,2017-01-01\n"
    result = run(BedUnitImporter, world.municipality, text)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "beds"),
        (3, "valid_from"),
        (4, "unit"),
    ]
    assert not Unit.all_objects.filter(name="Solina").exists()


def stays_text(*rows: str) -> str:
    return "person_ref,unit,stay_type,admitted,discharged\n" + "\n".join(rows) + "\n"


@pytest.fixture
def refs(world):
    make_unit(world.municipality, name="Solina", beds=7, valid_from=datetime.date(2016, 1, 1))
    factories.UnitFactory(municipality=world.municipality, name="Uten senger")
    a = factories.PersonFactory(municipality=world.municipality, person_ref="P1")
    b = factories.PersonFactory(municipality=world.municipality, person_ref="P2")
    return a, b


def test_stays_import_is_idempotent_and_grants_open_stays(world, refs):
    a, _b = refs
    text = stays_text(
        "P1,Solina,korttid,2017-01-01,2017-01-10",
        "P1,solina,rehabilitering,2017-01-10,",
        "P2,Solina,langtid,2017-03-01,2017-09-01",
    )
    result = run(StayImporter, world.municipality, text)
    assert (result.ok, result.created) == (True, 3), result.errors
    open_stay = Stay.all_objects.get(person=a, discharged_on__isnull=True)
    relation = CareRelation.all_objects.get(pk=open_stay.care_relation_id)
    assert relation.unit.name == "Solina" and relation.valid_to is None
    assert AuditEvent.all_objects.filter(action="import_create", object_type="stay").count() == 3
    again = run(StayImporter, world.municipality, text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    closed = run(
        StayImporter,
        world.municipality,
        text.replace(
            "P1,solina,rehabilitering,2017-01-10,", "P1,solina,rehabilitering,2017-01-10,2017-02-01"
        ),
    )
    assert (closed.created, closed.updated, closed.unchanged) == (0, 1, 2)
    relation.refresh_from_db()
    assert relation.valid_to is not None


def test_stays_import_errors(world, refs):
    text = stays_text(
        "P9,Solina,korttid,2017-01-01,2017-01-10",
        "P1,Uten senger,korttid,2017-01-01,2017-01-10",
        "P1,Solina,ferie,2017-01-01,2017-01-10",
        "P1,Solina,korttid,2017-02-10,2017-02-01",
    )
    result = run(StayImporter, world.municipality, text)
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "person_ref"),
        (3, "unit"),
        (4, "stay_type"),
        (5, "discharged"),
    ]
    assert Stay.all_objects.count() == 0


def test_stays_import_refuses_overlap_in_the_file(world, refs):
    text = stays_text(
        "P2,Solina,korttid,2017-01-01,2017-01-10",
        "P2,Solina,korttid,2017-01-05,2017-01-20",
        "P1,Solina,korttid,2017-01-05,2017-01-20",
    )
    result = run(StayImporter, world.municipality, text)
    assert [(e.row, e.column) for e in result.errors] == [(3, "admitted")]
    assert "Overlapper med et annet opphold" in result.errors[0].message
    assert Stay.all_objects.count() == 0


def test_stays_import_refuses_overlap_with_registered_stay(world, refs):
    run(StayImporter, world.municipality, stays_text("P1,Solina,korttid,2017-01-01,"))
    result = run(
        StayImporter, world.municipality, stays_text("P1,Solina,korttid,2017-05-01,2017-05-10")
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "admitted")]
