from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, Block, EmergencyAccess
from tests import factories

pytestmark = pytest.mark.django_db


def overview(world):
    return reverse("people:overview", args=[world.person.pk])


def emergency(world, client, **extra):
    data = {"reason": "akutt_helsehjelp", "explanation": "Ringte fra legevakt", **extra}
    return client.post(reverse("access:emergency", args=[world.person.pk]), data)


def test_refusal_page_offers_emergency_access(world, client_for):
    response = client_for(world.outsider).get(overview(world))
    assert response.status_code == 403
    assert reverse("access:emergency", args=[world.person.pk]).encode() in response.content


def test_emergency_access_needs_reason_and_text(world, client_for):
    client = client_for(world.outsider)
    response = client.post(reverse("access:emergency", args=[world.person.pk]), {"reason": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Velg en årsak." in body and "Skriv kort hvorfor du trenger nødtilgang." in body
    assert not EmergencyAccess.all_objects.exists()


def test_emergency_access_opens_for_configured_hours_and_is_logged(world, client_for, settings):
    settings.MESTRING_EMERGENCY_ACCESS_HOURS = 8
    client = client_for(world.outsider)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = emergency(world, client)
        assert response.status_code == 302 and response.url == overview(world)
        page = client.get(overview(world))
        assert page.status_code == 200
        assert b"Du har n\xc3\xb8dtilgang" in page.content
    events = list(AuditEvent.all_objects.filter(person=world.person).order_by("seq"))
    start_event, view_event = events[-2], events[-1]
    assert (start_event.action, start_event.purpose, start_event.self_granted) == (
        "emergency_access",
        "emergency",
        True,
    )
    assert start_event.reason_code == "akutt_helsehjelp"
    assert (view_event.purpose, view_event.reason_code) == ("emergency", "akutt_helsehjelp")
    # A fresh login each time: the session itself would have timed out by then.
    with time_machine.travel(start + datetime.timedelta(hours=7, minutes=59), tick=False):
        assert client_for(world.outsider).get(overview(world)).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=1), tick=False):
        assert client_for(world.outsider).get(overview(world)).status_code == 403


def test_review_by_coordinating_unit_lead(world, client_for):
    emergency(world, client_for(world.outsider))
    access = EmergencyAccess.all_objects.get()
    lead = factories.StaffFactory(municipality=world.municipality, user__username="ke-leder")
    factories.give_role(lead, "leder_ke")
    client = client_for(lead)
    listing = client.get(reverse("access:emergency_reviews"))
    assert reverse("access:emergency_review", args=[access.pk]).encode() in listing.content
    response = client.post(
        reverse("access:emergency_review", args=[access.pk]),
        {"verdict": "begrunnet", "note": "Ok"},
    )
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.verdict == "begrunnet" and access.reviewed_by == lead
    listing = client.get(reverse("access:emergency_reviews"))
    assert reverse("access:emergency_review", args=[access.pk]).encode() not in listing.content


def test_review_page_needs_permission_and_not_own(world, client_for):
    emergency(world, client_for(world.outsider))
    access = EmergencyAccess.all_objects.get()
    assert client_for(world.owner).get(reverse("access:emergency_reviews")).status_code == 403
    factories.give_role(world.outsider, "leder_ke")
    response = client_for(world.outsider).post(
        reverse("access:emergency_review", args=[access.pk]), {"verdict": "begrunnet"}
    )
    assert "Du kan ikke gjennomgå din egen nødtilgang." in response.content.decode()


def test_block_wins_over_care_relation(world, client_for):
    Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.owner
    )
    assert client_for(world.owner).get(overview(world)).status_code == 403
    # the team member's unit is not blocked
    assert client_for(world.team_member).get(overview(world)).status_code == 200


def test_block_of_a_unit_covers_its_staff(world, client_for):
    unit = world.team_member.units.model.all_objects.get(name="Hjemmetjenesten")
    Block.all_objects.create(municipality=world.municipality, person=world.person, unit=unit)
    assert client_for(world.team_member).get(overview(world)).status_code == 403
    assert client_for(world.owner).get(overview(world)).status_code == 200


def test_ended_block_restores_access(world, client_for):
    client = client_for(world.owner)
    block = Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.owner
    )
    assert client.get(overview(world)).status_code == 403
    block.ended_at = timezone.now()
    block.save()
    assert client.get(overview(world)).status_code == 200


def test_emergency_override_of_a_block_needs_second_confirmation(world, client_for):
    Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.owner
    )
    client = client_for(world.owner)
    first = emergency(world, client)
    assert first.status_code == 200
    assert "Bekreft at du overstyrer sperringen" in first.content.decode()
    assert not EmergencyAccess.all_objects.exists()
    second = emergency(world, client, confirm_override="on")
    assert second.status_code == 302
    assert EmergencyAccess.all_objects.get().overrides_block
    assert client.get(overview(world)).status_code == 200
    view = AuditEvent.all_objects.filter(person=world.person, action="view").latest("seq")
    assert view.block_override and view.purpose == "emergency"
    # The override is shown in the person's access log.
    log = client_for(world.team_member).get(reverse("access:access_log", args=[world.person.pk]))
    assert "Sperringen ble overstyrt" in log.content.decode()


def test_emergency_without_override_does_not_open_a_blocked_record(world, client_for):
    # Emergency access started before the block: the block still wins.
    client = client_for(world.outsider)
    emergency(world, client)
    Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=world.outsider
    )
    assert client.get(overview(world)).status_code == 403


def test_staff_registers_and_ends_a_block_through_the_page(world, client_for):
    client = client_for(world.owner)
    url = reverse("access:person_access", args=[world.person.pk])
    response = client.post(
        url, {"block": "1", "staff": world.outsider.pk, "requested_by_person": "0"}
    )
    assert response.status_code == 302
    block = Block.all_objects.get()
    assert block.staff == world.outsider and not block.requested_by_person
    response = client.post(url, {"block": "1"})
    assert "Velg enten én ansatt eller én enhet." in response.content.decode()
    # Lifting it needs the permission of those who administer access, and a reason.
    factories.give_role(world.owner, "leder_ke")
    prefix = f"opphev-{block.pk}"
    response = client.post(
        reverse("access:block_end", args=[world.person.pk, block.pk]),
        {f"{prefix}-reason_code": "feilregistrert", f"{prefix}-reason": "Feil ansatt valgt"},
    )
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.ended_at is not None and block.end_reason == "Feil ansatt valgt"
    actions = list(
        AuditEvent.all_objects.filter(object_type="block").values_list("action", flat=True)
    )
    assert actions == ["block", "unblock"]
