"""(I5) Scope, permission and care relation are checked before the request body is read.

Validation before the checks would answer an unauthorised caller with 422 and the
operation's field rules, and let them probe ids by the difference between 422 and 403.
"""

from __future__ import annotations

import json

import pytest

from mestring.access.models import AuditEvent
from tests.api.helpers import bearer, make_token
from tests.plans.helpers import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.attack]
BROKEN_BODIES = ["{}", '{"text": 5, "unknown": true}', "not json"]


def _post(client, url: str, raw: str, body: str):
    return client.post(url, data=body, content_type="application/json", **bearer(raw))


def test_missing_scope_is_refused_whatever_the_body(world, client):
    plan = make_plan(world)
    url = f"/api/persons/{world.person.pk}/plans/{plan.pk}/goals/"
    raw = make_token(world.owner, scopes=["plans:read"])
    for body in BROKEN_BODIES:
        before = AuditEvent.all_objects.count()
        response = _post(client, url, raw, body)
        assert response.status_code == 403, body
        assert "plans:write" in response.json()["detail"]
        assert AuditEvent.all_objects.count() == before + 1  # the refusal, audited


def test_no_care_relation_is_refused_whatever_the_body(world, client):
    plan = make_plan(world)
    url = f"/api/persons/{world.person.pk}/plans/{plan.pk}/goals/"
    raw = make_token(world.outsider)
    for body in BROKEN_BODIES:
        response = _post(client, url, raw, body)
        assert response.status_code == 403, body
        assert "errors" not in response.json() or not response.json()["errors"]
    refusals = AuditEvent.all_objects.filter(outcome="refused", person=world.person)
    assert refusals.count() == len(BROKEN_BODIES)


def test_an_allowed_caller_still_gets_the_field_errors(world, client):
    plan = make_plan(world)
    url = f"/api/persons/{world.person.pk}/plans/{plan.pk}/goals/"
    response = _post(client, url, make_token(world.owner), json.dumps({"text": 5}))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "text"
