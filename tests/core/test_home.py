from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.referrals.models import Referral
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


def test_start_page_counts_what_waits(world, client_for):
    lead = make_staff(world.municipality, "leder_ke", "ke-leder")
    for status in ("mottatt", "under_vurdering", "avsluttet"):
        Referral.all_objects.create(
            municipality=world.municipality,
            person=world.person,
            source="nav",
            received_on="2026-11-01",
            description="x",
            status=status,
        )
    response = client_for(lead).get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["waiting"]["messages"] == 2
    assert response.context["waiting"]["reviews"] == 0
    owner = client_for(world.owner).get(reverse("core:home"))
    assert owner.context["waiting"]["my_persons"] == 1
    assert "messages" not in owner.context["waiting"]
    # no person data on the start page
    assert b"Skjermesen" not in owner.content
