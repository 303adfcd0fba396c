"""Every CSV import costs the same number of queries for 20 rows as for 200: what a
file refers to is loaded in one query per kind and the rows are written
in bulk, both when the rows are new and when the same file comes again.

SQLite allows 999 bound parameters per statement, so Django itself splits bulk inserts
into statements of a few dozen rows. That split is the database's, not the importer's;
the tests lift it (as PostgreSQL has no such split below the importer's own batches)
so that one query per row anywhere in an importer shows up as a difference.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mestring.access.actor import system_actor
from mestring.access.audit import verify_chain
from mestring.access.models import AuditEvent, CareRelation
from mestring.core.importing import ImportResult, importer_class, run_import
from mestring.devices.models import Item, Loan
from mestring.friskliv.models import Prescription
from mestring.institutions.models import BedCapacity, Stay
from mestring.outcomes.models import Observation
from mestring.people.models import Person, Unit
from mestring.plans.models import CoordinatorAssignment, CoordinatorProfile, IndividualPlan
from mestring.rehab.models import Episode, Visit
from mestring.tenancy.context import activate
from tests import factories
from tests.institutions.helpers import make_unit

pytestmark = pytest.mark.django_db

SMALL, LARGE = 20, 200
FIRST_DAY = datetime.date(2000, 1, 1)


def day(n: int) -> str:
    return (FIRST_DAY + datetime.timedelta(days=n)).isoformat()


def ref(n: int) -> str:
    return f"Q{n:05d}"


def as_csv(header: list[str], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# Each maker gives the file for persons number start … start + count - 1.
def persons(start: int, count: int) -> str:
    return as_csv(
        ["person_ref", "national_id", "given_name", "family_name", "birth_date"],
        [
            [f"N{n:05d}", "", "Test", f"Person{n}", "1950-03-01"]
            for n in range(start, start + count)
        ],
    )


def units(start: int, count: int) -> str:
    return as_csv(
        ["unit", "beds", "valid_from"],
        [[f"Avdeling {n}", 4, "2020-01-01"] for n in range(start, start + count)],
    )


def stays(start: int, count: int) -> str:
    # Every other stay open: open ones give the unit a care relation.
    return as_csv(
        ["person_ref", "unit", "stay_type", "admitted", "discharged"],
        [
            [ref(n), "Solina", "korttid", day(n), day(n + 1) if n % 2 else ""]
            for n in range(start, start + count)
        ],
    )


def episodes(start: int, count: int, visits: int = 4) -> str:
    return as_csv(
        [
            "person_ref",
            "programme",
            "referral_date",
            "referral_source",
            "assessed_date",
            "assessment",
            "start_date",
            "end_date",
            "outcome",
            "visits",
            "sppb_start",
            "sppb_end",
            "copm_performance_start",
            "copm_performance_end",
        ],
        [
            [
                ref(n),
                "hverdagsrehabilitering",
                day(n),
                "fastlege",
                day(n + 2),
                "aktuell",
                day(n + 5),
                day(n + 40),
                "fullfort",
                visits,
                6,
                8,
                4,
                6,
            ]
            for n in range(start, start + count)
        ],
    )


def prescriptions(start: int, count: int) -> str:
    return as_csv(
        ["person_ref", "referral_date", "reason", "completed"],
        [[ref(n), day(n), "inaktivitet", "ja"] for n in range(start, start + count)],
    )


def loans(start: int, count: int) -> str:
    return as_csv(
        [
            "person_ref",
            "item_ref",
            "device_type",
            "value_nok",
            "owner",
            "delivered_date",
            "returned_date",
        ],
        [
            [ref(n), f"HM-{n:05d}", f"Type {start}-{n % 7}", 2500, "kommune", day(n), day(n + 30)]
            for n in range(start, start + count)
        ],
    )


def plans(start: int, count: int) -> str:
    # Half the plans are ended, half run with a coordinator (assignment + care relation).
    return as_csv(
        [
            "person_ref",
            "responsible_unit",
            "coordinator_ref",
            "consent_date",
            "start_date",
            "end_date",
        ],
        [
            [
                ref(n),
                f"Team {start}-{n % 3}",
                "koord",
                day(n),
                day(n),
                day(n + 100) if n % 2 else "",
            ]
            for n in range(start, start + count)
        ],
    )


MAKERS: dict[str, Callable[[int, int], str]] = {
    "persons": persons,
    "units": units,
    "stays": stays,
    "episodes": episodes,
    "prescriptions": prescriptions,
    "loans": loans,
    "plans": plans,
}


@pytest.fixture
def municipality(monkeypatch):
    municipality = factories.make_municipality("9001", "Testkommune")
    make_unit(municipality, name="Solina", beds=7, valid_from=datetime.date(1990, 1, 1))
    coordinator = factories.StaffFactory(
        municipality=municipality, user=factories.UserFactory(username="koord")
    )
    CoordinatorProfile.all_objects.create(municipality=municipality, staff=coordinator)
    Person.all_objects.bulk_create(
        Person(
            municipality=municipality,
            person_ref=ref(n),
            given_name="Test",
            family_name=f"Person{n}",
            birth_date=datetime.date(1950, 1, 1),
        )
        for n in range(SMALL + LARGE)
    )
    # Lift SQLite's own split of bulk statements (see the module's docstring).
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: len(objs))
    return municipality


def counted(municipality, name: str, text: str) -> tuple[int, ImportResult]:
    with activate(municipality), CaptureQueriesContext(connection) as queries:
        importer = importer_class(name)(system_actor(municipality, label="import"))
        result = run_import(importer, text)
    assert result.ok, result.errors
    return len(queries), result


@pytest.mark.parametrize("name", list(MAKERS))
def test_queries_do_not_grow_with_the_rows(municipality, name):
    make = MAKERS[name]
    small, first = counted(municipality, name, make(0, SMALL))
    large, second = counted(municipality, name, make(SMALL, LARGE))
    assert (first.created, second.created) == (SMALL, LARGE)
    assert large == small, f"{name}: {small} queries for {SMALL} rows, {large} for {LARGE}"

    small_again, first_again = counted(municipality, name, make(0, SMALL))
    large_again, second_again = counted(municipality, name, make(SMALL, LARGE))
    assert (first_again.unchanged, second_again.unchanged) == (SMALL, LARGE)
    assert (first_again.created, first_again.updated) == (0, 0)
    assert large_again == small_again
    assert verify_chain(municipality.pk) is None


def test_changed_episodes_cost_the_same_for_few_and_many(municipality):
    counted(municipality, "episodes", episodes(0, SMALL + LARGE))
    small, first = counted(municipality, "episodes", episodes(0, SMALL, visits=3))
    large, second = counted(municipality, "episodes", episodes(SMALL, LARGE, visits=3))
    assert (first.updated, second.updated) == (SMALL, LARGE)
    assert large == small
    assert Visit.all_objects.count() == 3 * (SMALL + LARGE)


def test_bulk_import_writes_what_the_rows_say(municipality):
    """The records and audit events behind the counts, for the imports with most parts."""
    for name in ("stays", "episodes", "prescriptions", "loans", "plans"):
        counted(municipality, name, MAKERS[name](0, 10))
    assert Stay.all_objects.count() == 10
    open_stays = Stay.all_objects.filter(discharged_on__isnull=True)
    assert open_stays.count() == 5
    assert all(stay.care_relation.unit.name == "Solina" for stay in open_stays)
    assert Episode.all_objects.filter(status="fullfort").count() == 10
    assert Visit.all_objects.count() == 40 and Observation.all_objects.count() == 40
    assert Prescription.all_objects.filter(status="avsluttet", completed=True).count() == 10
    assert Loan.all_objects.filter(returned_on__isnull=False).count() == 10
    assert set(Item.all_objects.values_list("status", flat=True)) == {"ledig"}
    assert IndividualPlan.all_objects.count() == 10
    assert CoordinatorAssignment.all_objects.filter(ended_on__isnull=True).count() == 5
    assert CareRelation.all_objects.filter(kind="koordinator").count() == 5
    assert BedCapacity.all_objects.count() == 1
    created = AuditEvent.all_objects.filter(action="import_create")
    assert created.filter(object_type="stay").count() == 10
    assert created.filter(object_type="episode").count() == 10
    assert created.filter(object_type="devices.Loan").count() == 10
    assert created.filter(object_type="coordinator_assignment").count() == 10
    assert verify_chain(municipality.pk) is None


def test_prescription_import_ends_the_care_relation_in_bulk(municipality):
    counted(
        municipality,
        "prescriptions",
        as_csv(
            ["person_ref", "referral_date", "reason", "completed"],
            [[ref(0), day(0), "inaktivitet", ""]],
        ),
    )
    prescription = Prescription.all_objects.get()
    relation = CareRelation.all_objects.create(
        municipality=municipality,
        person=prescription.person,
        unit=Unit.all_objects.get(name="Solina"),
        kind="tjenesteyter",
        reason="Frisklivsresept",
    )
    Prescription.all_objects.filter(pk=prescription.pk).update(care_relation=relation)
    _queries, result = counted(
        municipality,
        "prescriptions",
        as_csv(
            ["person_ref", "referral_date", "reason", "completed"],
            [[ref(0), day(0), "inaktivitet", "nei"]],
        ),
    )
    assert result.updated == 1
    relation.refresh_from_db()
    assert relation.valid_to is not None
    assert AuditEvent.all_objects.filter(action="end", object_id=str(relation.pk)).count() == 1
    assert verify_chain(municipality.pk) is None


def test_audit_verify_command_after_bulk_imports(municipality, capsys):
    for name in MAKERS:
        counted(municipality, name, MAKERS[name](0, 30))
    call_command("audit", "verify", "--municipality", "9001")
    assert "Kjeden er hel" in capsys.readouterr().out
