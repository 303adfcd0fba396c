from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mestring.access.actor import system_actor
from mestring.access.models import AuditEvent, CareRelation, Consent, Role
from mestring.access.selectors import consent_in_force, sharing_allowed
from mestring.access.services import AccessRuleError, care_relation_grant
from mestring.people.models import Relative, Unit
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db


def consent_data(**extra):
    return {
        "kind": "deling",
        "scope": "Opplysninger i plan",
        "given_by": "personen",
        "given_on": "01.03.2026",
        **extra,
    }


def test_consent_is_recorded_and_withdrawn_stops_sharing_at_once(world, client_for):
    unit = Unit.all_objects.get(name="Hjemmetjenesten")
    client = client_for(world.owner)
    url = reverse("access:person_consents", args=[world.person.pk])
    response = client.post(url, consent_data(shared_with_units=[unit.pk]))
    assert response.status_code == 302
    consent = Consent.all_objects.get()
    with activate(world.municipality):
        assert sharing_allowed(world.person, unit)
        assert consent_in_force(world.person, "deling")
    client.post(
        reverse("access:consent_withdraw", args=[world.person.pk, consent.pk]),
        {"withdrawn_by": "personen"},
    )
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate() and consent.withdrawn_by == "personen"
    with activate(world.municipality):
        assert not sharing_allowed(world.person, unit)
        assert not consent_in_force(world.person, "deling")
    actions = list(
        AuditEvent.all_objects.filter(object_type="consent").values_list("action", flat=True)
    )
    assert actions == ["consent_given", "consent_withdrawn"]


def test_expired_consent_is_not_in_force(world):
    Consent.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        kind="individuell_plan",
        scope="IP",
        given_by="personen",
        given_on=datetime.date(2025, 1, 1),
        expires_on=datetime.date(2025, 12, 31),
    )
    with activate(world.municipality):
        assert consent_in_force(world.person, "individuell_plan", datetime.date(2025, 6, 1))
        assert not consent_in_force(world.person, "individuell_plan", datetime.date(2026, 1, 1))


def test_consent_by_relative_needs_the_right_to_act(world, client_for):
    without = Relative.all_objects.create(
        municipality=world.municipality, person=world.person, name="Uten Rett", relation="venn"
    )
    guardian = Relative.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        name="Vera Verge",
        relation="verge",
        acting_basis="vergemål",
    )
    client = client_for(world.owner)
    url = reverse("access:person_consents", args=[world.person.pk])
    response = client.post(url, consent_data(given_by="verge"))
    assert "Velg hvem som ga samtykket." in response.content.decode()
    response = client.post(url, consent_data(given_by="verge", given_by_relative=without.pk))
    assert response.status_code == 200  # not offered: only relatives with the right
    assert not Consent.all_objects.exists()
    response = client.post(url, consent_data(given_by="verge", given_by_relative=guardian.pk))
    assert response.status_code == 302
    assert Consent.all_objects.get().given_by_relative == guardian


def test_consent_form_keeps_input_and_checks_dates(world, client_for):
    client = client_for(world.owner)
    url = reverse("access:person_consents", args=[world.person.pk])
    response = client.post(url, consent_data(given_on="01.03.2026", expires_on="01.02.2026"))
    body = response.content.decode()
    assert "Utløpsdatoen kan ikke være før samtykket ble gitt." in body
    assert 'value="Opplysninger i plan"' in body


def test_manual_grant_needs_reason_and_end_date(world, client_for):
    lead = factories.StaffFactory(municipality=world.municipality, user__username="leder")
    factories.give_role(lead, "leder_ke")
    client = client_for(lead)
    url = reverse("access:person_access", args=[world.person.pk])
    # The lead reaches the access page for administration, not the record.
    page = client.get(url)
    assert page.status_code == 200
    assert AuditEvent.all_objects.latest("seq").purpose == "administration"
    assert client.get(reverse("people:overview", args=[world.person.pk])).status_code == 403
    response = client.post(url, {"grant": "1", "staff": world.outsider.pk, "reason": ""})
    body = response.content.decode()
    assert "Skriv hvorfor tilgangen trengs." in body
    assert "En manuell tilgang må ha en sluttdato." in body
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    response = client.post(
        url, {"grant": "1", "staff": world.outsider.pk, "reason": "Vikar", "valid_to": tomorrow}
    )
    assert response.status_code == 302
    relation = CareRelation.all_objects.get(staff=world.outsider)
    assert relation.kind == "manuell" and relation.valid_to is not None
    outsider = client_for(world.outsider)
    assert outsider.get(reverse("people:overview", args=[world.person.pk])).status_code == 200
    client.post(reverse("access:relation_end", args=[world.person.pk, relation.pk]))
    assert outsider.get(reverse("people:overview", args=[world.person.pk])).status_code == 403
    actions = list(
        AuditEvent.all_objects.filter(object_type="care_relation").values_list("action", flat=True)
    )
    assert actions == ["grant", "end"]


