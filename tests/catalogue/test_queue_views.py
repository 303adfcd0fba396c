"""The pages of the waiting-list rule: «Tildel» from the list, the reason asked for on
the assign page, the reason shown with the assignment, the capacity page's notes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.catalogue.models import Assignment, ServiceProvider, WaitingListEntry
from tests import factories
from tests.catalogue.helpers import new_person, provider, service, service_decision

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def waiting(world, svc, unit, name, added_on, priority=2):
    return WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(new_person(world.municipality, name), svc, world.caseworker),
        service=svc,
        unit=unit,
        added_on=added_on,
        priority=priority,
    )


def room(svc, unit, capacity):
    ServiceProvider.all_objects.filter(service=svc, unit=unit).update(capacity=Decimal(capacity))


def may_open(staff, *entries):
    for entry in entries:
        factories.grant_relation(staff, entry.decision.case.person, kind="saksbehandler")


def tildel_url(entry):
    return reverse("catalogue:waiting_assign", args=[entry.decision.case.person_id, entry.pk])


# --- Tildel from the waiting list


def test_the_waiting_list_offers_tildel_and_assigns_the_first(world, client_for, today, dagplass):
    svc, unit = dagplass
    first = waiting(world, svc, unit, "Førstesen", today - 492 * DAY)
    second = waiting(world, svc, unit, "Andresen", today - 5 * DAY)
    may_open(world.caseworker, first, second)
    client = client_for(world.caseworker)
    html = client.get(reverse("catalogue:waiting_list")).content.decode()
    assert tildel_url(first) in html and tildel_url(second) in html
    assert f"Tildel {first.decision.case.person.full_name}" in html

    response = client.post(tildel_url(first), follow=True)
    assert "Vedtaket er tildelt Dagsenteret fra 15.06.2026." in response.content.decode()
    assignment = Assignment.all_objects.get(decision=first.decision)
    assert (assignment.unit, assignment.starts_on, assignment.skip_reason) == (unit, today, "")
    first.refresh_from_db()
    assert (first.removed_on, first.removal_reason) == (today, "tildelt")
    events = AuditEvent.all_objects.filter(
        person=first.decision.case.person, action__in=["create", "remove"]
    )
    assert set(events.values_list("object_type", "action")) >= {
        ("assignment", "create"),
        ("waiting_list_entry", "remove"),
    }

    # Now full: refused with a clear message, the person stays on the list.
    response = client.post(tildel_url(second))
    assert response.status_code == 200
    assert "Dagsenteret har ikke ledig kapasitet 15.06.2026." in response.content.decode()
    second.refresh_from_db()
    assert second.removed_on is None


def test_tildel_of_a_later_one_asks_for_the_reason_and_keeps_it(world, client_for, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 3)
    first = waiting(world, svc, unit, "Førstesen", today - 100 * DAY)
    second = waiting(world, svc, unit, "Andresen", today - 5 * DAY)
    may_open(world.caseworker, second)  # not the first: the page does not name them
    client = client_for(world.caseworker)
    page = client.get(tildel_url(second)).content.decode()
    assert "1 person venter før." in page and "Førstesen" not in page
    assert 'name="skip_reason"' in page

    response = client.post(tildel_url(second))
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 person venter før dette vedtaket på ventelisten" in content
    assert not Assignment.all_objects.exists()
    too_long = "x" * 301
    response = client.post(tildel_url(second), {"skip_reason": too_long})
    assert "Begrunnelsen kan ha høyst 300 tegn." in response.content.decode()
    assert too_long in response.content.decode()  # what was typed is kept

    response = client.post(tildel_url(second), {"skip_reason": "Kan ikke bo hjemme lenger."})
    assert response.status_code == 302
    assert Assignment.all_objects.get().skip_reason == "Kan ikke bo hjemme lenger."
    first.refresh_from_db()
    assert first.removed_on is None

    # The first in line needs no reason: no field.
    may_open(world.caseworker, first)
    page = client.get(tildel_url(first)).content.decode()
    assert 'name="skip_reason"' not in page


def test_the_first_in_line_is_named_only_to_whom_may_open_them(world, client_for, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 3)
    first = waiting(world, svc, unit, "Førstesen", today - 100 * DAY)
    second = waiting(world, svc, unit, "Andresen", today - 5 * DAY)
    may_open(world.caseworker, first, second)
    page = client_for(world.caseworker).get(tildel_url(second)).content.decode()
    assert first.decision.case.person.full_name in page and "100 dager" in page
    event = AuditEvent.all_objects.get(
        person=first.decision.case.person, object_type="waiting_list"
    )
    assert event.action == "view"


def test_tildel_of_an_entry_without_unit_asks_for_the_unit(world, client_for, today, dagplass):
    svc, unit = dagplass
    entry = waiting(world, svc, None, "Uten", today - 5 * DAY)
    may_open(world.caseworker, entry)
    client = client_for(world.caseworker)
    html = client.get(reverse("catalogue:waiting_list")).content.decode()
    assert f'href="{tildel_url(entry)}"' in html  # a link to choose the unit, not a button
    response = client.post(tildel_url(entry), {"unit": ""})
    assert "Velg enheten som skal utføre tjenesten." in response.content.decode()
    response = client.post(tildel_url(entry), {"unit": unit.pk})
    assert response.status_code == 302
    assert Assignment.all_objects.get(decision=entry.decision).unit == unit


def test_tildel_is_refused_without_care_relation_or_permission(world, client_for, today, dagplass):
    svc, unit = dagplass
    entry = waiting(world, svc, unit, "Venter", today - 5 * DAY)
    person = entry.decision.case.person
    # No care relation: refused as any person page.
    for staff in (world.outsider, world.caseworker):
        client = client_for(staff)
        assert client.get(tildel_url(entry)).status_code == 403
        assert client.post(tildel_url(entry)).status_code == 403
    # A care relation but no allocation permission: refused, the refusal logged.
    factories.grant_relation(world.owner, person)
    client = client_for(world.owner)
    assert client.get(tildel_url(entry)).status_code == 403
    assert client.post(tildel_url(entry)).status_code == 403
    refusal = AuditEvent.all_objects.filter(person=person, outcome="refused").latest("seq")
    assert refusal.object_type == "assignment"
    # The list itself needs the permission.
    assert client.get(reverse("catalogue:waiting_list")).status_code == 403
    assert not Assignment.all_objects.exists()
    entry.refresh_from_db()
    assert entry.removed_on is None
    # An entry of another person under this person's id is not found.
    factories.grant_relation(world.caseworker, world.person, kind="saksbehandler")
    url = reverse("catalogue:waiting_assign", args=[world.person.pk, entry.pk])
    assert client_for(world.caseworker).post(url).status_code == 404


def test_rows_the_user_may_not_open_offer_no_tildel(world, client_for, today, dagplass):
    svc, unit = dagplass
    entry = waiting(world, svc, unit, "Enhetsarbeid", today - 5 * DAY)
    world.caseworker.units.add(unit)  # named for the unit's work, not openable
    html = client_for(world.caseworker).get(reverse("catalogue:waiting_list")).content.decode()
    assert "Enhetsarbeid" in html
    assert tildel_url(entry) not in html


# --- The assign page asks for the reason and the assignment shows it


def test_assign_page_asks_for_the_reason_and_shows_it_with_the_assignment(
    world, client_for, today, dagplass
):
    svc, unit = dagplass
    room(svc, unit, 3)
    waiting(world, svc, unit, "Ventesen", today - 492 * DAY)
    factories.grant_relation(world.caseworker, world.person, kind="saksbehandler")
    client = client_for(world.caseworker)
    decision = service_decision(world.person, svc, world.caseworker)
    url = reverse("catalogue:decision_assign", args=[world.person.pk, decision.pk])
    page = client.get(url).content.decode()
    assert "1 person venter før." in page and "Ventesen" not in page
    assert 'name="skip_reason"' in page

    data = {"unit": unit.pk, "starts_on": "15.06.2026", "priority": "2", "skip_reason": ""}
    response = client.post(url, data)
    assert "1 person venter før dette vedtaket på ventelisten" in response.content.decode()
    assert not Assignment.all_objects.exists()
    data["skip_reason"] = "Akutt behov etter fall."
    data["starts_on"] = "31.02.2026"
    response = client.post(url, data)
    assert 'value="31.02.2026"' in response.content.decode()
    assert "Akutt behov etter fall." in response.content.decode()  # kept
    data["starts_on"] = "15.06.2026"
    response = client.post(url, data, follow=True)
    content = response.content.decode()
    assert "Vedtaket er tildelt Dagsenteret fra 15.06.2026." in content
    assert "Tildelt foran ventelisten: Akutt behov etter fall." in content
    event = AuditEvent.all_objects.get(object_type="assignment", action="create")
    assert (event.reason_code, event.person_id) == ("foran_ventelisten", world.person.pk)


def test_assign_page_without_anyone_waiting_has_no_reason_field(world, client_for, dagplass):
    svc, _unit = dagplass
    factories.grant_relation(world.caseworker, world.person, kind="saksbehandler")
    decision = service_decision(world.person, svc, world.caseworker)
    url = reverse("catalogue:decision_assign", args=[world.person.pk, decision.pk])
    page = client_for(world.caseworker).get(url).content.decode()
    assert 'name="skip_reason"' not in page and "venter før" not in page


# --- The capacity page says why


def test_capacity_page_explains_free_places_with_people_waiting(world, client_for, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 2)
    waiting(world, svc, unit, "Lengesen", today - 492 * DAY)
    link = f"{reverse('catalogue:waiting_list')}?tjeneste={svc.pk}&amp;enhet={unit.pk}"
    html = client_for(world.caseworker).get(reverse("catalogue:capacity")).content.decode()
    assert "Ledig plass: første på ventelisten venter i 492 dager" in html
    assert link in html
    # The planner sees the figures and the reason, with no link into the list.
    html = client_for(world.read_only).get(reverse("catalogue:capacity")).content.decode()
    assert "Ledig plass: første på ventelisten venter i 492 dager" in html
    assert link not in html and "Lengesen" not in html
    # The link lands on a list whose first row is that person.
    factories.grant_relation(world.caseworker, world.person)
    response = client_for(world.caseworker).get(
        reverse("catalogue:waiting_list"), {"tjeneste": svc.pk, "enhet": unit.pk}
    )
    rows = response.context["page"].object_list
    assert [r.entry.decision.case.person.family_name for r in rows] == ["Lengesen"]


def test_capacity_page_says_when_the_first_starts_later(world, client_for, today, dagplass):
    svc, unit = dagplass
    WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(
            new_person(world.municipality, "Senere"),
            svc,
            world.caseworker,
            valid_from=today + 14 * DAY,
        ),
        service=svc,
        unit=unit,
        added_on=today - 3 * DAY,
    )
    html = client_for(world.read_only).get(reverse("catalogue:capacity")).content.decode()
    assert "første på ventelisten har vedtak som gjelder først fra 29.06.2026" in html
    assert "første på ventelisten venter i" not in html


def test_capacity_page_query_count_is_fixed_with_notes(
    world, client_for, today, dagplass, praktisk, django_assert_max_num_queries
):
    svc, unit = dagplass
    room(svc, unit, 20)
    waiting(world, svc, unit, "En", today - DAY)
    client = client_for(world.caseworker)
    url = reverse("catalogue:capacity")
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for n in range(6):
        extra = factories.UnitFactory(municipality=world.municipality, name=f"Ekstra {n}")
        provider(svc, extra, "2")
        waiting(world, svc, extra if n % 2 else None, f"Flere{n}", today - n * DAY)
        waiting(world, praktisk[0], praktisk[1], f"Timer{n}", today - n * DAY)
        provider(service(world.municipality, "avlastning"), extra, "1")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    notes = [row.note for row in response.context["rows"] if row.note]
    assert len(notes) >= 7


def test_removal_as_assigned_asks_for_the_reason_when_others_wait_first(
    world, client_for, today, dagplass
):
    svc, unit = dagplass
    room(svc, unit, 3)
    waiting(world, svc, unit, "Førstesen", today - 100 * DAY)
    second = waiting(world, svc, unit, "Andresen", today - 5 * DAY)
    may_open(world.caseworker, second)
    client = client_for(world.caseworker)
    url = reverse("catalogue:waiting_remove", args=[second.decision.case.person_id, second.pk])
    assert 'name="skip_reason"' in client.get(url).content.decode()
    data = {"reason": "tildelt", "note": "", "removed_on": "15.06.2026", "skip_reason": ""}
    response = client.post(url, data)
    assert "1 person venter før dette vedtaket" in response.content.decode()
    data["skip_reason"] = "Pårørende kan ikke lenger hjelpe."
    assert client.post(url, data).status_code == 302
    assignment = Assignment.all_objects.get(decision=second.decision)
    assert assignment.skip_reason == "Pårørende kan ikke lenger hjelpe."
    second.refresh_from_db()
    assert second.removal_reason == "tildelt"
