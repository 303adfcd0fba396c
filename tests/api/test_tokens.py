from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.api.models import ApiToken
from tests.api.helpers import bearer, make_token

pytestmark = pytest.mark.django_db


def test_only_the_hash_is_stored(world, client):
    raw = make_token(world.owner)
    token = ApiToken.all_objects.get()
    assert raw.startswith("mst_") and len(raw) > 40
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.all_objects.values().get())
    assert client.get("/api/persons/", **bearer(raw)).status_code == 200
    assert AuditEvent.all_objects.filter(object_type="api_token", action="create").count() == 1


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer mst_nope", "Token abc", "Bearer \x00"])
def test_unknown_token_is_401_json(world, client, header):
    response = client.get("/api/persons/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "API-nøkkel" in response.json()["detail"]


def test_revoked_expired_and_inactive_are_401(world, client):
    revoked = make_token(world.owner)
    call_command(
        "api-token",
        "revoke",
        "--municipality",
        "9001",
        "--id",
        str(ApiToken.all_objects.get().pk),
        stdout=StringIO(),
    )
    assert client.get("/api/persons/", **bearer(revoked)).status_code == 401
    expiring = make_token(world.owner, expires_at=timezone.now() + datetime.timedelta(hours=1))
    ApiToken.all_objects.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get("/api/persons/", **bearer(expiring)).status_code == 401
    active = make_token(world.owner)
    world.owner.is_active = False
    world.owner.save()
    assert client.get("/api/persons/", **bearer(active)).status_code == 401


def test_missing_scope_is_403_and_audited(world, client):
    raw = make_token(world.owner, ["plans:read"])
    response = client.get("/api/persons/", **bearer(raw))
    assert response.status_code == 403
    assert "persons:read" in response.json()["detail"]
    assert AuditEvent.all_objects.filter(object_type="api", outcome="refused").count() == 1


def test_command_prints_a_token_that_works(world, client):
    out = StringIO()
    call_command(
        "api-token",
        "create",
        "--user",
        world.owner.user.username,
        "--municipality",
        "9001",
        "--scopes",
        "persons:read,plans:read",
        stdout=out,
    )
    raw = out.getvalue().strip()
    assert raw.startswith("mst_")
    assert client.get(f"/api/persons/{world.person.pk}/", **bearer(raw)).status_code == 200
    assert ApiToken.all_objects.get().scopes == ["persons:read", "plans:read"]


def test_token_page_creates_shows_once_and_revokes(world, client_for):
    client = client_for(world.outsider)
    response = client.post(
        "/api/profil/api-nokler/", {"name": "Integrasjon", "scopes": ["persons:read"]}
    )
    assert response.status_code == 200
    raw = response.context["created"].raw
    assert raw in response.content.decode()
    assert raw not in client.get("/api/profil/api-nokler/").content.decode()
    token = ApiToken.all_objects.get()
    assert token.staff == world.outsider
    response = client.post(f"/api/profil/api-nokler/{token.pk}/trekk-tilbake/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_bad_input_and_other_staffs_token(world, client_for):
    client = client_for(world.outsider)
    response = client.post("/api/profil/api-nokler/", {"name": "", "expires_on": "99.99.2020"})
    assert response.status_code == 200
    assert "Gi nøkkelen et navn." in response.content.decode()
    make_token(world.owner)
    other = ApiToken.all_objects.get()
    assert client.post(f"/api/profil/api-nokler/{other.pk}/trekk-tilbake/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.attack
def test_token_of_a_locked_account_is_401(world, client):
    """(L7) An API token stops working when its account is locked, and works again
    once the lock is lifted."""
    raw = make_token(world.owner)
    assert client.get("/api/persons/", **bearer(raw)).status_code == 200
    user = world.owner.user
    user.locked_until = timezone.now() + datetime.timedelta(minutes=15)
    user.save(update_fields=["locked_until"])
    response = client.get("/api/persons/", **bearer(raw))
    assert response.status_code == 401
    assert "API-nøkkel" in response.json()["detail"]
    user.locked_until = None
    user.save(update_fields=["locked_until"])
    assert client.get("/api/persons/", **bearer(raw)).status_code == 200


@pytest.mark.attack
def test_scope_is_checked_before_the_body(world, client):
    """(I5) A token without the operation's scope gets 403 (audited) even when the body
    is invalid: the scope is checked before ninja validates the body, which gave 400."""
    raw = make_token(world.owner, ["plans:read"])
    url = f"/api/persons/{world.person.pk}/plans/1/goals/"
    for body in ("{ikke json", '{"text": 17, "ukjent": []}', "{}"):
        response = client.post(url, body, content_type="application/json", **bearer(raw))
        assert response.status_code == 403, body
        assert "plans:write" in response.json()["detail"]
    assert AuditEvent.all_objects.filter(object_type="api", outcome="refused").count() == 3
    # With the scope, the same bad body is a 400 or 422 as before.
    full = make_token(world.owner)
    response = client.post(url, "{ikke json", content_type="application/json", **bearer(full))
    assert response.status_code in (400, 422)
