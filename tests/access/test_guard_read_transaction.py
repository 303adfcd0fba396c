"""A guarded read runs in no transaction of its own; a write runs in one.

On SQLite a transaction takes the one write lock at BEGIN, so a transaction around
every page serialised all pages of all workers under load. A read writes only its
audit row, in that row's own transaction; exactly one row per response still holds,
and refusals are still refused and logged.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from mestring.access.guard import PersonAccessRefused, audited_view, person_view
from mestring.access.middleware import build_actor
from mestring.access.models import AuditEvent, AuditOutcome
from mestring.api.auth import _run_audited
from mestring.tenancy.context import activate

pytestmark = pytest.mark.django_db


def _request(staff, method: str):
    request = getattr(RequestFactory(), method.lower())("/personer/")
    request.user = staff.user
    request.actor = build_actor(request, staff)
    return request


def _depth() -> int:
    return len(connection.atomic_blocks)


def _events(world) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.filter(municipality=world.municipality).order_by("seq"))


@pytest.mark.parametrize(("method", "extra_blocks"), [("GET", 0), ("HEAD", 0), ("POST", 1)])
def test_person_view_reads_outside_a_transaction_and_writes_inside(world, method, extra_blocks):
    seen = {}

    @person_view()
    def page(request, person):
        seen["depth"] = _depth()
        seen["person"] = person
        return HttpResponse("ok")

    with activate(world.municipality):
        before, outside = len(_events(world)), _depth()
        response = page(_request(world.owner, method), person_id=world.person.pk)
        events = _events(world)[before:]
    assert response.status_code == 200 and seen["person"] == world.person
    assert seen["depth"] == outside + extra_blocks
    assert [(e.action, e.outcome, e.person_id) for e in events] == [
        ("view", AuditOutcome.ALLOWED, world.person.pk)
    ]


def test_person_view_refuses_without_care_relation_and_logs_it(world):
    @person_view()
    def page(request, person):
        raise AssertionError("the view must not run")

    with activate(world.municipality):
        before = len(_events(world))
        with pytest.raises(PersonAccessRefused):
            page(_request(world.outsider, "GET"), person_id=world.person.pk)
        events = _events(world)[before:]
    assert [(e.outcome, e.person_id, e.username) for e in events] == [
        (AuditOutcome.REFUSED, world.person.pk, world.outsider.user.username)
    ]


def test_read_that_fails_writes_no_read_row(world):
    """No row says the read succeeded; one says it failed (L4: a PDF that
    cannot be made is logged as failed, not left out)."""

    @person_view()
    def page(request, person):
        raise ValueError("boom")

    with activate(world.municipality):
        before = len(_events(world))
        with pytest.raises(ValueError):
            page(_request(world.owner, "GET"), person_id=world.person.pk)
        events = _events(world)[before:]
    assert [(e.action, e.outcome) for e in events] == [("view", AuditOutcome.FAILED)]


@pytest.mark.parametrize(("method", "extra_blocks"), [("GET", 0), ("POST", 1)])
def test_audited_view_reads_outside_a_transaction(world, method, extra_blocks):
    seen = {}

    @audited_view(object_type="work_list")
    def page(request):
        seen["depth"] = _depth()
        return HttpResponse("ok")

    with activate(world.municipality):
        before, outside = len(_events(world)), _depth()
        page(_request(world.owner, method))
        events = _events(world)[before:]
    assert seen["depth"] == outside + extra_blocks
    assert [(e.object_type, e.outcome) for e in events] == [("work_list", AuditOutcome.ALLOWED)]


@pytest.mark.parametrize(("method", "extra_blocks"), [("GET", 0), ("POST", 1)])
def test_api_reads_outside_a_transaction(world, method, extra_blocks):
    seen = {}

    def operation(request, person):
        seen["depth"] = _depth()
        return {"id": person.pk}

    with activate(world.municipality):
        request = _request(world.owner, method)
        before, outside = len(_events(world)), _depth()
        result = _run_audited(
            operation, request, request.actor, "person", (), {}, person=world.person
        )
        events = _events(world)[before:]
    assert result == {"id": world.person.pk}
    assert seen["depth"] == outside + extra_blocks
    assert [(e.object_type, e.person_id) for e in events] == [("person", world.person.pk)]
