"""A user of municipality A can neither see nor change a row of municipality B."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from mestring.access.models import CareRelation, EmergencyAccess
from mestring.people.models import Person, Staff, Unit
from mestring.tenancy.context import NoActiveMunicipality, activate
from mestring.tenancy.models import CrossMunicipalityWrite
from tests import factories
from tests.conftest import make_staff
from tests.urlwalk import all_routes

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(world):
    """Municipality B with its own rows, and a relation from A's staff user there too."""
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    person_b = factories.PersonFactory(municipality=municipality_b, family_name="Bortenfor")
    unit_b = factories.UnitFactory(municipality=municipality_b, name="Enhet i B")
    staff_b = make_staff(municipality_b, "tjenesteyter", "ansatt-b")
    # Even a (mistaken) relation row pointing A's staff at B's person must not open it.
    CareRelation.all_objects.create(
        municipality=municipality_b, person=person_b, staff=world.owner, kind="manuell", reason="x"
    )
    return {"person_id": person_b.pk, "unit_id": unit_b.pk, "staff_id": staff_b.pk}


def _ids_for(route, ids):
    return {name: ids[name] for name in route.params if name in ids}


def test_every_page_with_an_id_refuses_rows_of_another_municipality(world, client_for, other):
    # A's administrator and owner together hold every permission a page asks for.
    clients = [client_for(world.admin), client_for(world.owner), client_for(world.caseworker)]
    checked = 0
    for route in all_routes():
        kwargs = _ids_for(route, other)
        if not kwargs or len(kwargs) != len(route.params):
            continue
        try:
            url = reverse(route.name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        for client in clients:
            for method in ("get", "post"):
                data = {
                    "name": "Endret",
                    "family_name": "Endret",
                    "reason": "akutt_helsehjelp",
                    "explanation": "Forsøk",
                    "confirm_override": "on",
                }
                response = getattr(client, method)(url, data)
                allowed = (403, 404, 405)
                if method == "get" and getattr(resolve(url).func, "person_guard_exempt", False):
                    allowed = (200,)  # the emergency form, which shows nothing about anyone
                assert response.status_code in allowed, (route.name, method, response.status_code)
                assert b"Bortenfor" not in response.content
                assert b"Enhet i B" not in response.content
        checked += 1
    assert checked >= 5
    assert Person.all_objects.get(pk=other["person_id"]).family_name == "Bortenfor"
    assert Unit.all_objects.get(pk=other["unit_id"]).name == "Enhet i B"
    assert not EmergencyAccess.all_objects.exists()
    assert not EmergencyAccess.all_objects.exists()


def test_lists_and_search_show_no_rows_of_another_municipality(world, client_for, other):
    admin = client_for(world.admin)
    assert b"Enhet i B" not in admin.get(reverse("people:unit_list")).content
    assert b"ansatt-b" not in admin.get(reverse("people:staff_list"), {"q": "ansatt"}).content
    caseworker = client_for(world.caseworker)
    response = caseworker.get(reverse("people:search"), {"q": "Bortenfor"})
    assert response.context["page"].paginator.count == 0


def test_scoped_manager_sees_only_the_active_municipality(world, other):
    with activate(world.municipality):
        assert not Person.objects.filter(pk=other["person_id"]).exists()
        assert Person.objects.filter(pk=world.person.pk).exists()
        assert Staff.objects.filter(pk=other["staff_id"]).count() == 0


def test_scoped_queries_outside_a_municipality_fail_loudly(world):
    with pytest.raises(NoActiveMunicipality):
        list(Person.objects.all())


def test_saving_a_row_of_another_municipality_is_refused(world, other):
    with activate(world.municipality):
        person_b = Person.all_objects.get(pk=other["person_id"])
        person_b.family_name = "Endret"
        with pytest.raises(CrossMunicipalityWrite):
            person_b.save()


def test_user_with_two_municipalities_works_in_one_at_a_time(world, client_for, other):
    staff_b = factories.StaffFactory(
        municipality=Person.all_objects.get(pk=other["person_id"]).municipality,
        user=world.caseworker.user,
    )
    factories.give_role(staff_b, "saksbehandler")
    client = client_for(world.caseworker)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and response.url == reverse("tenancy:choose")
    client.post(reverse("tenancy:choose"), {"staff": staff_b.pk})
    found = client.get(reverse("people:search"), {"q": "Bortenfor"})
    assert found.context["page"].paginator.count == 1
    client.post(reverse("tenancy:choose"), {"staff": world.caseworker.pk})
    again = client.get(reverse("people:search"), {"q": "Bortenfor"})
    assert again.context["page"].paginator.count == 0
    # A staff id of someone else is ignored.
    client.post(reverse("tenancy:choose"), {"staff": other["staff_id"]})
    assert (
        client.get(reverse("people:search"), {"q": "Bortenfor"}).context["page"].paginator.count
        == 0
    )
