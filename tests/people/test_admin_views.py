from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mestring.access.actor import Actor
from mestring.access.middleware import build_actor
from mestring.access.models import AuditEvent, StaffRole
from mestring.people.models import Staff, Unit
from mestring.register import services
from mestring.tenancy.context import activate
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
    # The answer shows the new user's one-time enrolment code, once.
    assert response.status_code == 200
    assert response.context["enrolment_code"] in response.content.decode()
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


def _other_municipality_admin(*, installation: bool = False) -> Staff:
    """An administrator of another municipality; `installation`: also Django's superuser,
    the installation-level right."""
    municipality_b = factories.make_municipality("9002", "Annen")
    admin_b = factories.StaffFactory(
        municipality=municipality_b,
        user__username="admin-b" if not installation else "drift",
        user__is_superuser=installation,
    )
    factories.give_role(admin_b, "administrator")
    return admin_b


def _join_form(username: str) -> dict[str, str]:
    return {
        "username": username,
        "first_name": "Overtatt",
        "last_name": "Navn",
        "email": "angriper@example.invalid",
        "profession": "sykepleier",
        "password": "et-langt-og-trygt-passord",
    }


def _shared_user(world: object, admin_b: Staff) -> Staff:
    """The owner of world, a user of 9001, also works in 9002 (added by installation)."""
    return factories.StaffFactory(municipality=admin_b.municipality, user=world.owner.user)


def _account(user: object) -> tuple[str, str, str]:
    user.refresh_from_db()
    return (user.first_name, user.last_name, user.email)


def test_installation_admin_joins_an_existing_user_to_a_second_municipality(world, client_for):
    admin_b = _other_municipality_admin(installation=True)
    before = _account(world.owner.user)
    password_before = world.owner.user.password
    response = client_for(admin_b).post(
        reverse("people:staff_create"), _join_form(world.owner.user.username)
    )
    assert response.status_code == 302
    assert Staff.all_objects.filter(user=world.owner.user).count() == 2
    # Joined, never changed: name, e-mail and password stay the user's own.
    assert _account(world.owner.user) == before
    world.owner.user.refresh_from_db()
    assert world.owner.user.password == password_before
    # The join is in both municipalities' chains.
    joins = AuditEvent.all_objects.filter(action="join", object_type="staff")
    assert set(joins.values_list("municipality__number", flat=True)) == {"9001", "9002"}


@pytest.mark.attack
def test_foreign_admin_cannot_join_an_existing_user(world, client_for):
    """(H2) Another municipality's administrator cannot take over a user by creating
    staff with the user's username: the username is taken, nothing is joined."""
    admin_b = _other_municipality_admin()
    before = _account(world.owner.user)
    for username in (world.owner.user.username, world.owner.user.username.upper()):
        response = client_for(admin_b).post(reverse("people:staff_create"), _join_form(username))
        assert response.status_code == 200
        errors = response.context["form"].errors["username"]
        assert errors == [services.username_taken_message()]
        assert "Brukernavnet er allerede i bruk." in response.content.decode()
    assert Staff.all_objects.filter(user=world.owner.user).count() == 1
    assert _account(world.owner.user) == before
    # The service refuses too, whatever form is used.
    with activate(admin_b.municipality), pytest.raises(services.UsernameTaken):
        services.staff_create(
            actor=_actor(admin_b),
            user_data={"username": world.owner.user.username, "first_name": "X"},
            password="et-langt-og-trygt-passord",
            staff_data={"profession": "sykepleier"},
            units=[],
            roles=[],
        )
    assert Staff.all_objects.filter(user=world.owner.user).count() == 1


def _actor(staff: Staff) -> Actor:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = staff.user
    with activate(staff.municipality):
        return build_actor(request, staff)


