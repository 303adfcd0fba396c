"""Removing the oldest audit rows behind a checkpoint keeps the chain verifiable."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mestring.access.actor import system_actor
from mestring.access.audit import (
    CHECKPOINT_ACTION,
    CHECKPOINT_OBJECT_TYPE,
    AuditPruneRefused,
    EventSpec,
    audit_prune,
    checkpoint_tag,
    prune_plan,
    record_events,
    verify_chain,
)
from mestring.access.models import AuditCheckpoint, AuditEvent

pytestmark = pytest.mark.django_db

NOW = timezone.now()  # clock read at import on purpose: one instant, cutoffs years from it
TWELVE_YEARS_AGO = NOW - datetime.timedelta(days=365 * 12)
ELEVEN_YEARS_AGO = NOW - datetime.timedelta(days=365 * 11)
TEN_YEARS_AGO = NOW - datetime.timedelta(days=365 * 10)
TWO_YEARS_AGO = NOW - datetime.timedelta(days=365 * 2)


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


def disable_guard_triggers() -> None:
    """What an attacker with database access would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS access_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS access_auditcheckpoint_no_update")


def prune(world, before: datetime.datetime = TEN_YEARS_AGO):
    return audit_prune(actor=system_actor(world.municipality, label="retention"), before=before)


@pytest.fixture
def chain(world) -> dict[str, list[AuditEvent]]:
    """Four rows from twelve years ago, then three recent ones."""
    return {"old": write(world, 4, TWELVE_YEARS_AGO), "recent": write(world, 3)}


def test_prune_removes_the_old_prefix_behind_a_checkpoint(world, chain):
    old, recent = chain["old"], chain["recent"]
    plan, checkpoint = prune(world)
    assert (plan.due, plan.removable, plan.kept) == (4, 4, 0)
    assert not AuditEvent.all_objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.all_objects.filter(pk__in=[e.pk for e in recent]).count() == 3
    # The checkpoint names the last removed row and who removed it.
    assert checkpoint == AuditCheckpoint.all_objects.get(municipality=world.municipality)
    assert (checkpoint.first_seq, checkpoint.last_seq, checkpoint.removed) == (1, 4, 4)
    assert checkpoint.last_event_id == old[-1].pk
    assert checkpoint.last_hash == old[-1].row_hash
    assert checkpoint.last_occurred_at == old[-1].occurred_at
    assert (checkpoint.username, checkpoint.role) == ("system", "retention")
    assert checkpoint.cutoff == TEN_YEARS_AGO
    # The pruning is itself an event, after the recent rows, naming the checkpoint.
    event = AuditEvent.all_objects.latest("seq")
    assert event.seq == 8
    assert (event.action, event.object_type) == (CHECKPOINT_ACTION, CHECKPOINT_OBJECT_TYPE)
    assert event.object_id == checkpoint_tag(checkpoint)
    assert event.object_id.startswith("4:" + old[-1].row_hash[:20])
    assert event.purpose == "administration"
    assert verify_chain(world.municipality.pk) is None


def test_nothing_to_prune_writes_nothing(world, chain):
    plan, checkpoint = prune(world, before=TWELVE_YEARS_AGO - datetime.timedelta(days=1))
    assert checkpoint is None and plan.removable == 0
    assert AuditEvent.all_objects.count() == 7
    assert not AuditCheckpoint.all_objects.exists()


def test_verify_command_says_whole_after_pruning(world, chain, capsys):
    prune(world)
    call_command("audit", "verify", "--municipality", world.municipality.number)
    assert "Kjeden er hel: 4 hendelser kontrollert" in capsys.readouterr().out


def test_tampering_with_a_remaining_row_is_still_caught(world, chain, capsys):
    prune(world)
    target = chain["recent"][1]
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditevent SET action = %s WHERE id = %s", ["update", target.pk]
        )
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == target.seq
    assert broken.problem == "content does not match its hash"
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--municipality", world.municipality.number)
    assert f"rad {target.seq}" in capsys.readouterr().err


def test_deleting_a_middle_row_is_still_caught(world, chain):
    prune(world)
    target = chain["recent"][1]
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [target.pk])
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == target.seq + 1
    assert broken.problem == f"row {target.seq} is missing"


def test_deleting_rows_after_the_checkpoint_without_one_is_caught(world, chain):
    prune(world)
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [chain["recent"][0].pk])
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and "missing without a checkpoint" in broken.problem


def test_deleting_the_oldest_rows_without_a_checkpoint_is_caught(world, chain):
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM access_auditevent WHERE id IN (%s, %s)",
            [chain["old"][0].pk, chain["old"][1].pk],
        )
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.problem == "rows 1 to 2 are missing without a checkpoint"


