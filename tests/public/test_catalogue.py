"""The public service catalogue: open without login, only active services and
approved organisations with their coming events, no person data, fixed queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.catalogue.models import Service
from mestring.public.models import OrganisationStatus, PublicProfile
from mestring.tenancy.context import activate
from tests import factories
from tests.public.helpers import make_event, make_org

pytestmark = pytest.mark.django_db


def catalogue_url(number: str) -> str:
    return reverse("public:catalogue", args=[number])


def test_catalogue_answers_without_login_and_shows_active_services_only(world, client):
    services = Service.all_objects.filter(municipality=world.municipality)
    active = services.get(code="hverdagsrehabilitering")
    inactive = services.get(code="trygghetsalarm")
    inactive.is_active = False
    inactive.save()
    response = client.get(catalogue_url("9001"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb"' in html
    assert active.name in html
    assert inactive.name not in html
    assert reverse("public:service_detail", args=["9001", active.code]) in html
    assert "Hjelp til å komme i gang igjen hjemme" in html  # pyramid level 2 in plain words
    # The staff menu is never on a public page, and no person data is either.
    assert "Hovedmeny" not in html
    assert world.person.family_name not in html


@pytest.mark.parametrize("number", ["9999", "abcd", "90011"])
def test_unknown_municipality_is_404(world, client, number):
    assert client.get(catalogue_url(number)).status_code == 404
    url = reverse("public:organisation_register", args=[number])
    assert client.get(url).status_code == 404


def test_service_detail_shows_only_active_services(world, client):
    service = Service.all_objects.get(
        municipality=world.municipality, code="hverdagsrehabilitering"
    )
    service.description = "Trening hjemme sammen med fysioterapeut og ergoterapeut."
    service.how_to_apply = "Send søknad til tjenestekontoret."
    service.save()
    response = client.get(reverse("public:service_detail", args=["9001", service.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trening hjemme sammen med fysioterapeut" in html
    assert "Send søknad til tjenestekontoret." in html
    service.is_active = False
    service.save()
    assert (
        client.get(reverse("public:service_detail", args=["9001", service.code])).status_code == 404
    )
    assert (
        client.get(reverse("public:service_detail", args=["9001", "finnes-ikke"])).status_code
        == 404
    )


def test_service_of_another_municipality_is_not_found(world, client):
    factories.make_municipality("9002", "Annenkommune")
    Service.all_objects.filter(municipality=world.municipality, code="dagplass").delete()
    response = client.get(reverse("public:service_detail", args=["9001", "dagplass"]))
    assert response.status_code == 404
    assert (
        client.get(reverse("public:service_detail", args=["9002", "dagplass"])).status_code == 200
    )


def test_only_approved_organisations_and_their_coming_events_are_shown(world, client):
    approved = make_org(world.municipality, name="Godkjent lag")
    make_org(world.municipality, name="Ventende lag", status=OrganisationStatus.PENDING)
    make_org(world.municipality, name="Avvist lag", status=OrganisationStatus.REJECTED)
    other = factories.make_municipality("9002", "Annenkommune")
    make_org(other, name="Lag i nabokommunen")
    make_event(approved, "Sommertreff", 10)
    make_event(approved, "Gammelt treff", -1)
    html = client.get(catalogue_url("9001")).content.decode()
    assert "Godkjent lag" in html
    assert "Sommertreff" in html
    assert "Gammelt treff" not in html
    assert "Ventende lag" not in html
    assert "Avvist lag" not in html
    assert "Lag i nabokommunen" not in html
    assert "Lag i nabokommunen" in client.get(catalogue_url("9002")).content.decode()


def test_profile_and_coordinating_unit_are_shown(world, client):
    unit = factories.UnitFactory(
        municipality=world.municipality, name="Koordinerende enhet", phone="99 88 77 66"
    )
    with activate(world.municipality):
        PublicProfile.objects.create(
            intro="Velkommen til Testkommune.", coordinating_unit=unit, opening_hours="08–15"
        )
    html = client.get(catalogue_url("9001")).content.decode()
    assert "Velkommen til Testkommune." in html
    assert "Koordinerende enhet" in html
    assert "99 88 77 66" in html  # the unit's phone when the profile has none
    assert "08–15" in html


def test_staff_of_one_municipality_sees_the_public_page_of_another(world, client_for):
    other = factories.make_municipality("9002", "Annenkommune")
    make_org(other, name="Lag i nabokommunen")
    make_org(world.municipality, name="Lag hjemme")
    html = client_for(world.owner).get(catalogue_url("9002")).content.decode()
    assert "Lag i nabokommunen" in html
    assert "Lag hjemme" not in html


def test_municipality_list(world, client):
    response = client.get(reverse("public:municipality_list"))
    assert response.status_code == 200
    assert catalogue_url("9001") in response.content.decode()


def test_catalogue_needs_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for index in range(12):
        organisation = make_org(world.municipality, name=f"Lag {index}")
        for day in range(3):
            make_event(organisation, f"Treff {index}-{day}", day + 1)
    with django_assert_max_num_queries(5):
        response = client.get(catalogue_url("9001"))
    assert response.content.decode().count("Treff 11-") == 3
    service = Service.all_objects.filter(municipality=world.municipality).first()
    with django_assert_max_num_queries(3):
        client.get(reverse("public:service_detail", args=["9001", service.code]))
