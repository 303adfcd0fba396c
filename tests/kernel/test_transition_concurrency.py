"""Two users change the status of the same case at the same moment (PostgreSQL).

Each request read the case in the same status before either wrote. `transition()`
takes the row lock and checks the table against the status it finds under the lock,
so exactly one wins; the other is refused with `TransitionNotAllowed` (a `Conflict`),
and the history gets exactly one new row: none lost, none doubled.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from mestring.casework import services
from mestring.casework.models import Case, CaseStatus, CaseStatusChange
from mestring.kernel.errors import Conflict
from mestring.kernel.states import TransitionNotAllowed
from mestring.tenancy.context import activate
from tests.casework.helpers import actor_for, apply, make_lead
from tests.conftest import build_world

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks, concurrent writers); set DATABASE_URL=postgres://…",
    ),
    # Skips on SQLite anyway: CI runs it once, in its PostgreSQL pass.
    pytest.mark.engine_independent,
    pytest.mark.django_db(transaction=True),
]

WORKERS = 2
ROUNDS = 3


def _race(case_id: int, lead: Any, to_status: str) -> list[Any]:
    """Both workers load the case (status «mottatt»), wait for each other, then move it
    to `to_status`; returns what each returned or raised."""
    barrier = threading.Barrier(WORKERS)
    results: list[Any] = [None] * WORKERS
    actor = actor_for(lead)

    def run(i: int) -> None:
        try:
            with activate(lead.municipality):
                case = Case.objects.get(pk=case_id)
                barrier.wait(timeout=30)
                results[i] = services.case_transition(
                    actor=actor, case=case, to_status=to_status, reason=f"arbeider {i}"
                )
        except Exception as exc:  # the test looks at each outcome
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


@pytest.mark.parametrize("to_status", [CaseStatus.ASSESSING, CaseStatus.CLOSED])
def test_two_simultaneous_transitions_of_one_case_make_one(to_status: str) -> None:
    world = build_world()
    lead = make_lead(world.municipality)
    for _round in range(ROUNDS):
        case = apply(lead, world.person)
        results = _race(case.pk, lead, to_status)

        won = [r for r in results if isinstance(r, Case)]
        refused = [r for r in results if isinstance(r, TransitionNotAllowed)]
        assert len(won) == 1, results
        assert len(refused) == 1, results
        assert isinstance(refused[0], Conflict)
        assert refused[0].http_status == 409

        case.refresh_from_db()
        assert case.status == to_status
        history = list(
            CaseStatusChange.all_objects.filter(case_id=case.pk)
            .order_by("changed_at", "pk")
            .values_list("from_status", "to_status")
        )
        assert history == [("", CaseStatus.RECEIVED), (CaseStatus.RECEIVED, to_status)]
        # The winner's reason is the one kept.
        winner = results.index(won[0])
        last = CaseStatusChange.all_objects.filter(case_id=case.pk).order_by("pk").last()
        assert last.reason == f"arbeider {winner}"
