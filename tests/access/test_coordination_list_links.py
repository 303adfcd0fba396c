"""The coordinating unit's lists behind its overview name every person for the unit's
administration, but link a name to the person's pages only where the guard would open
them: no link the application draws ends in a refusal."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mestring.plans.models import CoordinatorAssignment, CoordinatorProfile
from tests import factories
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def test_a_name_links_only_where_the_person_opens(world, client_for):
    municipality = world.municipality
    CoordinatorProfile.all_objects.create(municipality=municipality, staff=world.owner)
    known = factories.PersonFactory(municipality=municipality, family_name="Kjentmann")
    stranger = factories.PersonFactory(municipality=municipality, family_name="Fremmedsen")
    for person in (known, stranger):
        CoordinatorAssignment.all_objects.create(
            municipality=municipality,
            person=person,
            coordinator=world.owner,
            started_on=datetime.date(2024, 2, 1),
        )
    lead = make_staff(municipality, "leder_ke", "ke-leder")
    factories.grant_relation(lead, known)
    client = client_for(lead)

    body = client.get(reverse("reports:coordination_list", args=["koordinatorer"])).content
    page = body.decode()

    assert "Kjentmann" in page and "Fremmedsen" in page
    assert f'href="{reverse("people:overview", args=[known.pk])}"' in page
    assert reverse("people:overview", args=[stranger.pk]) not in page
    assert client.get(reverse("people:overview", args=[known.pk])).status_code == 200
    assert client.get(reverse("people:overview", args=[stranger.pk])).status_code == 403
