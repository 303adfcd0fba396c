from __future__ import annotations

import itertools
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from mestring.access import audit
from mestring.access.actor import system_actor
from mestring.access.audit import EventSpec, record_events, verify_chain
from mestring.access.models import AuditEvent
from mestring.people.models import Person

pytestmark = pytest.mark.django_db


def make_events(world, count: int = 5) -> list[AuditEvent]:
    actor = system_actor(world.municipality)
    return record_events(
        actor=actor,
        specs=[
            EventSpec(
                action="view", object_type="person", object_id=world.person.pk, person=world.person
            )
            for _ in range(count)
        ],
    )


def disable_guard_triggers() -> None:
    """What an attacker with database access would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for the rest of this transaction.
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")


def test_chain_is_intact_and_linked(world):
    events = make_events(world)
    assert verify_chain(world.municipality.pk) is None
    for before, after in itertools.pairwise(events):
        assert after.previous_hash == before.row_hash
        assert after.seq == before.seq + 1


def test_altered_row_is_caught_by_verify_command(world, capsys):
    events = make_events(world)
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditevent SET action = %s WHERE id = %s", ["update", events[2].pk]
        )
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == events[2].seq
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", "--municipality", world.municipality.number)
    assert exit_info.value.code == 1
    assert f"rad {events[2].seq}" in capsys.readouterr().err


def test_deleted_row_is_caught(world):
    events = make_events(world)
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [events[-1].pk])
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and "missing" in broken.problem


def test_verify_command_passes_on_an_intact_chain(world, capsys):
    make_events(world, 3)
    call_command("audit", "verify", "--municipality", world.municipality.number)
    assert "Kjeden er hel" in capsys.readouterr().out


def test_update_of_an_audit_row_is_refused_by_the_database(world):
    events = make_events(world, 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_auditevent SET action = 'x' WHERE id = %s", [events[0].pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL grants and triggers")
def test_delete_and_privileges_on_postgresql(world):
    events = make_events(world, 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [events[0].pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege('public', 'access_auditevent', 'UPDATE'),"
            " has_table_privilege('public', 'access_auditevent', 'DELETE'),"
            " has_table_privilege('public', 'access_auditevent', 'TRUNCATE')"
        )
        assert cursor.fetchone() == (False, False, False)


def test_export_prints_only_that_persons_events(world, client_for, capsys):
    other = Person.all_objects.create(
        municipality=world.municipality, given_name="A", family_name="B", birth_date="2000-01-01"
    )
    client_for(world.owner).get(reverse("people:overview", args=[world.person.pk]))
    record_events(
        actor=system_actor(world.municipality),
        specs=[EventSpec(action="view", object_type="person", object_id=other.pk, person=other)],
    )
    call_command(
        "audit",
        "export",
        "--municipality",
        world.municipality.number,
        "--person",
        world.person.person_ref,
        "--format",
        "json",
    )
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1
    assert rows[0]["person_id"] == world.person.pk and rows[0]["username"] == "eier"
    assert world.person.national_id not in json.dumps(rows)


def test_failed_audit_write_fails_the_request(world, client_for, monkeypatch):
    client = client_for(world.owner)

    def broken(**kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(audit, "record_events", broken)
    client.raise_request_exception = False
    response = client.post(
        reverse("people:edit", args=[world.person.pk]),
        {
            "given_name": "Nytt",
            "family_name": "Navn",
            "birth_date": world.person.birth_date.strftime("%d.%m.%Y"),
            "preferred_language": "norsk",
            "language_form": "nb",
        },
    )
    assert response.status_code == 500
    assert Person.all_objects.get(pk=world.person.pk).given_name == "Gunnhild"


def test_event_fields_are_complete_and_carry_no_free_text(world, client_for):
    client = client_for(world.owner)
    client.get(reverse("people:overview", args=[world.person.pk]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.all_objects.latest("seq")
    assert event.username == "eier" and event.hpr_number == "9100099"
    assert event.role == "koordinator"
    assert event.municipality == world.municipality
    assert (event.object_type, event.object_id) == ("person", str(world.person.pk))
    assert (event.action, event.outcome, event.purpose) == ("view", "allowed", "care")
    assert event.client_address == "10.1.2.3"
    assert len(event.request_id) >= 8
    assert event.occurred_at.utcoffset().total_seconds() == 0
    values = json.dumps(
        {f.name: str(getattr(event, f.attname)) for f in AuditEvent._meta.concrete_fields}
    )
    assert world.person.national_id not in values and "Gunnhild" not in values
