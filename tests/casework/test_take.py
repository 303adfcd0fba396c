"""The intake queues of the case list: an application nobody has taken (one sent from
Min side, say) is taken ("Ta saken") or given to a colleague ("Fordel til"), which opens
the person's record to the caseworker for as long as the case is open. Nobody needs
emergency access for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent, Block, CareRelation, EmergencyAccess
from mestring.casework.models import Case
from tests import factories
from tests.casework.helpers import apply
from tests.casework.service_helpers import register

pytestmark = pytest.mark.django_db

LIST = "/saker/"


def take_url(case: Case) -> str:
    return reverse("casework:case_take", args=[case.pk])


def detail_url(case: Case) -> str:
    return reverse("casework:case_detail", args=[case.person_id, case.pk])


def caseworker_relations(case: Case):
    return CareRelation.all_objects.filter(
        person=case.person, kind="saksbehandler", valid_to__isnull=True
    )


def test_the_take_url_is_norwegian():
    assert reverse("casework:case_take", args=[4]) == "/saker/4/ta/"


def test_each_office_has_its_queue(world, lead, client_for):
    service_case = register(lead, world.person, ["hjemmesykepleie"], caseworker=None)
    plan_case = apply(lead, factories.PersonFactory(municipality=world.municipality))
    apply(lead, factories.PersonFactory(municipality=world.municipality), caseworker=lead)
    client = client_for(world.caseworker)
    body = client.get(LIST).content.decode()
    assert "Ikke fordelt: tjenester (1)" in body
    assert "Ikke fordelt: individuell plan og koordinator (1)" in body
    services_queue = client.get(LIST, {"vis": "ufordelt_tjenester"})
    assert [c.pk for c in services_queue.context["page"].object_list] == [service_case.pk]
    plan_queue = client.get(LIST, {"vis": "ufordelt_plan"})
    assert [c.pk for c in plan_queue.context["page"].object_list] == [plan_case.pk]
    assert take_url(plan_case) in plan_queue.content.decode()
    assert "Ta saken" in plan_queue.content.decode()


def test_a_caseworker_takes_a_case_nobody_could_open(world, lead, client_for):
    case = register(lead, world.person, ["hjemmesykepleie"], caseworker=None)
    client = client_for(world.caseworker)
    assert client.get(detail_url(case)).status_code == 403
    assert take_url(case) in client.get(LIST).content.decode()

    response = client.post(take_url(case))

    assert response.status_code == 302 and response.url == detail_url(case)
    case.refresh_from_db()
    assert case.caseworker == world.caseworker
    assert [r.staff for r in caseworker_relations(case)] == [world.caseworker]
    assert client.get(detail_url(case)).status_code == 200
    assert client.get(f"/personer/{world.person.pk}/").status_code == 200
    assert not EmergencyAccess.all_objects.exists()
    event = AuditEvent.all_objects.filter(action="assign", object_type="case").get()
    assert (event.object_id, event.person_id) == (str(case.pk), world.person.pk)
    # Taken: off the queue, and no take button for it any more.
    assert take_url(case) not in client.get(LIST).content.decode()


def test_a_case_is_given_to_a_colleague(world, lead, client_for):
    case = apply(lead, world.person)
    client = client_for(world.caseworker)

    response = client.post(take_url(case), {"staff": lead.pk, "vis": "ufordelt_plan"})

    assert response.status_code == 302 and response.url == f"{LIST}?vis=ufordelt_plan"
    case.refresh_from_db()
    assert case.caseworker == lead
    assert [r.staff for r in caseworker_relations(case)] == [lead]
    assert "Saken er fordelt til Liv Leder." in client.get(LIST).content.decode()
    assert client.get(detail_url(case)).status_code == 403


def test_a_case_taken_a_moment_before_is_not_taken_again(world, lead, client_for):
    case = apply(lead, world.person)
    client_for(lead).post(take_url(case))
    client = client_for(world.caseworker)
    client.post(take_url(case))
    case.refresh_from_db()
    assert case.caseworker == lead
    assert [r.staff for r in caseworker_relations(case)] == [lead]
    assert "allerede fordelt" in client.get(LIST).content.decode()


@pytest.mark.parametrize("who", ["outsider", "owner", "read_only", "admin"])
def test_only_the_casework_roles_may_take(world, lead, client_for, who):
    case = apply(lead, world.person)
    assert client_for(getattr(world, who)).post(take_url(case)).status_code == 403
    case.refresh_from_db()
    assert case.caseworker is None


def test_a_case_is_given_only_to_someone_who_does_casework(world, lead, client_for):
    case = apply(lead, world.person)
    client = client_for(world.caseworker)
    client.post(take_url(case), {"staff": world.outsider.pk})
    case.refresh_from_db()
    assert case.caseworker is None
    assert "Velg en ansatt fra listen." in client.get(LIST).content.decode()


def test_nobody_the_person_has_blocked_is_given_the_case(world, lead, client_for):
    case = apply(lead, world.person)
    Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.caseworker
    )
    client = client_for(world.caseworker)
    client.post(take_url(case))
    case.refresh_from_db()
    assert case.caseworker is None
    assert not caseworker_relations(case).exists()


def test_a_case_of_another_municipality_is_not_found(world, client_for):
    other = factories.make_municipality("9002", "Nabokommune")
    stranger = factories.PersonFactory(municipality=other)
    their_lead = factories.StaffFactory(municipality=other, user__username="nabo-leder")
    factories.give_role(their_lead, "leder_ke")
    case = apply(their_lead, stranger)
    assert client_for(world.caseworker).post(take_url(case)).status_code == 404
    case.refresh_from_db()
    assert case.caseworker is None
