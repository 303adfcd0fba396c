from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.casework.models import Case
from mestring.referrals.models import Referral
from mestring.rehab.models import EVERYDAY_REHAB, Episode, Programme
from tests import factories
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


def test_start_page_counts_the_queues_and_own_work_with_links_that_open(world, client_for):
    lead = make_staff(world.municipality, "leder_ke", "ke-leder")
    others = [factories.PersonFactory(municipality=world.municipality) for _ in range(4)]
    for person, kind, caseworker in (
        (others[0], "tjeneste", None),
        (others[1], "tjeneste", None),
        (others[2], "ip_koordinator", None),
        (others[3], "ip_koordinator", lead),
    ):
        Case.all_objects.create(
            municipality=world.municipality,
            person=person,
            kind=kind,
            received_on="2026-11-01",
            caseworker=caseworker,
        )
    Referral.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        source="nav",
        received_on="2026-11-01",
        description="x",
        status="mottatt",
    )
    client = client_for(lead)
    response = client.get(reverse("core:home"))
    waiting = response.context["waiting"]
    assert (
        waiting["messages_unassigned"],
        waiting["services_unassigned"],
        waiting["plans_unassigned"],
        waiting["my_cases"],
    ) == (1, 2, 1, 1)
    body = response.content.decode()
    for query, count in (("ufordelt_tjenester", 2), ("ufordelt_plan", 1), ("mine", 1)):
        assert f'href="/saker/?vis={query}"' in body
        listed = client.get("/saker/", {"vis": query}).context["page"].object_list
        assert len(listed) == count
    assert client.get("/meldinger/", {"vis": "ufordelte"}).status_code == 200
    assert response.context["rehab_waiting"] == []  # not a rehabilitation role

    # A therapist: referrals waiting on the programme the therapist's unit runs.
    unit = factories.UnitFactory(municipality=world.municipality)
    programme = Programme.all_objects.get(municipality=world.municipality, code=EVERYDAY_REHAB)
    programme.unit = unit
    programme.save()
    for status in ("henvist", "venter", "pagar"):
        Episode.all_objects.create(
            municipality=world.municipality,
            person=world.person,
            programme=programme,
            status=status,
            referral_date="2026-11-01",
            referral_source="fastlege",
        )
    therapist = make_staff(world.municipality, "tjenesteyter", "terapeut")
    therapist.units.add(unit)
    page = client_for(therapist).get(reverse("core:home"))
    assert page.context["rehab_waiting"] == [(programme, 2)]
    assert f'href="/rehabilitering/venteliste/?program={programme.code}"' in (page.content.decode())
    assert "messages_unassigned" not in page.context["waiting"]
