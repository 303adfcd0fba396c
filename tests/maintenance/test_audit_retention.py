"""Retention of audit rows: counted in the dry run, removed behind a checkpoint by a run."""

from __future__ import annotations

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from mestring.access.actor import system_actor
from mestring.access.audit import CHECKPOINT_ACTION, EventSpec, record_events, verify_chain
from mestring.access.models import AuditCheckpoint, AuditEvent
from mestring.maintenance.models import RetentionPolicy

pytestmark = pytest.mark.urls("tests.maintenance.urls")

NOW = timezone.now()  # clock read at import on purpose: one instant, cutoffs years from it
TWELVE_YEARS_AGO = NOW - datetime.timedelta(days=365 * 12)
SIX_YEARS_AGO = NOW - datetime.timedelta(days=365 * 6)


def write(world, count: int, at: datetime.datetime | None = None) -> list[AuditEvent]:
    actor = system_actor(world.municipality)
    specs = [
        EventSpec(
            action="view", object_type="person", object_id=world.person.pk, person=world.person
        )
        for _ in range(count)
    ]
    if at is None:
        return record_events(actor=actor, specs=specs)
    with time_machine.travel(at, tick=False):
        return record_events(actor=actor, specs=specs)


@pytest.fixture
def log(world) -> dict[str, list[AuditEvent]]:
    """Five rows from twelve years ago, two from six years ago, three from today."""
    return {
        "old": write(world, 5, TWELVE_YEARS_AGO),
        "middle": write(world, 2, SIX_YEARS_AGO),
        "recent": write(world, 3),
    }


def run(*args: str) -> dict[str, dict]:
    out = io.StringIO()
    call_command("retention", "--municipality", "9001", *args, "--json", stdout=out)
    return {k["kind"]: k for k in json.loads(out.getvalue())[0]["kinds"]}


def test_dry_run_counts_the_audit_rows_and_changes_nothing(world, log, settings):
    audit = run("--dry-run")["audit"]
    assert (audit["years"], audit["due"], audit["kept"], audit["done"]) == (10, 5, 0, 0)
    assert audit["action"] == "delete" and audit["due_ids"] == []
    assert AuditEvent.all_objects.count() == 10
    assert not AuditCheckpoint.all_objects.exists()
    text = io.StringIO()
    call_command("retention", "--municipality", "9001", "--dry-run", stdout=text)
    assert "Tilgangsloggen (eldre enn" in text.getvalue()
    assert "10 år): 5 slettes" in text.getvalue()
    # A shorter period takes the six-year-old rows too.
    settings.MESTRING_AUDIT_MIN_YEARS = 5  # the installation allows it
    RetentionPolicy.all_objects.create(municipality=world.municipality, audit_years=5)
    assert run("--dry-run")["audit"]["due"] == 7


def test_run_removes_old_rows_and_the_chain_is_whole(world, log, capsys):
    audit = run()["audit"]
    assert (audit["due"], audit["done"], audit["kept"]) == (5, 5, 0)
    remaining = AuditEvent.all_objects.filter(municipality=world.municipality)
    assert not remaining.filter(pk__in=[e.pk for e in log["old"]]).exists()
    assert remaining.filter(pk__in=[e.pk for e in log["middle"] + log["recent"]]).count() == 5
    checkpoint = AuditCheckpoint.all_objects.get(municipality=world.municipality)
    assert (checkpoint.first_seq, checkpoint.last_seq, checkpoint.removed) == (1, 5, 5)
    assert checkpoint.last_hash == log["old"][-1].row_hash
    assert checkpoint.role == "retention"
    # The pruning and the run's summary are both in the log.
    assert remaining.filter(action=CHECKPOINT_ACTION).count() == 1
    summary = remaining.get(object_type="retention:audit")
    assert (summary.action, summary.object_id) == ("retention_delete", "5 av 5")
    call_command("audit", "verify", "--municipality", "9001")
    assert "Kjeden er hel" in capsys.readouterr().out
    # A second run finds nothing more in the log to remove.
    again = run()["audit"]
    assert (again["due"], again["done"]) == (0, 0)
    assert AuditCheckpoint.all_objects.count() == 1
    assert verify_chain(world.municipality.pk) is None


def test_text_output_of_a_run(world, log):
    text = io.StringIO()
    call_command("retention", "--municipality", "9001", stdout=text)
    assert "Tilgangsloggen: 5 av 5 slettes" in text.getvalue()


def test_tampering_after_a_run_is_still_caught(world, log, capsys):
    run()
    target = log["recent"][0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
        cursor.execute(
            "UPDATE access_auditevent SET username = %s WHERE id = %s", ["noen", target.pk]
        )
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify", "--municipality", "9001")
    assert exit_info.value.code == 1
    assert f"rad {target.seq}" in capsys.readouterr().err


def test_broken_chain_keeps_its_rows_and_the_rest_of_the_run_goes_on(world, log):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
        cursor.execute(
            "UPDATE access_auditevent SET action = 'update' WHERE id = %s", [log["old"][2].pk]
        )
    report = run()
    audit = report["audit"]
    assert (audit["due"], audit["done"], audit["kept"]) == (5, 0, 5)
    assert "brutt ved rad 3" in audit["note"]
    assert AuditEvent.all_objects.filter(pk__in=[e.pk for e in log["old"]]).count() == 5
    assert not AuditCheckpoint.all_objects.exists()
    # The run itself still finished and was logged.
    assert AuditEvent.all_objects.filter(object_type="retention:audit").exists()
    assert "persons" in report


def test_other_municipalities_logs_are_left_alone(world, log):
    from tests import factories

    elsewhere = factories.make_municipality("9002", "Nabokommune")
    with time_machine.travel(TWELVE_YEARS_AGO, tick=False):
        theirs = record_events(
            actor=system_actor(elsewhere),
            specs=[EventSpec(action="view", object_type="person", object_id="1")],
        )
    run()
    assert AuditEvent.all_objects.filter(pk=theirs[0].pk).exists()
    assert not AuditCheckpoint.all_objects.filter(municipality=elsewhere).exists()
    assert verify_chain(elsewhere.pk) is None and verify_chain(world.municipality.pk) is None


def test_settings_page_shows_the_audit_rows_to_remove(world, log, client_for):
    page = client_for(world.admin).get(reverse("maintenance:retention_settings"))
    assert page.status_code == 200
    audit = next(row for row in page.context["preview"] if row.code == "audit")
    assert (audit.due, audit.would) == (5, 5)
    assert "beholdes (avleveres samlet)" not in page.content.decode()
    assert AuditEvent.all_objects.filter(pk__in=[e.pk for e in log["old"]]).count() == 5


def test_settings_page_refused_to_staff_without_the_permission(world, log, client_for):
    url = reverse("maintenance:retention_settings")
    for staff in (world.outsider, world.owner, world.read_only):
        assert client_for(staff).get(url).status_code == 403, staff
    assert AuditEvent.all_objects.filter(pk__in=[e.pk for e in log["old"]]).count() == 5