@pytest.mark.attack
def test_foreign_admin_cannot_change_name_or_email_of_a_shared_user(world, client_for):
    """(H2) An administrator of one municipality cannot change the name or e-mail of a
    user who also belongs to another municipality; the attempt is refused and audited in
    both municipalities' chains."""
    admin_b = _other_municipality_admin()
    staff_b = _shared_user(world, admin_b)
    before = _account(world.owner.user)
    client = client_for(admin_b)
    page = client.get(reverse("people:staff_edit", args=[staff_b.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert all(form.fields[name].disabled for name in ("first_name", "last_name", "email"))
    assert "Brukeren har også tilgang i en annen kommune." in page.content.decode()
    # A posted name and e-mail are ignored; the membership itself is saved.
    response = client.post(
        reverse("people:staff_edit", args=[staff_b.pk]),
        {**_join_form(world.owner.user.username), "title": "Ny tittel", "is_active": "on"},
    )
    assert response.status_code == 302
    assert _account(world.owner.user) == before
    staff_b.refresh_from_db()
    assert staff_b.title == "Ny tittel"
    # The service refuses a change of the shared account, and both chains record it.
    with activate(admin_b.municipality), pytest.raises(services.SharedAccountRefused):
        services.staff_update(
            actor=_actor(admin_b),
            staff=Staff.all_objects.select_related("user").get(pk=staff_b.pk),
            user_data={"first_name": "Overtatt", "last_name": "Navn", "email": "a@b.invalid"},
            staff_data={},
            units=[],
            roles=[],
        )
    assert _account(world.owner.user) == before
    refused = AuditEvent.all_objects.filter(action="update_account", outcome="refused")
    assert set(refused.values_list("municipality__number", flat=True)) == {"9001", "9002"}
    assert not AuditEvent.all_objects.filter(action="update_account", outcome="allowed").exists()


@pytest.mark.attack
def test_foreign_admin_cannot_unlock_a_shared_user(world, client_for, settings):
    """(H2) An administrator of one municipality cannot unlock the account of a user who
    also belongs to another municipality."""
    admin_b = _other_municipality_admin()
    staff_b = _shared_user(world, admin_b)
    user = world.owner.user
    user.locked_until = timezone.now() + datetime.timedelta(minutes=15)
    user.save(update_fields=["locked_until"])
    client = client_for(admin_b)
    page = client.get(reverse("people:staff_edit", args=[staff_b.pk]))
    assert reverse("people:staff_unlock", args=[staff_b.pk]) not in page.content.decode()
    response = client.post(reverse("people:staff_unlock", args=[staff_b.pk]))
    assert response.status_code == 403
    assert "Brukeren har også tilgang i en annen kommune." in response.content.decode()
    user.refresh_from_db()
    assert user.is_locked()
    assert not AuditEvent.all_objects.filter(action="unlock", outcome="allowed").exists()
    refused = AuditEvent.all_objects.filter(action="unlock", outcome="refused")
    assert set(refused.values_list("municipality__number", flat=True)) == {"9001", "9002"}


@pytest.mark.attack
def test_foreign_admin_cannot_reset_the_second_factor_of_a_shared_user(world, client_for):
    """(H2) An administrator of one municipality cannot delete the authenticator of a
    user who also belongs to another municipality."""
    admin_b = _other_municipality_admin()
    staff_b = _shared_user(world, admin_b)
    device = factories.confirmed_device(world.owner.user)
    client = client_for(admin_b)
    page = client.get(reverse("people:staff_edit", args=[staff_b.pk]))
    url = reverse("people:staff_reset_second_factor", args=[staff_b.pk])
    assert url not in page.content.decode()
    response = client.post(url)
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not AuditEvent.all_objects.filter(
        action="reset_second_factor", outcome="allowed"
    ).exists()
    # The administrator of the user's first municipality cannot either: the account is
    # shared now, so it is the installation's.
    response = client_for(world.admin).post(
        reverse("people:staff_reset_second_factor", args=[world.owner.pk])
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.attack
def test_municipality_admin_cannot_change_an_installation_admins_account(world, client_for):
    """(H2) An installation administrator's account is not a municipality's to change,
    even when it belongs to that municipality alone."""
    user = world.caseworker.user
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    device = factories.confirmed_device(user)
    url = reverse("people:staff_reset_second_factor", args=[world.caseworker.pk])
    assert client_for(world.admin).post(url).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_installation_admin_changes_a_shared_account_audited_in_every_chain(world, client_for):
    admin_b = _other_municipality_admin(installation=True)
    staff_b = _shared_user(world, admin_b)
    user = world.owner.user
    user.locked_until = timezone.now() + datetime.timedelta(minutes=15)
    user.save(update_fields=["locked_until"])
    factories.confirmed_device(user)
    client = client_for(admin_b)
    response = client.post(
        reverse("people:staff_edit", args=[staff_b.pk]),
        {**_join_form(user.username), "first_name": "Nytt", "is_active": "on"},
    )
    assert response.status_code == 302
    assert _account(user) == ("Nytt", "Navn", "angriper@example.invalid")
    assert client.post(reverse("people:staff_unlock", args=[staff_b.pk])).status_code == 302
    user.refresh_from_db()
    assert not user.is_locked()
    url = reverse("people:staff_reset_second_factor", args=[staff_b.pk])
    assert client.post(url).status_code == 200  # the new enrolment code, shown once
    assert not TOTPDevice.objects.filter(user=user).exists()
    for action in ("update_account", "unlock", "reset_second_factor"):
        rows = AuditEvent.all_objects.filter(action=action, outcome="allowed")
        assert sorted(rows.values_list("municipality__number", "object_id")) == [
            ("9001", str(world.owner.pk)),
            ("9002", str(staff_b.pk)),
        ], action
        assert rows.get(municipality__number="9001").reason_code == "fra_kommune:9002"


def test_own_municipality_user_stays_editable(world, client_for):
    """A user of this municipality alone: name, e-mail, unlock and second factor are
    still the municipality administrator's to change."""
    staff = world.caseworker
    user = staff.user
    client = client_for(world.admin)
    page = client.get(reverse("people:staff_edit", args=[staff.pk]))
    assert not page.context["form"].fields["email"].disabled
    assert "Brukeren har også tilgang i en annen kommune." not in page.content.decode()
    response = client.post(
        reverse("people:staff_edit", args=[staff.pk]),
        {
            "username": user.username,
            "first_name": "Endret",
            "last_name": "Etternavn",
            "email": "endret@example.invalid",
            "profession": "sykepleier",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert _account(user) == ("Endret", "Etternavn", "endret@example.invalid")
    rows = AuditEvent.all_objects.filter(action="update_account", object_id=str(staff.pk))
    assert list(rows.values_list("municipality__number", "reason_code")) == [("9001", "")]
    user.locked_until = timezone.now() + datetime.timedelta(minutes=15)
    user.save(update_fields=["locked_until"])
    assert client.post(reverse("people:staff_unlock", args=[staff.pk])).status_code == 302
    user.refresh_from_db()
    assert not user.is_locked()
    factories.confirmed_device(user)
    url = reverse("people:staff_reset_second_factor", args=[staff.pk])
    assert client.post(url).status_code == 200  # the new enrolment code, shown once
    assert not TOTPDevice.objects.filter(user=user).exists()


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