def test_forged_checkpoint_without_its_event_is_caught(world, chain):
    """Deleting rows and adding a matching checkpoint by hand is not enough."""
    old = chain["old"]
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditevent WHERE seq <= 4")
    AuditCheckpoint.all_objects.create(
        municipality=world.municipality,
        first_seq=1,
        last_seq=4,
        last_event_id=old[-1].pk,
        last_hash=old[-1].row_hash,
        last_occurred_at=old[-1].occurred_at,
        removed=4,
        cutoff=TEN_YEARS_AGO,
        created_at=NOW,
        username="angriper",
    )
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.problem == "latest checkpoint is not recorded in the chain"


def test_checkpoint_that_does_not_match_is_caught(world, chain):
    _plan, checkpoint = prune(world)
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditcheckpoint SET last_hash = %s WHERE id = %s",
            ["f" * 64, checkpoint.pk],
        )
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == 5
    assert broken.problem == "previous hash does not match"


def test_checkpoint_whose_row_remains_must_match_it(world, chain):
    """A checkpoint for rows that are still there is checked against them."""
    old = chain["old"]
    AuditCheckpoint.all_objects.create(
        municipality=world.municipality,
        first_seq=1,
        last_seq=2,
        last_event_id=old[1].pk,
        last_hash="e" * 64,
        last_occurred_at=old[1].occurred_at,
        removed=2,
        cutoff=TEN_YEARS_AGO,
        created_at=NOW,
    )
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == 2
    assert broken.problem == "checkpoint does not match the row"


def test_removed_checkpoint_is_caught(world, chain):
    _plan, checkpoint = prune(world)
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditcheckpoint WHERE id = %s", [checkpoint.pk])
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and "missing without a checkpoint" in broken.problem


def test_second_prune_continues_from_the_first(world):
    write(world, 4, TWELVE_YEARS_AGO)  # rows 1-4
    write(world, 3, ELEVEN_YEARS_AGO)  # rows 5-7
    write(world, 2)  # rows 8-9
    _plan, first = prune(world, before=ELEVEN_YEARS_AGO - datetime.timedelta(days=100))
    assert (first.first_seq, first.last_seq, first.removed) == (1, 4, 4)  # event: row 10
    _plan, second = prune(world, before=TEN_YEARS_AGO)
    assert (second.first_seq, second.last_seq, second.removed) == (5, 7, 3)  # event: row 11
    assert verify_chain(world.municipality.pk) is None
    assert list(AuditEvent.all_objects.values_list("seq", flat=True)) == [8, 9, 10, 11]
    # The first checkpoint's event is still there and must still match it.
    assert AuditEvent.all_objects.get(seq=10).object_id == checkpoint_tag(first)


def test_old_rows_after_a_newer_row_wait(world):
    """Only a prefix goes: old rows written after a newer one (a clock set back) stay."""
    write(world, 2, TWELVE_YEARS_AGO)  # rows 1-2
    write(world, 1)  # row 3
    late = write(world, 2, TWELVE_YEARS_AGO)  # rows 4-5
    plan = prune_plan(world.municipality.pk, TEN_YEARS_AGO)
    assert (plan.due, plan.removable, plan.kept) == (4, 2, 2)
    _plan, checkpoint = prune(world)
    assert checkpoint.last_seq == 2
    assert AuditEvent.all_objects.filter(pk__in=[e.pk for e in late]).count() == 2
    assert verify_chain(world.municipality.pk) is None


def test_broken_chain_is_not_pruned(world, chain):
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditevent SET username = %s WHERE id = %s",
            ["noen", chain["old"][1].pk],
        )
    with pytest.raises(AuditPruneRefused) as refused:
        prune(world)
    assert "brutt ved rad 2" in str(refused.value)
    assert AuditEvent.all_objects.count() == 7
    assert not AuditCheckpoint.all_objects.exists()


def test_break_after_the_removed_rows_does_not_stop_pruning_and_stays_visible(world, chain):
    target = chain["recent"][2]
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditevent SET username = %s WHERE id = %s", ["noen", target.pk]
        )
    _plan, checkpoint = prune(world)
    assert checkpoint is not None and checkpoint.last_seq == 4
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == target.seq


def test_broken_link_to_the_first_kept_row_stops_pruning(world, chain):
    disable_guard_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditevent SET previous_hash = %s WHERE id = %s",
            ["0" * 64, chain["recent"][0].pk],
        )
    with pytest.raises(AuditPruneRefused):
        prune(world)
    assert not AuditCheckpoint.all_objects.exists()


