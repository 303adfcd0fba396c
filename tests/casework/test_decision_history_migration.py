"""The migration that gives decision history rows made before `changed_at` existed the
moment of their `changed_on`, and the transition table the decisions follow."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from mestring.casework.models import DecisionChange, DecisionState
from tests.plans.helpers import make_decision

MIGRATION = "0011_decision_status_history"


@pytest.mark.django_db
def test_old_history_rows_are_dated_by_their_day(world):
    decision = make_decision(world.person, world.caseworker)
    day = datetime.date(2026, 3, 4)
    change = DecisionChange.all_objects.create(
        municipality=world.municipality,
        decision=decision,
        from_status=DecisionState.IN_FORCE,
        to_status=DecisionState.STOPPED,
        changed_on=day,
        reason="Flyttet",
    )
    state = MigrationLoader(connection).project_state(("casework", MIGRATION))
    module = importlib.import_module(f"mestring.casework.migrations.{MIGRATION}")
    module.forwards(state.apps, None)
    change.refresh_from_db()
    assert timezone.localtime(change.changed_at) == timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(12))
    )


@pytest.mark.django_db
def test_only_a_decision_in_force_can_be_changed_or_stopped(world):
    decision = make_decision(world.person, world.caseworker)
    assert set(decision.allowed_statuses()) == {DecisionState.CHANGED, DecisionState.STOPPED}
    decision.status = DecisionState.STOPPED
    assert decision.allowed_statuses() == []
