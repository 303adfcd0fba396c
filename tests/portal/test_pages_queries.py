"""The citizen's pages run a fixed number of queries whatever the amount of data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mestring.plans import services as plan_services
from mestring.tenancy.context import activate
from tests import factories
from tests.plans import helpers as plan_helpers
from tests.portal.pages_helpers import citizen_client, future, make_plan_world
from tests.teams import helpers as team_helpers

pytestmark = pytest.mark.django_db

PAGES = [
    "portal:home",
    "portal:plan",
    "portal:messages",
    "portal:decisions",
    "portal:consent",
    "portal:access_log",
]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    count = len(queries)  # read now: the next request clears the log
    assert response.status_code == 200
    return count


def _add_data(world, pw, group, client, n: int) -> None:
    actor = plan_helpers.actor_for(world.owner)
    provider = team_helpers.make_provider(world, username=f"fysio{n}")
    team_helpers.add_provider(world, group, provider)
    team_helpers.make_meeting(world, group, starts_at=future(n + 1))
    held = team_helpers.make_meeting(world, group)
    held.status, held.minutes = "avholdt", f"Referat {n}"
    held.save()
    with activate(world.municipality):
        goal = plan_services.goal_add(actor=actor, plan=pw.plan, text=f"Mål {n}")
        measure = plan_services.measure_add(
            actor=actor,
            plan=pw.plan,
            data={"title": f"Tiltak {n}", "goal": goal, "responsible_staff": provider},
        )
        plan_services.measure_add(
            actor=actor,
            plan=pw.plan,
            data={"title": f"Løst tiltak {n}", "responsible_other": "Datteren"},
        )
    client.post(reverse("portal:goal_comment", args=[goal.pk]), {"text": f"K {n}"})
    client.post(reverse("portal:measure_comment", args=[measure.pk]), {"text": f"T {n}"})
    client.post(reverse("portal:what_matters"), {"text": f"Viktig {n}"})
    client.post(reverse("portal:goal_propose"), {"text": f"Forslag {n}"})
    client.post(reverse("portal:messages"), {"body": f"Melding {n}"})
    client.post(reverse("portal:consent"), {"kind": "deling", "scope": f"Deling {n}"})
    client.post(reverse("portal:block_request"), {"text": f"Sperr {n}"})
    client.post(reverse("portal:apply"), {"what": "koordinator"})
    plan_helpers.make_decision(world.person, world.owner)
    factories.PersonFactory(municipality=world.municipality)


def test_page_queries_do_not_grow(world):
    pw = make_plan_world(world)
    group = team_helpers.make_group(world)
    client = citizen_client(world.person)
    _add_data(world, pw, group, client, 0)
    client.get(reverse("portal:home"))
    small = {name: _count(client, reverse(name)) for name in PAGES}
    for n in range(1, 5):
        _add_data(world, pw, group, client, n)
    large = {name: _count(client, reverse(name)) for name in PAGES}
    assert large == small
    page = client.get(reverse("portal:plan")).content.decode()
    assert "Mål 4" in page and "Løst tiltak 4" in page and "Referat 4" in page
