"""(L10) Nothing a logged-in person sees, and nothing from the API, may be kept in a cache:
every such response carries `Cache-Control: no-store`, unless the view chose its own
Cache-Control; public pages without a login are left alone."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from mestring.core.middleware import NoStoreMiddleware
from tests.actionplan.helpers import make_plan as make_action_plan
from tests.actionplan.helpers import planner_editor
from tests.api.helpers import bearer, make_token
from tests.portal.pages_helpers import citizen_client

pytestmark = [pytest.mark.django_db, pytest.mark.attack]


def assert_no_store(response) -> None:
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"


def test_staff_pages_downloads_and_the_token_page_are_not_stored(world, client_for):
    editor = planner_editor(world)
    plan, _goals, _actions = make_action_plan(editor)
    owner = client_for(world.owner)
    assert_no_store(owner.get(reverse("people:overview", args=[world.person.pk])))
    planner = client_for(world.read_only)
    assert_no_store(planner.get(reverse("actionplan:plan_pdf", args=[plan.pk])))
    assert_no_store(planner.get(reverse("actionplan:plan_xlsx", args=[plan.pk])))
    assert_no_store(
        planner.get(reverse("actionplan:plan_detail", args=[plan.pk]), {"format": "csv"})
    )
    # The page that shows a new API key once.
    created = owner.post(reverse("api:token_list"), {"name": "Test", "scopes": ["persons:read"]})
    assert_no_store(created)
    assert b'data-testid="new-token"' in created.content


def test_api_json_is_not_stored(world, client):
    response = client.get(f"/api/persons/{world.person.pk}/", **bearer(make_token(world.owner)))
    assert response["Content-Type"].startswith("application/json")
    assert_no_store(response)
    refused = client.get(f"/api/persons/{world.person.pk}/")
    assert "no-store" in refused["Cache-Control"]


def test_citizen_pages_are_not_stored(world):
    assert_no_store(citizen_client(world.person).get(reverse("portal:home")))


def test_public_pages_without_login_keep_their_caching(world, client):
    response = client.get(reverse("public:catalogue", args=[world.municipality.number]))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_view_that_sets_cache_control_keeps_it(world):
    def view(request):
        response = HttpResponse("ok")
        response["Cache-Control"] = "private, max-age=60"
        return response

    request = RequestFactory().get("/api/anything/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    response = NoStoreMiddleware(view)(request)
    assert response["Cache-Control"] == "private, max-age=60"
    assert not response.has_header("Pragma")
