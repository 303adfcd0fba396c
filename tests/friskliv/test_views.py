"""The frisklivsresept pages: the person's tab, register, start and end, refusals,
bad input, and the work list with a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.friskliv.models import Prescription
from tests import factories
from tests.friskliv.helpers import DAY, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(world, client_for):
    return client_for(world.owner)


def form_data(**extra: str) -> dict[str, str]:
    return {
        "referral_date": "02.03.2026",
        "reason": "overvekt",
        "referrer_kind": "fastlege",
        "referrer_name": "Legekontoret",
        "period_weeks": "12",
        "contact": "",
        **extra,
    }


def test_owner_registers_starts_and_ends_a_prescription(world, owner_client):
    url = reverse("friskliv:prescription_create", args=[world.person.pk])
    response = owner_client.post(url, form_data(), follow=True)
    prescription = Prescription.all_objects.get()
    detail = reverse("friskliv:prescription_detail", args=[world.person.pk, prescription.pk])
    assert response.redirect_chain[-1][0] == detail
    html = response.content.decode()
    assert "Frisklivsresepten er registrert." in html
    assert "Overvekt" in html and "Registrer helsesamtalen" in html
    assert prescription.contact == world.owner

    response = owner_client.post(
        detail,
        {"handling": "start", "start-start_date": "09.03.2026", "start-period_weeks": "12"},
        follow=True,
    )
    assert "reseptperioden har startet" in response.content.decode()
    response = owner_client.post(
        detail,
        {"handling": "avslutt", "slutt-ended_on": "01.06.2026", "slutt-completed": "ja"},
        follow=True,
    )
    assert "Frisklivsresepten er avsluttet." in response.content.decode()
    prescription.refresh_from_db()
    assert prescription.start_date == datetime.date(2026, 3, 9)
    assert (prescription.completed, prescription.ended_on) == (True, datetime.date(2026, 6, 1))

    tab = owner_client.get(reverse("friskliv:person_prescriptions", args=[world.person.pk]))
    assert tab.status_code == 200
    assert "Henvist 02.03.2026" in tab.content.decode()


def test_bad_input_keeps_what_was_typed(world, owner_client):
    url = reverse("friskliv:prescription_create", args=[world.person.pk])
    response = owner_client.post(
        url, form_data(referral_date="31.02.2026", reason="tull", period_weeks="x", contact="99999")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Datoen må skrives som dd.mm.åååå." in html
    assert 'value="31.02.2026"' in html
    assert "Velg en årsak fra listen." in html
    assert "Skriv et helt tall." in html
    assert not Prescription.all_objects.exists()


def test_rule_error_is_shown_on_the_form(world, owner_client):
    prescription = register(world.owner, world.person)
    detail = reverse("friskliv:prescription_detail", args=[world.person.pk, prescription.pk])
    response = owner_client.post(
        detail, {"handling": "avslutt", "slutt-ended_on": "02.03.2026", "slutt-completed": "ja"}
    )
    assert response.status_code == 200
    assert "kan ikke være gjennomført" in response.content.decode()
    assert 'value="02.03.2026"' in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"handling": "tull"},
        {"handling": "start", "start-start_date": "i går", "start-period_weeks": "-3"},
        {"handling": "avslutt", "slutt-ended_on": "", "slutt-completed": "kanskje"},
        {},
    ],
)
def test_junk_posts_never_500(world, owner_client, data):
    prescription = register(world.owner, world.person)
    detail = reverse("friskliv:prescription_detail", args=[world.person.pk, prescription.pk])
    assert owner_client.post(detail, data).status_code == 200
    prescription.refresh_from_db()
    assert prescription.status == "henvist"


def test_prescription_of_another_person_is_404(world, owner_client):
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    prescription = register(world.owner, other)
    url = reverse("friskliv:prescription_detail", args=[world.person.pk, prescription.pk])
    assert owner_client.get(url).status_code == 404


def test_outsider_is_refused(world, client_for):
    prescription = register(world.owner, world.person)
    client = client_for(world.outsider)
    urls = [
        reverse("friskliv:person_prescriptions", args=[world.person.pk]),
        reverse("friskliv:prescription_create", args=[world.person.pk]),
        reverse("friskliv:prescription_detail", args=[world.person.pk, prescription.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url, form_data()).status_code == 403
    assert Prescription.all_objects.count() == 1


def test_work_list_needs_the_permission(world, client_for):
    url = reverse("friskliv:prescription_list")
    assert client_for(world.read_only).get(url).status_code == 403
    assert client_for(world.owner).get(url).status_code == 403
    assert client_for(world.team_member).get(url).status_code == 200


def _many(world, count: int) -> None:
    for index in range(count):
        person = factories.PersonFactory(municipality=world.municipality)
        factories.grant_relation(world.owner, person)
        register(world.owner, person, on=DAY - datetime.timedelta(days=index))


def test_work_list_shows_open_prescriptions_in_fixed_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.caseworker)
    url = reverse("friskliv:prescription_list")
    _many(world, 3)
    with django_assert_max_num_queries(30) as few:
        response = client.get(url)
    assert response.status_code == 200
    _many(world, 25)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 28
    html = response.content.decode()
    assert "Frisklivsresepter som pågår" in html


def test_ended_prescriptions_leave_the_work_list(world, client_for, owner_client):
    prescription = register(world.owner, world.person)
    detail = reverse("friskliv:prescription_detail", args=[world.person.pk, prescription.pk])
    owner_client.post(
        detail, {"handling": "avslutt", "slutt-ended_on": "02.03.2026", "slutt-completed": "nei"}
    )
    response = client_for(world.caseworker).get(reverse("friskliv:prescription_list"))
    assert response.context["page"].paginator.count == 0
    assert "Ingen frisklivsresepter pågår." in response.content.decode()


@pytest.mark.attack
def test_work_list_names_only_whom_the_user_may_see_and_logs_each(
    world, client_for, django_assert_max_num_queries
):
    """(M5) The frisklivsresept work list shows a person's name and the prescription's
    reason only to staff with a care relation or in the unit of the prescription's
    contact; others see the row without name or reason; each name shown is logged."""
    person = factories.PersonFactory(municipality=world.municipality, family_name="Reseptsen")
    register(world.owner, person, reason="psykisk")
    url = reverse("friskliv:prescription_list")
    html = client_for(world.caseworker).get(url).content.decode()
    assert "Reseptsen" not in html and "Psykiske plager" not in html
    assert "Navn vises ikke" in html
    assert not AuditEvent.all_objects.filter(
        person=person, object_type="prescription_list"
    ).exists()
    # A colleague of the contact in the frisklivssentral sees the name, and it is logged.
    sentral = factories.UnitFactory(municipality=world.municipality, name="Frisklivssentralen")
    world.owner.units.add(sentral)
    world.caseworker.units.add(sentral)
    client = client_for(world.caseworker)
    client.get(url)  # warm caches
    with django_assert_max_num_queries(40) as few:
        html = client.get(url).content.decode()
    assert "Reseptsen" in html and "Psykiske plager" in html
    events = AuditEvent.all_objects.filter(person=person, object_type="prescription_list")
    assert events.filter(user=world.caseworker.user, reason_code="enhetens_arbeid").exists()
    # The number of queries does not grow with the names shown.
    _many(world, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Navn vises ikke") == 0
