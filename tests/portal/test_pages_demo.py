"""The demo builder for the citizen's pages makes believable data once."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from mestring.portal.demo_pages import build_portal_pages_demo
from mestring.portal.models import CitizenComment, Message
from mestring.tenancy.context import activate
from tests.portal.pages_helpers import citizen_client, make_plan_world

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_shows_on_the_pages(world, client_for):
    make_plan_world(world)
    with activate(world.municipality):
        build_portal_pages_demo(random.Random(1), [world.person], world.owner, timezone.localdate())
        counts = (CitizenComment.objects.count(), Message.objects.count())
        build_portal_pages_demo(random.Random(1), [world.person], world.owner, timezone.localdate())
        assert (CitizenComment.objects.count(), Message.objects.count()) == counts
    assert counts[0] == 3 and counts[1] >= 3
    assert citizen_client(world.person).get(reverse("portal:plan")).status_code == 200
    response = client_for(world.owner).get(reverse("portal:staff_inbox"))
    assert world.person.family_name in response.content.decode()
