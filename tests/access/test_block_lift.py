"""(H3) Lifting a block (sperring): its own permission, a reason, never by the one blocked.

A care relation lets a colleague read the record; it does not let them undo what the
person decided about who may read it. Emergency access may override a block for its
hours, but it never lifts it.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from mestring.access.models import AuditEvent, Block, EmergencyAccess, Role
from mestring.access.permissions import ACCESS_BLOCK_LIFT, ACCESS_GRANT, DEFAULT_ROLES
from mestring.people.models import Unit
from tests import factories
from tests.conftest import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

REFUSED_NO_PERMISSION = "Du har ikke rettighet til å oppheve sperringer."
REFUSED_BLOCKED = "Personen har sperret deg eller enheten din."


@pytest.fixture
def nurse(world):
    """A nurse with a care relation whom the person has blocked."""
    staff = make_staff(world.municipality, "tjenesteyter", "sykepleier")
    factories.grant_relation(staff, world.person)
    return staff


@pytest.fixture
def block(world, nurse):
    return Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=nurse
    )


@pytest.fixture
def lead(world):
    """The coordinating unit's lead, with a care relation to the person."""
    staff = make_staff(world.municipality, "leder_ke", "ke-leder")
    factories.grant_relation(staff, world.person)
    return staff


def overview(world) -> str:
    return reverse("people:overview", args=[world.person.pk])


def access_page(world) -> str:
    return reverse("access:person_access", args=[world.person.pk])


def lift_url(world, block: Block) -> str:
    return reverse("access:block_end", args=[world.person.pk, block.pk])


def lift_data(block: Block, reason_code: str = "personen_ba_om_det", reason: str = "") -> dict:
    prefix = f"opphev-{block.pk}"
    return {f"{prefix}-reason_code": reason_code, f"{prefix}-reason": reason}


def start_emergency_with_override(world, client) -> None:
    response = client.post(
        reverse("access:emergency", args=[world.person.pk]),
        {
            "reason": "akutt_helsehjelp",
            "explanation": "Ringte fra legevakt",
            "confirm_override": "on",
        },
    )
    assert response.status_code == 302
    assert EmergencyAccess.all_objects.get(person=world.person).overrides_block


def assert_still_blocked(world, block: Block, nurse, client_for) -> None:
    block.refresh_from_db()
    assert block.ended_at is None and block.end_reason == "" and block.ended_by is None
    assert client_for(nurse).get(overview(world)).status_code == 403


def assert_refusal_logged(world, block: Block, before: int) -> AuditEvent:
    assert AuditEvent.all_objects.count() == before + 1  # one row for the response
    event = AuditEvent.all_objects.latest("seq")
    assert (event.action, event.object_type, event.object_id) == ("unblock", "block", str(block.pk))
    assert (event.outcome, event.person_id) == ("refused", world.person.pk)
    return event


def test_colleague_with_care_relation_but_without_permission_cannot_lift(
    world, client_for, block, nurse
):
    # The physiotherapist works with the person (through the unit) but does not
    # administer access.
    assert client_for(nurse).get(overview(world)).status_code == 403
    physio = client_for(world.team_member)
    page = physio.get(access_page(world))
    assert page.status_code == 200
    assert lift_url(world, block).encode() not in page.content  # no button
    before = AuditEvent.all_objects.count()
    reason = "Sykepleieren trenger journalen"
    response = physio.post(lift_url(world, block), lift_data(block, reason=reason))
    assert response.status_code == 403
    assert REFUSED_NO_PERMISSION in response.content.decode()
    assert_refusal_logged(world, block, before)
    assert_still_blocked(world, block, nurse, client_for)
    # Without any reason too: the refusal comes first, and it is the same.
    response = physio.post(lift_url(world, block), {})
    assert response.status_code == 403
    assert REFUSED_NO_PERMISSION in response.content.decode()
    assert_still_blocked(world, block, nurse, client_for)


def test_blocked_staff_member_cannot_lift_own_block_even_under_emergency_override(
    world, client_for, block, nurse
):
    # Even with the permission: the one blocked never lifts the block.
    factories.give_role(nurse, "leder_ke")
    client = client_for(nurse)
    assert client.post(lift_url(world, block), lift_data(block, reason="Feil")).status_code == 403
    assert_still_blocked(world, block, nurse, client_for)

    start_emergency_with_override(world, client)
    page = client.get(access_page(world))
    assert page.status_code == 200  # the override opens the record …
    assert lift_url(world, block).encode() not in page.content  # … but offers no lift
    before = AuditEvent.all_objects.count()
    response = client.post(lift_url(world, block), lift_data(block, reason="Personen sa ja"))
    assert response.status_code == 403
    assert REFUSED_BLOCKED in response.content.decode()
    event = assert_refusal_logged(world, block, before)
    assert (event.purpose, event.block_override) == ("emergency", True)
    block.refresh_from_db()
    assert block.ended_at is None
    # Nor any other block of the person who blocked them.
    unit = Unit.all_objects.get(name="Hjemmetjenesten")
    unit_block = Block.all_objects.create(
        municipality=world.municipality, person=world.person, unit=unit
    )
    response = client.post(lift_url(world, unit_block), lift_data(unit_block, reason="Feil"))
    assert response.status_code == 403
    unit_block.refresh_from_db()
    assert unit_block.ended_at is None