def test_providers_cannot_grant_access(world, client_for):
    client = client_for(world.owner)
    url = reverse("access:person_access", args=[world.person.pk])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    client.post(
        url, {"grant": "1", "staff": world.outsider.pk, "reason": "x", "valid_to": tomorrow}
    )
    assert not CareRelation.all_objects.filter(staff=world.outsider).exists()


def test_grant_service_rules(world):
    actor = system_actor(world.municipality)
    with activate(world.municipality), pytest.raises(AccessRuleError):
        care_relation_grant(
            actor=actor, person=world.person, kind="manuell", reason="x", staff=world.outsider
        )


def test_relations_listed_per_person_and_per_staff(world, client_for):
    client = client_for(world.owner)
    page = client.get(reverse("access:person_access", args=[world.person.pk])).content.decode()
    assert "Hjemmetjenesten" in page and str(world.owner) in page
    mine = client.get(reverse("access:my_persons")).content.decode()
    assert "Skjermesen" in mine
    lead = factories.StaffFactory(municipality=world.municipality, user__username="leder2")
    factories.give_role(lead, "leder_ke")
    listing = client_for(lead).get(reverse("access:staff_relations", args=[world.owner.pk]))
    assert "Skjermesen" in listing.content.decode()
    assert client.get(reverse("access:staff_relations", args=[world.owner.pk])).status_code == 403


def test_administrator_changes_role_permissions_and_it_takes_effect(world, client_for):
    role = Role.all_objects.get(municipality=world.municipality, code="planlegger")
    planner = client_for(world.read_only)
    assert planner.get(reverse("people:search"), {"q": "x"}).status_code == 403
    admin = client_for(world.admin)
    response = admin.post(
        reverse("access:role_edit", args=[role.pk]),
        {"permissions": ["person.search", "statistics.view"]},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.permissions == ["person.search", "statistics.view"]
    assert planner.get(reverse("people:search"), {"q": "x"}).status_code == 200
    event = AuditEvent.all_objects.filter(object_type="role").latest("seq")
    assert (event.action, event.purpose) == ("update", "administration")


def test_roles_assigned_per_unit(world, client_for):
    unit = Unit.all_objects.get(name="Hjemmetjenesten")
    role = Role.all_objects.get(municipality=world.municipality, code="leder_ke")
    admin = client_for(world.admin)
    url = reverse("access:role_assign", args=[world.outsider.pk])
    admin.post(url, {"role": role.pk, "unit": unit.pk})
    assignment = world.outsider.role_assignments.model.all_objects.get(
        staff=world.outsider, role=role
    )
    assert assignment.unit == unit
    assert client_for(world.outsider).get(reverse("access:emergency_reviews")).status_code == 200
    admin.post(reverse("access:role_unassign", args=[world.outsider.pk, assignment.pk]))
    assert client_for(world.outsider).get(reverse("access:emergency_reviews")).status_code == 403
    assert set(
        AuditEvent.all_objects.filter(object_type="staff_role").values_list("action", flat=True)
    ) == {"assign_role", "unassign_role"}


def test_only_administrators_edit_roles(world, client_for):
    role = Role.all_objects.get(municipality=world.municipality, code="planlegger")
    response = client_for(world.owner).post(
        reverse("access:role_edit", args=[role.pk]), {"permissions": ["admin.staff"]}
    )
    assert response.status_code == 403
    role.refresh_from_db()
    assert "admin.staff" not in role.permissions
