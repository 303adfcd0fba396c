from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from mestring.access.models import AuditEvent, StaffRole
from mestring.people.models import Staff, Unit
from tests import factories

pytestmark = pytest.mark.django_db


def test_admin_creates_and_edits_a_unit(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        reverse("people:unit_create"), {"name": "PPT Vest", "kind": "ppt", "phone": "12345678"}
    )
    assert response.status_code == 302
    unit = Unit.all_objects.get(name="PPT Vest")
    assert unit.municipality == world.municipality and unit.kind == "ppt"
    client.post(reverse("people:unit_edit", args=[unit.pk]), {"name": "PPT Øst", "kind": "ppt"})
    unit.refresh_from_db()
    assert unit.name == "PPT Øst"
    actions = list(
        AuditEvent.all_objects.filter(object_type="unit", object_id=str(unit.pk)).values_list(
            "action", "purpose"
        )
    )
    assert actions == [("create", "administration"), ("update", "administration")]


def test_unit_form_errors_keep_input_and_refuse_duplicate_names(world, client_for):
    client = client_for(world.admin)
    response = client.post(reverse("people:unit_create"), {"name": "", "contact_name": "Siri"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skriv inn navnet på enheten." in body and 'value="Siri"' in body
    response = client.post(
        reverse("people:unit_create"), {"name": "hjemmetjenesten", "kind": "intern"}
    )
    assert "Det finnes allerede en enhet med dette navnet." in response.content.decode()


def test_admin_creates_staff_with_units_and_roles(world, client_for):
    client = client_for(world.admin)
    unit = factories.UnitFactory(municipality=world.municipality, name="Fysio")
    role_ids = [
        r.pk
        for r in world.admin.role_assignments.model.role.field.related_model.all_objects.filter(
            municipality=world.municipality, code__in=["tjenesteyter", "koordinator"]
        )
    ]
    response = client.post(
        reverse("people:staff_create"),
        {
            "username": "ny.fysio",
            "first_name": "Nina",
            "last_name": "Nyansatt",
            "profession": "fysioterapeut",
            "hpr_number": "1234567",
            "units": [unit.pk],
            "roles": role_ids,
            "is_active": "on",
            "password": "et-langt-og-trygt-passord",
        },
    )
    assert response.status_code == 302
    staff = Staff.all_objects.get(user__username="ny.fysio")
    assert list(Unit.all_objects.filter(staff=staff)) == [unit]
    assert set(StaffRole.all_objects.filter(staff=staff).values_list("role_id", flat=True)) == set(
        role_ids
    )
    assert staff.user.check_password("et-langt-og-trygt-passord")


def test_staff_form_validates_hpr_and_password(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        reverse("people:staff_create"),
        {
            "username": "feil",
            "first_name": "F",
            "last_name": "E",
            "profession": "lege",
            "hpr_number": "12ab",
            "password": "kort",
        },
    )
    body = response.content.decode()
    assert "HPR-nummeret skal ha 6 til 9 siffer." in body
    assert not get_user_model().objects.filter(username="feil").exists()


def test_existing_user_joins_a_second_municipality(world, client_for):
    municipality_b = factories.make_municipality("9002", "Annen")
    admin_b = factories.StaffFactory(municipality=municipality_b, user__username="admin-b")
    factories.give_role(admin_b, "administrator")
    client = client_for(admin_b)
    client.post(
        reverse("people:staff_create"),
        {
            "username": world.owner.user.username,
            "first_name": "Eier",
            "last_name": "I B",
            "profession": "sykepleier",
            "password": "et-langt-og-trygt-passord",
        },
    )
    assert Staff.all_objects.filter(user=world.owner.user).count() == 2


@pytest.mark.parametrize("who", ["owner", "outsider", "read_only", "caseworker"])
def test_non_admins_cannot_administer(world, client_for, who):
    client = client_for(getattr(world, who))
    for name in ("people:unit_list", "people:unit_create", "people:staff_list"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("people:staff_unlock", args=[world.owner.pk])).status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("people:search"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_health_endpoint(client, db):
    response = client.get(reverse("core:health"))
    assert response.status_code == 200 and response.json()["status"] == "ok"