def test_member_of_blocked_unit_cannot_lift_it_even_under_emergency_override(world, client_for):
    unit = Unit.all_objects.get(name="Hjemmetjenesten")
    block = Block.all_objects.create(
        municipality=world.municipality, person=world.person, unit=unit
    )
    factories.give_role(world.team_member, "leder_ke")
    client = client_for(world.team_member)
    start_emergency_with_override(world, client)
    before = AuditEvent.all_objects.count()
    response = client.post(lift_url(world, block), lift_data(block, reason="Vi trenger den"))
    assert response.status_code == 403
    assert REFUSED_BLOCKED in response.content.decode()
    assert_refusal_logged(world, block, before)
    block.refresh_from_db()
    assert block.ended_at is None


def test_lift_without_reason_is_refused_with_form_error_and_keeps_what_was_typed(
    world, client_for, block, nurse, lead
):
    client = client_for(lead)
    response = client.post(lift_url(world, block), lift_data(block, reason="   "))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skriv en begrunnelse for å oppheve sperringen." in body
    assert 'value="personen_ba_om_det" selected' in body  # the chosen reason is kept
    assert_still_blocked(world, block, nurse, client_for)
    typed = "Personen ringte 3. mars og ba om det"
    response = client.post(lift_url(world, block), lift_data(block, "", typed))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Velg hvorfor sperringen oppheves." in body
    assert typed in body
    assert_still_blocked(world, block, nurse, client_for)
    assert not AuditEvent.all_objects.filter(action="unblock").exists()


def test_permitted_user_lifts_with_reason_stored_shown_and_audited(
    world, client_for, block, nurse, lead
):
    client = client_for(lead)
    page = client.get(access_page(world))
    assert lift_url(world, block).encode() in page.content
    assert f'name="opphev-{block.pk}-reason"'.encode() in page.content
    reason = "Personen ringte 3. mars og ønsker at sykepleieren kan lese journalen igjen."
    response = client.post(lift_url(world, block), lift_data(block, reason=reason))
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.ended_at is not None and block.ended_by == lead.user
    assert (block.end_reason_code, block.end_reason) == ("personen_ba_om_det", reason)
    event = AuditEvent.all_objects.filter(action="unblock").get()
    assert (event.outcome, event.object_id, event.person_id) == (
        "allowed",
        str(block.pk),
        world.person.pk,
    )
    assert event.reason_code == "personen_ba_om_det"
    assert event.username == lead.user.username
    # The block's history on the page: who lifted it and why.
    body = client.get(access_page(world)).content.decode()
    assert "Personen ba om å oppheve sperringen" in body and reason in body
    assert lift_url(world, block) not in body
    # The person's access log names the reason from the fixed list.
    log = client.get(reverse("access:access_log", args=[world.person.pk])).content.decode()
    assert "Opphevet sperring" in log and "Personen ba om å oppheve sperringen" in log
    assert client_for(nurse).get(overview(world)).status_code == 200
    # Lifting again is refused with a message, keeping what was typed.
    again = client.post(lift_url(world, block), lift_data(block, reason="En gang til"))
    assert again.status_code == 200
    assert "Sperringen er allerede opphevet." in again.content.decode()
    assert "En gang til" in again.content.decode()
    assert AuditEvent.all_objects.filter(action="unblock").count() == 1


def test_permission_belongs_to_roles_that_administer_access():
    # The default roles that grant access to persons lift blocks too, and no others:
    # not the providers and coordinators who work with the person.
    def holders(permission: str) -> set[str]:
        return {code for code, (_name, perms) in DEFAULT_ROLES.items() if permission in perms}

    assert holders(ACCESS_BLOCK_LIFT) == holders(ACCESS_GRANT)
    assert "leder_ke" in holders(ACCESS_BLOCK_LIFT)
    assert not {"tjenesteyter", "koordinator"} & holders(ACCESS_BLOCK_LIFT)


def test_migration_gives_the_permission_to_existing_roles_that_grant_access(world):
    lead_role = Role.all_objects.get(municipality=world.municipality, code="leder_ke")
    lead_role.permissions = [p for p in lead_role.permissions if p != ACCESS_BLOCK_LIFT]
    lead_role.save()
    provider_role = Role.all_objects.get(municipality=world.municipality, code="tjenesteyter")
    custom = Role.all_objects.create(
        municipality=world.municipality, code="egen", name="Egen", permissions=[ACCESS_GRANT]
    )
    migration = importlib.import_module("mestring.access.migrations.0008_block_lift_permission")
    migration.add_block_lift(django_apps, None)
    for role in (lead_role, provider_role, custom):
        role.refresh_from_db()
    assert ACCESS_BLOCK_LIFT in lead_role.permissions
    assert ACCESS_BLOCK_LIFT in custom.permissions
    assert ACCESS_BLOCK_LIFT not in provider_role.permissions
    migration.remove_block_lift(django_apps, None)
    lead_role.refresh_from_db()
    assert ACCESS_BLOCK_LIFT not in lead_role.permissions