def test_refusal_by_the_database_leaves_everything_as_it_was(world, chain, monkeypatch):
    """The application role may not delete audit rows: a plain message, nothing changed."""
    from mestring.access import audit

    def denied(municipality_id: int, last_seq: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table_for_h7")
        return 0

    monkeypatch.setattr(audit, "_delete_through", denied)
    with pytest.raises(AuditPruneRefused) as refused:
        prune(world)
    assert "Databasen nektet" in str(refused.value)
    assert not AuditCheckpoint.all_objects.exists()
    assert AuditEvent.all_objects.count() == 7
    assert verify_chain(world.municipality.pk) is None


def test_update_of_a_checkpoint_is_refused_by_the_database(world, chain):
    _plan, checkpoint = prune(world)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditcheckpoint SET removed = 1 WHERE id = %s", [checkpoint.pk]
        )


# --- PostgreSQL: the trigger lets only checkpointed rows go ------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL triggers"
)


def try_delete(sql: str, params: list[object], *, prune_on: bool) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if prune_on:
            cursor.execute("SET LOCAL mestring.audit_prune = 'on'")
        cursor.execute(sql, params)


@postgresql_only
def test_trigger_refuses_delete_without_the_setting_or_a_checkpoint(world, chain):
    first = chain["old"][0]
    delete = "DELETE FROM access_auditevent WHERE id = %s"
    with pytest.raises(DatabaseError):
        try_delete(delete, [first.pk], prune_on=False)
    # The setting alone is not enough: no checkpoint covers the row.
    with pytest.raises(DatabaseError):
        try_delete(delete, [first.pk], prune_on=True)
    assert AuditEvent.all_objects.filter(pk=first.pk).exists()


@postgresql_only
def test_trigger_allows_delete_only_up_to_the_latest_checkpoint(world, chain):
    old, recent = chain["old"], chain["recent"]
    AuditCheckpoint.all_objects.create(
        municipality=world.municipality,
        first_seq=1,
        last_seq=2,
        last_event_id=old[1].pk,
        last_hash=old[1].row_hash,
        last_occurred_at=old[1].occurred_at,
        removed=2,
        cutoff=TEN_YEARS_AGO,
        created_at=NOW,
    )
    delete = "DELETE FROM access_auditevent WHERE id = %s"
    # Beyond the checkpoint: refused, with the setting on.
    for event in (old[2], recent[0]):
        with pytest.raises(DatabaseError):
            try_delete(delete, [event.pk], prune_on=True)
    # Covered by it, but without the setting: refused.
    with pytest.raises(DatabaseError):
        try_delete(delete, [old[0].pk], prune_on=False)
    # Covered and set: allowed.
    try_delete(delete, [old[0].pk], prune_on=True)
    assert not AuditEvent.all_objects.filter(pk=old[0].pk).exists()
    # UPDATE stays refused, setting or not.
    with pytest.raises(DatabaseError):
        try_delete(
            "UPDATE access_auditevent SET action = 'x' WHERE id = %s", [old[1].pk], prune_on=True
        )


@postgresql_only
def test_checkpoints_of_another_municipality_do_not_count(world, chain):
    from tests import factories

    elsewhere = factories.make_municipality("9002", "Nabokommune")
    theirs = write(world, 1)[0]
    other_event = record_events(
        actor=system_actor(elsewhere),
        specs=[EventSpec(action="view", object_type="person", object_id="1")],
    )[0]
    # A checkpoint here far beyond the other municipality's rows.
    AuditCheckpoint.all_objects.create(
        municipality=world.municipality,
        first_seq=1,
        last_seq=theirs.seq,
        last_event_id=theirs.pk,
        last_hash=theirs.row_hash,
        last_occurred_at=theirs.occurred_at,
        removed=theirs.seq,
        cutoff=NOW,
        created_at=NOW,
    )
    with pytest.raises(DatabaseError):
        try_delete("DELETE FROM access_auditevent WHERE id = %s", [other_event.pk], prune_on=True)


@postgresql_only
def test_checkpoint_delete_is_refused_and_privileges_revoked(world, chain):
    _plan, checkpoint = prune(world)
    with pytest.raises(DatabaseError):
        try_delete(
            "DELETE FROM access_auditcheckpoint WHERE id = %s", [checkpoint.pk], prune_on=True
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege('public', 'access_auditcheckpoint', 'UPDATE'),"
            " has_table_privilege('public', 'access_auditcheckpoint', 'DELETE'),"
            " has_table_privilege('public', 'access_auditcheckpoint', 'TRUNCATE')"
        )
        assert cursor.fetchone() == (False, False, False)


@postgresql_only
def test_prune_setting_is_off_again_after_pruning(world, chain):
    prune(world)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('mestring.audit_prune', true)")
        assert cursor.fetchone()[0] in (None, "", "off")
