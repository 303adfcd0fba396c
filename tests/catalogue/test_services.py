"""The catalogue's rules: defaults, editing, assignment, waiting list, capacity figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework.models import CaseStatus
from mestring.catalogue import selectors, services
from mestring.catalogue.defaults import DEFAULT_SERVICES
from mestring.catalogue.models import (
    Assignment,
    CapacityKind,
    Service,
    ServiceProvider,
    WaitingListEntry,
    WaitingPriority,
)
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


def remove(world, entry, **data):
    values = {"note": "", "removed_on": datetime.date(2026, 6, 15), **data}
    with activate(world.municipality):
        return services.waiting_remove(actor=actor_for(world.caseworker), entry=entry, **values)


def test_a_new_municipality_gets_every_default_service_with_the_stay_codes(db):
    municipality = factories.make_municipality("9005", "Nykommune")
    codes = dict(
        Service.all_objects.filter(municipality=municipality).values_list("code", "national_code")
    )
    assert len(codes) == len(DEFAULT_SERVICES) == 21
    assert {c for c, *_ in DEFAULT_SERVICES} == set(codes)
    assert codes["korttidsopphold"] == "18"
    assert codes["rehabiliteringsopphold"] == "19"
    assert codes["rulleringsopphold"] == "20"
    assert codes["langtidsopphold"] == "21"
    assert (
        Service.all_objects.get(
            municipality=municipality, code="hverdagsrehabilitering"
        ).pyramid_level
        == 2
    )


def test_admin_edits_a_service_and_its_providers_audited(world):
    svc = service(world.municipality, "hverdagsrehabilitering")
    unit = factories.UnitFactory(municipality=world.municipality, name="Rehabteamet")
    actor = actor_for(world.admin)
    with activate(world.municipality):
        services.service_save(
            actor=actor,
            service=svc,
            data={"description": " Trening hjemme. ", "national_code": "20", "pyramid_level": 3},
        )
        added = services.provider_save(actor=actor, service=svc, unit=unit, capacity=Decimal(6))
        services.provider_save(actor=actor, service=svc, unit=unit, capacity=Decimal("7.5"))
        services.provider_remove(actor=actor, provider=added)
    svc.refresh_from_db()
    assert (svc.description, svc.national_code, svc.pyramid_level) == ("Trening hjemme.", "20", 3)
    assert not ServiceProvider.all_objects.filter(service=svc).exists()
    events = list(
        AuditEvent.all_objects.order_by("seq").values_list("object_type", "action", "purpose")
    )
    assert events == [
        ("service", "update", "administration"),
        ("service_provider", "create", "administration"),
        ("service_provider", "update", "administration"),
        ("service_provider", "delete", "administration"),
    ]


def test_provider_capacity_is_saved(world):
    svc = service(world.municipality, "dagplass")
    unit = factories.UnitFactory(municipality=world.municipality)
    with activate(world.municipality):
        services.provider_save(
            actor=actor_for(world.admin), service=svc, unit=unit, capacity=Decimal("7.5")
        )
    assert ServiceProvider.all_objects.get(service=svc).capacity == Decimal("7.5")


def test_only_an_administrator_edits_the_catalogue(world):
    svc = service(world.municipality, "dagplass")
    unit = factories.UnitFactory(municipality=world.municipality)
    with activate(world.municipality), pytest.raises(services.CatalogueError):
        services.service_save(actor=actor_for(world.caseworker), service=svc, data={"name": "X"})
    with activate(world.municipality), pytest.raises(services.CatalogueError):
        services.provider_save(
            actor=actor_for(world.caseworker), service=svc, unit=unit, capacity=None
        )
    svc.refresh_from_db()
    assert svc.name == "Dagplass / dagaktivitet"
    assert not ServiceProvider.all_objects.exists()


def test_a_duplicate_code_is_refused(world):
    svc = service(world.municipality, "dagplass")
    with activate(world.municipality), pytest.raises(services.CatalogueError, match="koden"):
        services.service_save(
            actor=actor_for(world.admin), service=svc, data={"code": "avlastning"}
        )


def test_assignment_when_a_place_is_free_moves_the_case_and_opens_access(world, today, dagplass):
    svc, unit = dagplass
    decision = service_decision(world.person, svc, world.caseworker)
    result = assign(world, decision, unit)
    assert isinstance(result, Assignment)
    assert (result.unit, result.starts_on) == (unit, today)
    decision.case.refresh_from_db()
    assert decision.case.status == CaseStatus.ASSIGNED
    relation = CareRelation.all_objects.get(unit=unit, kind="tjenesteyter", person=world.person)
    assert relation.valid_to is None
    event = AuditEvent.all_objects.get(object_type="assignment")
    assert (event.action, event.person_id) == ("create", world.person.pk)


def test_full_unit_puts_the_next_on_the_waiting_list(world, today, dagplass):
    svc, unit = dagplass
    first = service_decision(world.person, svc, world.caseworker)
    second = service_decision(new_person(world.municipality, "Venter"), svc, world.caseworker)
    assign(world, first, unit)
    result = assign(world, second, unit, priority=WaitingPriority.HIGH)
    assert isinstance(result, WaitingListEntry)
    assert (result.priority, result.added_on, result.unit, result.service) == (1, today, unit, svc)
    second.case.refresh_from_db()
    assert second.case.status == CaseStatus.WAITING
    assert not Assignment.all_objects.filter(decision=second).exists()
    with activate(world.municipality):
        assert services.in_use(service=svc, unit=unit, day=today) == 1


def test_a_place_ended_before_the_start_is_free_again(world, today, dagplass):
    svc, unit = dagplass
    first = service_decision(world.person, svc, world.caseworker)
    second = service_decision(new_person(world.municipality, "Neste"), svc, world.caseworker)
    taken = assign(world, first, unit, starts_on=today - 10 * DAY)
    with activate(world.municipality):
        services.assignment_end(
            actor=actor_for(world.caseworker), assignment=taken, ends_on=today - DAY
        )
    assert isinstance(assign(world, second, unit), Assignment)
    # The first unit's access ended with the assignment; the second's is open.
    with activate(world.municipality):
        active = CareRelation.objects.active().filter(unit=unit, kind="tjenesteyter")
        assert list(active.values_list("person_id", flat=True)) == [second.case.person_id]


def test_hours_capacity_counts_the_hours_of_the_decisions(world, today, praktisk):
    svc, unit = praktisk
    assert svc.capacity_kind == CapacityKind.HOURS
    six = service_decision(world.person, svc, world.caseworker, hours="6")
    five = service_decision(new_person(world.municipality, "Fem"), svc, world.caseworker, hours="5")
    four = service_decision(
        new_person(world.municipality, "Fire"), svc, world.caseworker, hours="4"
    )
    assert isinstance(assign(world, six, unit), Assignment)
    assert isinstance(assign(world, five, unit), WaitingListEntry)  # 6 + 5 > 10
    # 6 + 4 = 10; the five hours waiting do not fit, so four go ahead, with a reason.
    with pytest.raises(services.QueueSkipError, match="1 person venter før"):
        assign(world, four, unit)
    ahead = assign(world, four, unit, skip_reason="De fem timene får ikke plass.")
    assert ahead.skip_reason == "De fem timene får ikke plass."
    with activate(world.municipality):
        assert services.in_use(service=svc, unit=unit, day=today) == Decimal(10)


def test_a_service_without_capacity_limit_always_assigns(world, today):
    svc = service(world.municipality, "trygghetsalarm")
    unit = factories.UnitFactory(municipality=world.municipality)
    provider(svc, unit, "0")  # capacity is not counted for this kind
    for name in ("En", "To"):
        decision = service_decision(new_person(world.municipality, name), svc, world.caseworker)
        assert isinstance(assign(world, decision, unit), Assignment)


def test_one_open_waiting_entry_per_decision(world, today, dagplass):
    svc, unit = dagplass
    assign(world, service_decision(world.person, svc, world.caseworker), unit)
    waiting = service_decision(new_person(world.municipality, "Venter"), svc, world.caseworker)
    entry = assign(world, waiting, unit)
    with pytest.raises(services.CatalogueError, match="allerede på venteliste"):
        assign(world, waiting, unit)
    assert WaitingListEntry.all_objects.filter(decision=waiting).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        WaitingListEntry.all_objects.create(
            municipality=world.municipality,
            decision=waiting,
            service=svc,
            unit=unit,
            added_on=today,
        )
    entry.refresh_from_db()
    assert entry.removed_on is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"outcome": "avslag"}, "innvilgede"),
        ({"decision_status": "stanset"}, "gjelder ikke lenger"),
        ({"valid_to": datetime.date(2026, 6, 1)}, "slutter å gjelde"),
    ],
)
def test_only_granted_decisions_in_force_are_assigned(world, today, dagplass, extra, message):
    svc, unit = dagplass
    decision = service_decision(world.person, svc, world.caseworker, **extra)
    with pytest.raises(services.CatalogueError, match=message):
        assign(world, decision, unit)
    assert not Assignment.all_objects.exists() and not WaitingListEntry.all_objects.exists()


def test_a_unit_that_does_not_provide_the_service_is_refused(world, today, dagplass):
    svc, _unit = dagplass
    other = factories.UnitFactory(municipality=world.municipality, name="Annen enhet")
    decision = service_decision(world.person, svc, world.caseworker)
    with pytest.raises(services.CatalogueError, match="utfører ikke"):
        assign(world, decision, other)


def _waiting_entry(world, dagplass):
    svc, unit = dagplass
    start = datetime.date(2026, 6, 5)
    assign(world, service_decision(world.person, svc, world.caseworker), unit, starts_on=start)
    return assign(
        world,
        service_decision(new_person(world.municipality, "Venter"), svc, world.caseworker),
        unit,
    )


@pytest.mark.parametrize(
    ("reason", "note", "message"),
    [("", "", "Velg hvorfor"), ("tull", "", "Velg hvorfor"), ("annet", " ", "merknad")],
)
def test_removal_requires_a_reason(world, today, dagplass, reason, note, message):
    entry = _waiting_entry(world, dagplass)
    with pytest.raises(services.CatalogueError, match=message):
        remove(world, entry, reason=reason, note=note)
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removal_reason) == (None, "")


def test_removal_records_the_reason(world, today, dagplass):
    entry = _waiting_entry(world, dagplass)
    remove(world, entry, reason="takket_nei", note="Ønsker å vente til høsten.")
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removal_reason, entry.removal_note) == (
        today,
        "takket_nei",
        "Ønsker å vente til høsten.",
    )
    assert not Assignment.all_objects.filter(decision=entry.decision).exists()
    event = AuditEvent.all_objects.filter(object_type="waiting_list_entry").order_by("-seq").first()
    assert (event.action, event.reason_code, event.person_id) == (
        "remove",
        "takket_nei",
        entry.decision.case.person_id,
    )
    with pytest.raises(services.CatalogueError, match="allerede tatt av"):
        remove(world, entry, reason="annet", note="igjen")


def test_removal_because_assigned_creates_the_assignment(world, today, dagplass):
    _svc, unit = dagplass
    entry = _waiting_entry(world, dagplass)
    # Full: the place must be free first.
    with pytest.raises(services.CatalogueError, match="ikke ledig kapasitet"):
        remove(world, entry, reason="tildelt")
    taken = Assignment.all_objects.get()
    with activate(world.municipality):
        services.assignment_end(
            actor=actor_for(world.caseworker), assignment=taken, ends_on=today - DAY
        )
    remove(world, entry, reason="tildelt")
    entry.refresh_from_db()
    assert (entry.removed_on, entry.removal_reason) == (today, "tildelt")
    assignment = Assignment.all_objects.get(decision=entry.decision)
    assert (assignment.unit, assignment.starts_on) == (unit, today)
    entry.decision.case.refresh_from_db()
    assert entry.decision.case.status == CaseStatus.ASSIGNED


def test_capacity_rows_figures(world, today, dagplass):
    svc, unit = dagplass
    ServiceProvider.all_objects.filter(service=svc, unit=unit).update(capacity=Decimal(2))
    # Two in force today, one ended yesterday, one starting tomorrow.
    for start, end in (
        (today - 30 * DAY, None),
        (today - 5 * DAY, today),
        (today - 9 * DAY, today - DAY),
        (today + DAY, None),
    ):
        Assignment.all_objects.create(
            municipality=world.municipality,
            decision=service_decision(new_person(world.municipality, "A"), svc, world.caseworker),
            unit=unit,
            starts_on=start,
            ends_on=end,
        )
    added = [today - 10 * DAY, today - 45 * DAY, today - 3 * DAY, today - 20 * DAY]
    for day in added:
        WaitingListEntry.all_objects.create(
            municipality=world.municipality,
            decision=service_decision(new_person(world.municipality, "V"), svc, world.caseworker),
            service=svc,
            unit=unit,
            added_on=day,
        )
    # A removed entry does not count.
    WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(new_person(world.municipality, "R"), svc, world.caseworker),
        service=svc,
        unit=unit,
        added_on=today - 100 * DAY,
        removed_on=today - DAY,
        removal_reason="flyttet",
    )
    with activate(world.municipality):
        rows = selectors.capacity_rows(today)
    row = next(r for r in rows if r.service == svc and r.unit == unit)
    # Days waiting: 3, 10, 20, 45 → the median is (10 + 20) / 2.
    assert (row.capacity, row.in_use, row.free, row.waiting) == (2, 2, 0, 4)
    assert row.median_waiting_days == 15


def test_capacity_rows_in_hours(world, today, praktisk):
    svc, unit = praktisk
    for hours in ("2.5", "4"):
        Assignment.all_objects.create(
            municipality=world.municipality,
            decision=service_decision(
                new_person(world.municipality, "T"), svc, world.caseworker, hours=hours
            ),
            unit=unit,
            starts_on=today,
        )
    WaitingListEntry.all_objects.create(
        municipality=world.municipality,
        decision=service_decision(
            new_person(world.municipality, "V"), svc, world.caseworker, hours="3"
        ),
        service=svc,
        unit=unit,
        added_on=today - 7 * DAY,
    )
    with activate(world.municipality):
        (row,) = selectors.capacity_rows(today, service=svc)
    assert (row.capacity, row.in_use, row.free, row.waiting, row.median_waiting_days) == (
        10,
        Decimal("6.5"),
        Decimal("3.5"),
        1,
        7,
    )
