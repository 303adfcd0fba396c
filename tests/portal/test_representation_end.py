"""(M6) A relative's right to act can be ended and corrected: by staff who register
persons (with a care relation to the person), and by the person for a power of attorney
they gave. An ended right stops giving the relative access at once."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.people.models import Relative, RepresentationChange
from mestring.portal import oidc
from mestring.portal.representation import representations
from mestring.tenancy.context import activate
from tests import factories
from tests.conftest import login
from tests.portal.login_helpers import dev_login
from tests.portal.pages_helpers import citizen_client, make_attorney

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dev_provider(settings):
    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = ""
    settings.MESTRING_OIDC_MIN_ACR = "idporten-loa-high"
    oidc.clear_cache()
    yield
    oidc.clear_cache()


@pytest.fixture
def attorney(world) -> Relative:
    return make_attorney(world.person, name="Fred Fullmektig")


@pytest.fixture
def registrar(world):
    """The caseworker (role with person.register) with a care relation to the person."""
    factories.grant_relation(world.caseworker, world.person)
    return login(Client(), world.caseworker)


def _relative_client(world, relative: Relative) -> Client:
    return citizen_client(world.person, national_id=relative.national_id, name=relative.name)


def _may_act(world, relative: Relative) -> bool:
    with activate(world.municipality):
        return any(r.person == world.person for r in representations(relative.national_id))


def _end_url(world, relative: Relative) -> str:
    return reverse("people:representation_end", args=[world.person.pk, relative.pk])


def _correct_url(world, relative: Relative) -> str:
    return reverse("people:representation_correct", args=[world.person.pk, relative.pk])


# --- Staff


@pytest.mark.attack
def test_staff_ends_a_right_to_act_and_the_relative_is_refused_at_once(world, attorney, registrar):
    """(M6) Staff who register persons end a power of attorney with a reason; the
    relative's open session is refused on the next request and a new login finds
    nothing to act for."""
    relative_client = _relative_client(world, attorney)
    assert relative_client.get(reverse("portal:plan")).status_code == 200

    response = registrar.post(
        _end_url(world, attorney), {"reason": "Fullmakten er trukket tilbake skriftlig."}
    )
    assert response.status_code == 302
    attorney.refresh_from_db()
    assert attorney.acting_ended_at is not None
    change = RepresentationChange.all_objects.get(relative=attorney)
    assert change.kind == "avsluttet" and change.changed_by == world.caseworker.user
    assert change.reason == "Fullmakten er trukket tilbake skriftlig."
    event = AuditEvent.all_objects.filter(object_type="representation", action="end").get()
    assert (event.action, event.outcome, event.person_id) == ("end", "allowed", world.person.pk)
    assert event.user == world.caseworker.user

    refused = relative_client.get(reverse("portal:plan"))
    assert refused.status_code == 302 and refused["Location"] == reverse("portal:choose")
    assert not _may_act(world, attorney)
    fresh = Client()
    dev_login(fresh, kommune="9001", som=f"relative:{attorney.pk}")
    assert fresh.get(reverse("portal:plan")).status_code == 302
    overview = registrar.get(reverse("people:overview", args=[world.person.pk])).content.decode()
    assert "avsluttet" in overview


def test_ending_needs_a_reason(world, attorney, registrar):
    response = registrar.post(_end_url(world, attorney), {"reason": "   "})
    assert response.status_code == 400
    assert "Skriv en begrunnelse." in response.content.decode()
    attorney.refresh_from_db()
    assert attorney.acting_ended_at is None and _may_act(world, attorney)


def test_ending_twice_is_a_plain_error(world, attorney, registrar):
    registrar.post(_end_url(world, attorney), {"reason": "Avsluttet"})
    again = registrar.post(_end_url(world, attorney), {"reason": "Igjen"})
    assert again.status_code == 400
    assert "er avsluttet" in again.content.decode()
    assert RepresentationChange.all_objects.count() == 1


@pytest.mark.attack
def test_staff_without_the_permission_or_the_care_relation_are_refused(world, attorney):
    """(M6) Only those who register persons, and only for a person they may change."""
    coordinator = login(Client(), world.owner)  # care relation, but no person.register
    assert coordinator.post(_end_url(world, attorney), {"reason": "x"}).status_code == 403
    assert (
        coordinator.post(
            _correct_url(world, attorney), {"acting_basis": "vergemål", "reason": "x"}
        ).status_code
        == 403
    )
    refusals = AuditEvent.all_objects.filter(outcome="refused", user=world.owner.user)
    assert refusals.count() == 2 and {e.person_id for e in refusals} == {world.person.pk}
    caseworker = login(Client(), world.caseworker)  # permission, but no care relation
    assert caseworker.post(_end_url(world, attorney), {"reason": "x"}).status_code == 403
    attorney.refresh_from_db()
    assert attorney.acting_ended_at is None and attorney.acting_basis == "fullmakt"
    assert not RepresentationChange.all_objects.exists()


def test_a_relative_of_another_person_is_not_found(world, attorney, registrar):
    other = factories.PersonFactory(municipality=world.municipality)
    stranger = make_attorney(other, name="Annen Fullmektig")
    response = registrar.post(_end_url(world, stranger), {"reason": "x"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.acting_ended_at is None


@pytest.mark.attack
def test_staff_correct_the_kind_and_the_last_day(world, attorney, registrar):
    """(M6) A wrongly registered right is corrected (kind and last day) with a reason,
    audited; after its last day the relative is refused."""
    last_day = timezone.localdate() + datetime.timedelta(days=10)
    response = registrar.post(
        _correct_url(world, attorney),
        {
            "acting_basis": "vergemål",
            "acting_until": last_day.strftime("%d.%m.%Y"),
            "reason": "Registrert som fullmakt, men er vergemål til vedtaket utløper.",
        },
    )
    assert response.status_code == 302
    attorney.refresh_from_db()
    assert (attorney.acting_basis, attorney.acting_until) == ("vergemål", last_day)
    change = RepresentationChange.all_objects.get()
    assert (change.kind, change.basis_before, change.basis_after) == (
        "rettet",
        "fullmakt",
        "vergemål",
    )
    assert (change.until_before, change.until_after) == (None, last_day)
    assert AuditEvent.all_objects.filter(object_type="representation", action="update").count() == 1
    assert _may_act(world, attorney)
    relative_client = _relative_client(world, attorney)
    assert relative_client.get(reverse("portal:plan")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11), tick=False):
        assert not _may_act(world, attorney)
        refused = relative_client.get(reverse("portal:plan"))
        assert refused.status_code == 302


def test_correction_rules_are_form_errors(world, attorney, registrar):
    url = _correct_url(world, attorney)
    past = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    cases = [
        ({"acting_basis": "fullmakt", "reason": "x"}, "Ingenting er endret."),
        ({"acting_basis": "", "reason": "x"}, "Velg hva retten bygger på."),
        ({"acting_basis": "tull", "reason": "x"}, "Velg hva retten bygger på."),
        ({"acting_basis": "vergemål", "reason": ""}, "Skriv en begrunnelse."),
        ({"acting_basis": "vergemål", "acting_until": "31.02.2026", "reason": "x"}, "dd.mm.åååå"),
        ({"acting_basis": "fullmakt", "acting_until": past, "reason": "x"}, "tilbake i tid"),
    ]
    for data, message in cases:
        response = registrar.post(url, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    attorney.refresh_from_db()
    assert attorney.acting_basis == "fullmakt" and attorney.acting_until is None
    assert not RepresentationChange.all_objects.exists()


# --- The person on Min side


@pytest.mark.attack
def test_person_ends_a_power_of_attorney_from_min_side(world, attorney):
    """(M6) The person ends the power of attorney they gave; the relative is refused
    on the next request."""
    relative_client = _relative_client(world, attorney)
    assert relative_client.get(reverse("portal:home")).status_code == 200
    client = citizen_client(world.person)
    page = client.get(reverse("portal:consent")).content.decode()
    url = reverse("portal:power_of_attorney_end", args=[attorney.pk])
    assert "Fred Fullmektig" in page and url in page

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200
    assert "Skriv hvorfor du avslutter fullmakten." in empty.content.decode()
    response = client.post(url, {"reason": "Jeg klarer meg selv nå."})
    assert response.status_code == 302 and response["Location"] == reverse("portal:consent")
    attorney.refresh_from_db()
    assert attorney.acting_ended_at is not None
    change = RepresentationChange.all_objects.get()
    assert change.by_person and change.changed_by is None
    assert change.changed_by_name == world.person.full_name
    event = AuditEvent.all_objects.filter(object_type="representation", action="end").get()
    assert (event.purpose, event.person_id, event.username) == (
        "citizen",
        world.person.pk,
        world.person.full_name,
    )

    refused = relative_client.get(reverse("portal:home"))
    assert refused.status_code == 302 and refused["Location"] == reverse("portal:choose")
    assert not _may_act(world, attorney)
    assert client.get(url).status_code == 404  # nothing left to end


def test_a_relative_cannot_end_a_right_on_the_persons_behalf(world, attorney):
    other = make_attorney(world.person, name="Grete Fullmektig")
    relative_client = _relative_client(world, attorney)
    url = reverse("portal:power_of_attorney_end", args=[other.pk])
    assert relative_client.post(url, {"reason": "Vil ikke dele"}).status_code == 404
    other.refresh_from_db()
    assert other.acting_ended_at is None


def test_the_person_cannot_end_a_guardianship_or_anothers_attorney(world):
    guardian = factories.RelativeFactory(
        person=world.person, name="Vera Verge", relation="verge", acting_basis="vergemål"
    )
    other = factories.PersonFactory(municipality=world.municipality)
    stranger = make_attorney(other, name="Annen Fullmektig")
    client = citizen_client(world.person)
    for relative in (guardian, stranger):
        url = reverse("portal:power_of_attorney_end", args=[relative.pk])
        assert client.post(url, {"reason": "x"}).status_code == 404
    page = client.get(reverse("portal:consent")).content.decode()
    assert "Vera Verge" in page
    assert reverse("portal:power_of_attorney_end", args=[guardian.pk]) not in page
    assert not RepresentationChange.all_objects.exists()


@pytest.mark.attack
def test_only_those_who_register_persons_record_a_right_to_act(world, registrar):
    """(M6) A colleague with only a care relation cannot give someone a right to act
    (and so the person's Min side); the relative is saved without it."""
    other = factories.PersonFactory.build(birth_date=datetime.date(1970, 5, 5))
    url = reverse("people:relative_add", args=[world.person.pk])
    data = {
        "name": "Ola Nabo",
        "relation": "venn",
        "acting_basis": "fullmakt",
        "national_id": other.national_id,
    }
    coordinator = login(Client(), world.owner)
    assert "acting_basis" not in coordinator.get(url).content.decode()
    assert coordinator.post(url, data).status_code == 302
    added = Relative.all_objects.get(name="Ola Nabo")
    assert added.acting_basis == "" and not _may_act(world, added)

    data["name"] = "Kari Fullmektig"
    assert registrar.post(url, data).status_code == 302
    registered = Relative.all_objects.get(name="Kari Fullmektig")
    assert registered.acting_basis == "fullmakt" and _may_act(world, registered)


def test_the_service_refuses_a_right_to_act_without_the_permission(world):
    from mestring.register import services as people_services
    from tests.plans.helpers import actor_for

    with activate(world.municipality), pytest.raises(people_services.RepresentationError):
        people_services.relative_add(
            actor=actor_for(world.owner),
            person=world.person,
            data={"name": "X", "relation": "venn", "acting_basis": "fullmakt"},
        )
    assert not Relative.all_objects.filter(name="X").exists()
