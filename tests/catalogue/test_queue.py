"""The waiting list decides who gets a free place: assigning ahead of those waiting needs
a reason (recorded, audited, shown), «Tildel» from the list, the capacity figures say
why a unit with room still has people waiting, and a stopped decision ends its
assignments with the provider's access."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework import services as casework_services
from mestring.catalogue import selectors, services
from mestring.catalogue.models import (
    Assignment,
    ServiceProvider,
    WaitingListEntry,
    WaitingPriority,
)
from mestring.catalogue.selectors import FreeNote
from mestring.catalogue.signals import assignment_ended
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for
from tests.catalogue.helpers import new_person, provider, service, service_decision

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def assign(world, decision, unit, **extra):
    with activate(world.municipality):
        return services.decision_assign(
            actor=actor_for(world.caseworker),
            decision=decision,
            unit=unit,
            starts_on=extra.pop("starts_on", datetime.date(2026, 6, 15)),
            **extra,
        )


def waiting(world, svc, unit, name, added_on, priority=WaitingPriority.NORMAL, **decision):
    return WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(
            new_person(world.municipality, name), svc, world.caseworker, **decision
        ),
        service=svc,
        unit=unit,
        added_on=added_on,
        priority=priority,
    )


def room(svc, unit, capacity):
    ServiceProvider.all_objects.filter(service=svc, unit=unit).update(capacity=Decimal(capacity))


# --- 1. Assigning ahead of the queue


def test_a_new_decision_goes_ahead_of_those_waiting_only_with_a_reason(world, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 3)
    waiting(world, svc, unit, "Venter", today - 492 * DAY)
    newcomer = service_decision(world.person, svc, world.caseworker)
    with pytest.raises(services.QueueSkipError, match="1 person venter før dette vedtaket"):
        assign(world, newcomer, unit)
    with pytest.raises(services.QueueSkipError):
        assign(world, newcomer, unit, skip_reason="   ")
    assert not Assignment.all_objects.exists()
    assert not AuditEvent.all_objects.filter(object_type="assignment").exists()

    reason = "Utskrevet fra sykehus i dag, trenger plass straks."
    assignment = assign(world, newcomer, unit, skip_reason=f"  {reason} ")
    assert isinstance(assignment, Assignment)
    assert assignment.skip_reason == reason
    event = AuditEvent.all_objects.get(object_type="assignment")
    assert (event.action, event.reason_code, event.object_id, event.person_id) == (
        "create",
        services.SKIP_REASON_CODE,
        str(assignment.pk),
        world.person.pk,
    )


def test_without_anyone_waiting_no_reason_is_needed_or_recorded(world, today, dagplass):
    svc, unit = dagplass
    assignment = assign(world, service_decision(world.person, svc, world.caseworker), unit)
    assert assignment.skip_reason == ""
    assert AuditEvent.all_objects.get(object_type="assignment").reason_code == ""
    # A reason given when no one waits is not recorded as a skip.
    other = service_decision(new_person(world.municipality, "Fri"), svc, world.caseworker)
    room(svc, unit, 2)
    assert assign(world, other, unit, skip_reason="Unødvendig").skip_reason == ""


def test_only_those_waiting_for_the_same_unit_or_any_unit_count(world, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 3)
    elsewhere = factories.UnitFactory(municipality=world.municipality, name="Annet senter")
    provider(svc, elsewhere, "1")
    waiting(world, svc, elsewhere, "Annensteds", today - 30 * DAY)
    waiting(world, service(world.municipality, "avlastning"), None, "Annen tjeneste", today)
    assert isinstance(
        assign(world, service_decision(world.person, svc, world.caseworker), unit), Assignment
    )
    waiting(world, svc, None, "Hvorsomhelst", today - DAY)
    with pytest.raises(services.QueueSkipError, match="1 person"):
        assign(
            world,
            service_decision(new_person(world.municipality, "Ny"), svc, world.caseworker),
            unit,
        )


def test_a_full_unit_puts_on_the_list_without_a_reason(world, today, dagplass):
    svc, unit = dagplass
    assign(world, service_decision(world.person, svc, world.caseworker), unit)
    waiting(world, svc, unit, "Først", today - 10 * DAY)
    late = service_decision(new_person(world.municipality, "Sist"), svc, world.caseworker)
    assert isinstance(assign(world, late, unit), WaitingListEntry)


def test_order_is_priority_then_date_and_the_first_needs_no_reason(world, today, dagplass):
    svc, unit = dagplass
    normal_old = waiting(world, svc, unit, "Lenge", today - 100 * DAY)
    high_new = waiting(world, svc, unit, "Haster", today - 2 * DAY, WaitingPriority.HIGH)
    low = waiting(world, svc, unit, "Lav", today - 300 * DAY, WaitingPriority.LOW)
    with activate(world.municipality):
        assert list(selectors.waiting_ahead(low.decision, unit)) == [high_new, normal_old]
        assert list(selectors.waiting_ahead(normal_old.decision, unit)) == [high_new]
        assert list(selectors.waiting_ahead(high_new.decision, unit)) == []
    # The place goes to the first in line without a reason (its entry ends here) ...
    assignment = assign(world, high_new.decision, unit)
    assert assignment.skip_reason == ""
    high_new.refresh_from_db()
    assert (high_new.removed_on, high_new.removal_reason) == (today, "tildelt")
    # ... and the next place to a later one only with a reason.
    room(svc, unit, 2)
    with pytest.raises(services.QueueSkipError, match="1 person"):
        assign(world, low.decision, unit)
    assert assign(world, low.decision, unit, skip_reason="Ønsket plass nå").skip_reason


def test_removal_as_assigned_follows_the_same_rule(world, today, dagplass):
    svc, unit = dagplass
    first = waiting(world, svc, unit, "Først", today - 50 * DAY)
    second = waiting(world, svc, unit, "Andre", today - 5 * DAY)
    values = {"reason": "tildelt", "note": "", "removed_on": today}
    with activate(world.municipality):
        with pytest.raises(services.QueueSkipError, match="1 person"):
            services.waiting_remove(actor=actor_for(world.caseworker), entry=second, **values)
        second.refresh_from_db()
        assert second.removed_on is None
        services.waiting_remove(
            actor=actor_for(world.caseworker), entry=second, skip_reason="Flytter hjem", **values
        )
    assert Assignment.all_objects.get(decision=second.decision).skip_reason == "Flytter hjem"
    first.refresh_from_db()
    assert first.removed_on is None


def test_a_reason_longer_than_300_characters_is_refused(world, today, dagplass):
    svc, unit = dagplass
    waiting(world, svc, unit, "Venter", today - DAY)
    room(svc, unit, 2)
    with pytest.raises(services.CatalogueError, match="høyst 300 tegn"):
        assign(
            world,
            service_decision(world.person, svc, world.caseworker),
            unit,
            skip_reason="x" * 301,
        )
    assert not Assignment.all_objects.exists()


# --- 2. Tildel from the waiting list


def test_tildel_assigns_the_first_from_today_and_refuses_when_full(world, today, dagplass):
    svc, unit = dagplass
    first = waiting(world, svc, unit, "Først", today - 40 * DAY)
    second = waiting(world, svc, unit, "Andre", today - 4 * DAY)
    actor = actor_for(world.caseworker)
    with activate(world.municipality):
        assignment = services.waiting_assign(actor=actor, entry=first)
        assert (assignment.unit, assignment.starts_on, assignment.skip_reason) == (unit, today, "")
        with pytest.raises(services.CatalogueError, match="har ikke ledig kapasitet"):
            services.waiting_assign(actor=actor, entry=second)
        with pytest.raises(services.CatalogueError, match="rettighet"):
            services.waiting_assign(actor=actor_for(world.owner), entry=second)
    second.refresh_from_db()
    assert second.removed_on is None
    assert Assignment.all_objects.count() == 1


def test_tildel_of_an_entry_without_unit_needs_a_unit(world, today, dagplass):
    svc, unit = dagplass
    entry = waiting(world, svc, None, "Uten enhet", today - 4 * DAY)
    with activate(world.municipality):
        with pytest.raises(services.CatalogueError, match="Velg en enhet"):
            services.waiting_assign(actor=actor_for(world.caseworker), entry=entry)
        assignment = services.waiting_assign(
            actor=actor_for(world.caseworker), entry=entry, unit=unit
        )
    assert assignment.unit == unit


# --- 3. The capacity figures say why


def test_capacity_row_offers_the_first_in_line_when_a_place_is_free(world, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 2)
    waiting(world, svc, unit, "Lenge", today - 492 * DAY)
    waiting(world, svc, None, "Nylig", today - 3 * DAY, WaitingPriority.HIGH)
    with activate(world.municipality):
        (row,) = [r for r in selectors.capacity_rows(today) if r.unit == unit]
    assert (row.free, row.waiting, row.note) == (2, 1, FreeNote.FIRST)
    # The first in line is the high priority, waiting for any unit.
    assert row.first_waiting_days == 3


def test_capacity_row_says_when_the_first_starts_later_or_waits_elsewhere(
    world, today, dagplass, praktisk
):
    svc, unit = dagplass
    room(svc, unit, 2)
    waiting(world, svc, unit, "Senere", today - 20 * DAY, valid_from=today + 10 * DAY)
    other = factories.UnitFactory(municipality=world.municipality, name="Fullt senter")
    provider(svc, other, "0")
    hours, hours_unit = praktisk
    waiting(world, hours, hours_unit, "Mange timer", today - 5 * DAY, hours="12")
    with activate(world.municipality):
        rows = {(r.service.pk, r.unit.pk): r for r in selectors.capacity_rows(today) if r.unit}
    later = rows[(svc.pk, unit.pk)]
    assert (later.note, later.first_starts_on) == (FreeNote.LATER, today + 10 * DAY)
    full = rows[(svc.pk, other.pk)]
    assert full.note == ""  # no room, nothing to explain
    too_little = rows[(hours.pk, hours_unit.pk)]
    assert (too_little.note, too_little.first_needs) == (FreeNote.TOO_LITTLE, Decimal(12))
    # Those waiting for the full unit only: the free one says they wait elsewhere.
    WaitingListEntry.all_objects.filter(unit=unit).delete()
    waiting(world, svc, other, "Der borte", today - DAY)
    with activate(world.municipality):
        (free,) = [r for r in selectors.capacity_rows(today) if r.unit == unit]
    assert (free.note, free.waiting_elsewhere, free.waiting) == (FreeNote.ELSEWHERE, 1, 0)


def test_no_note_when_no_one_waits(world, today, dagplass):
    with activate(world.municipality):
        rows = selectors.capacity_rows(today)
    assert all(row.note == "" for row in rows)


# --- 5. A stopped decision ends its assignments and the provider's access


def test_stopping_a_decision_ends_its_assignments_and_the_units_access(world, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 5)
    other = factories.UnitFactory(municipality=world.municipality, name="Annen enhet")
    provider(svc, other, "5")
    decision = service_decision(world.person, svc, world.caseworker)
    first = assign(world, decision, unit, starts_on=today - 30 * DAY)
    with activate(world.municipality):
        services.assignment_end(
            actor=actor_for(world.caseworker), assignment=first, ends_on=today - 10 * DAY
        )
    second = assign(world, decision, other, starts_on=today - 5 * DAY)
    # Another person's assignment at the same unit is not touched.
    bystander = assign(
        world,
        service_decision(new_person(world.municipality, "Annen"), svc, world.caseworker),
        other,
    )
    sent = []

    def receiver(sender, *, actor, assignment, on, **kwargs):
        sent.append((assignment.pk, on))

    assignment_ended.connect(receiver, dispatch_uid="test.assignment_ended")
    try:
        with activate(world.municipality):
            casework_services.decision_stop(
                actor=actor_for(world.caseworker),
                decision=decision,
                stopped_on=today,
                reason="Flyttet fra kommunen",
            )
    finally:
        assignment_ended.disconnect(dispatch_uid="test.assignment_ended")
    # Once, for the one still in force; the one ended before is left as it was.
    assert sent == [(second.pk, today)]
    second.refresh_from_db()
    first.refresh_from_db()
    bystander.refresh_from_db()
    assert second.ends_on == today
    assert first.ends_on == today - 10 * DAY
    assert bystander.ends_on is None
    # The unit's access to the person ends with the last day of the service; the
    # other person's stays open.
    with activate(world.municipality):
        active = CareRelation.objects.active().filter(kind="tjenesteyter", unit=other)
        ends = {r.person_id: r.valid_to for r in active}
    assert ends[bystander.decision.case.person_id] is None
    assert timezone.localtime(ends[world.person.pk]).date() == today + DAY
    assert not CareRelation.all_objects.filter(
        kind="tjenesteyter", person=world.person, unit__in=[unit, other], valid_to__isnull=True
    ).exists()


def test_stopping_a_decision_ahead_ends_each_assignment_once(world, today, dagplass):
    svc, unit = dagplass
    room(svc, unit, 5)
    decision = service_decision(world.person, svc, world.caseworker)
    assignment = assign(world, decision, unit)
    sent = []

    def receiver(sender, *, actor, assignment, on, **kwargs):
        sent.append((assignment.pk, on))

    assignment_ended.connect(receiver, dispatch_uid="test.assignment_ended_ahead")
    try:
        with activate(world.municipality):
            casework_services.decision_stop(
                actor=actor_for(world.caseworker),
                decision=decision,
                stopped_on=today + 7 * DAY,
                reason="Ferdig om en uke",
            )
    finally:
        assignment_ended.disconnect(dispatch_uid="test.assignment_ended_ahead")
    assert sent == [(assignment.pk, today + 7 * DAY)]
    assignment.refresh_from_db()
    assert assignment.ends_on == today + 7 * DAY
    # The unit keeps its access until the service stops.
    with activate(world.municipality):
        relation = CareRelation.objects.active().get(
            kind="tjenesteyter", unit=unit, person=world.person
        )
    assert timezone.localtime(relation.valid_to).date() == today + 8 * DAY
