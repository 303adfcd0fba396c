"""Assigning a granted stay reaches the ward: a planned arrival on the bed board, linked
to the decision, that the ward admits («Skriv inn») into the ordinary stay. The end of
the assignment cancels a plan not yet admitted; an admitted stay is marked, not
discharged. A planned stay takes no bed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.casework import services as casework_services
from mestring.catalogue import services as catalogue_services
from mestring.catalogue.models import Service
from mestring.institutions import provision, selectors, services
from mestring.institutions.models import PlannedStay, PlannedStayStatus, Stay, StayType
from mestring.institutions.reports import BedOccupancyReport
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for
from tests.casework.service_helpers import make_assessment
from tests.catalogue.helpers import provider, service, service_decision
from tests.conftest import make_staff
from tests.institutions.helpers import make_unit

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)
ONE = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def ward(world):
    """An institution unit with two beds that provides korttidsopphold."""
    unit = make_unit(world.municipality, name="Korttidsavdelingen", beds=2)
    provider(service(world.municipality, "korttidsopphold"), unit, "2")
    return unit


@pytest.fixture
def nurse(world, ward):
    staff = make_staff(world.municipality, "tjenesteyter", "sykepleier")
    staff.units.add(ward)
    return staff


def _decision(world, person=None, code="korttidsopphold"):
    return service_decision(
        person or world.person, service(world.municipality, code), world.caseworker
    )


def _assign(world, decision, unit, starts_on=TODAY, ends_on=None):
    with activate(world.municipality):
        return catalogue_services.decision_assign(
            actor=actor_for(world.caseworker),
            decision=decision,
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
        )


def _end(world, assignment, on):
    with activate(world.municipality):
        return catalogue_services.assignment_end(
            actor=actor_for(world.caseworker), assignment=assignment, ends_on=on
        )


def test_the_mapping_covers_the_stay_services_of_the_catalogue(world):
    codes = set(
        Service.all_objects.filter(municipality=world.municipality).values_list("code", flat=True)
    )
    assert set(provision.SERVICE_STAY_TYPES) <= codes
    assert provision.SERVICE_STAY_TYPES["korttidsopphold"] == StayType.SHORT_TERM
    assert provision.SERVICE_STAY_TYPES["avlastning"] == StayType.RESPITE


def test_an_assignment_plans_a_stay_linked_to_the_decision(world, ward):
    decision = _decision(world)
    _assign(world, decision, ward, starts_on=TODAY + 3 * ONE)

    planned = PlannedStay.all_objects.get(decision=decision)
    assert (planned.person, planned.unit, planned.stay_type) == (world.person, ward, "korttid")
    assert (planned.status, planned.expected_on) == (PlannedStayStatus.PLANNED, TODAY + 3 * ONE)
    with activate(world.municipality):
        assert planned.status_changes.get().to_status == PlannedStayStatus.PLANNED
    event = AuditEvent.all_objects.get(object_type="planned_stay", object_id=str(planned.pk))
    assert (event.action, event.person) == ("create", world.person)
    # Planned, not in a bed: no stay, nothing on the board's beds.
    assert not Stay.all_objects.filter(person=world.person).exists()
    with activate(world.municipality):
        entry = next(e for e in selectors.bed_board(TODAY + 3 * ONE) if e.unit == ward)
    assert (entry.occupied, entry.free, len(entry.planned)) == (0, 2, 1)


def test_one_plan_per_decision(world, ward):
    decision = _decision(world)
    assignment = _assign(world, decision, ward, starts_on=TODAY + ONE)
    with activate(world.municipality):
        assert provision.plan_assigned(actor_for(world.caseworker), assignment) is None
    assert PlannedStay.all_objects.filter(decision=decision).count() == 1


def test_no_beds_or_no_stay_service_plans_nothing(world):
    day_centre = factories.UnitFactory(municipality=world.municipality, name="Dagsenteret")
    provider(service(world.municipality, "korttidsopphold"), day_centre, "2")
    decision = _decision(world)
    _assign(world, decision, day_centre)
    assert not PlannedStay.all_objects.filter(decision=decision).exists()

    beds = make_unit(world.municipality, name="Sykehjemmet", beds=3)
    provider(service(world.municipality, "dagplass"), beds, "2")
    other = _decision(world, factories.PersonFactory(municipality=world.municipality), "dagplass")
    _assign(world, other, beds)
    assert not PlannedStay.all_objects.filter(decision=other).exists()


def test_admitting_a_plan_makes_the_ordinary_stay(world, ward, nurse):
    decision = _decision(world)
    _assign(world, decision, ward)
    planned = PlannedStay.all_objects.get(decision=decision)
    with activate(world.municipality):
        stay = services.planned_stay_admit(
            actor=actor_for(nurse), planned=planned, admitted_on=TODAY
        )
    planned.refresh_from_db()
    assert (planned.status, planned.stay) == (PlannedStayStatus.ADMITTED, stay)
    assert (stay.decision, stay.stay_type, stay.unit, stay.admitted_on) == (
        decision,
        "korttid",
        ward,
        TODAY,
    )
    assert stay.care_relation is not None  # the ordinary admission's own relation
    actions = set(
        AuditEvent.all_objects.filter(
            person=world.person, object_type__in=["stay", "planned_stay"]
        ).values_list("object_type", "action")
    )
    assert {("stay", "admit"), ("planned_stay", "admit")} <= actions
    with pytest.raises(services.StayConflict), activate(world.municipality):
        services.planned_stay_admit(actor=actor_for(nurse), planned=planned, admitted_on=TODAY)


def test_admitting_a_plan_keeps_the_free_bed_check(world, ward, nurse):
    for name in ("Først", "Andre"):
        person = factories.PersonFactory(municipality=world.municipality, family_name=name)
        Stay.all_objects.create(
            municipality=world.municipality,
            person=person,
            unit=ward,
            stay_type="langtid",
            admitted_on=TODAY - 10 * ONE,
        )
    decision = _decision(world)
    planned = services_plan(world, decision, ward)
    with pytest.raises(services.StayConflict), activate(world.municipality):
        services.planned_stay_admit(actor=actor_for(nurse), planned=planned, admitted_on=TODAY)
    planned.refresh_from_db()
    assert planned.status == PlannedStayStatus.PLANNED


def services_plan(world, decision, unit):
    with activate(world.municipality):
        return services.stay_plan(
            actor=actor_for(world.caseworker),
            person=world.person,
            unit=unit,
            stay_type="korttid",
            expected_on=TODAY,
            decision=decision,
        )


def test_an_end_ahead_keeps_the_plan_until_it_falls_before_the_arrival(world, ward):
    decision = _decision(world)
    assignment = _assign(world, decision, ward, starts_on=TODAY + 5 * ONE)
    _end(world, assignment, TODAY + 9 * ONE)  # ends after the arrival: the stay can happen
    planned = PlannedStay.all_objects.get(decision=decision)
    assert planned.status == PlannedStayStatus.PLANNED
    # The decision stops from a day before the arrival: nobody will come.
    with activate(world.municipality):
        casework_services.decision_stop(
            actor=actor_for(world.caseworker),
            decision=decision,
            stopped_on=TODAY + 2 * ONE,
            reason="Takket nei",
        )
    planned.refresh_from_db()
    assert (planned.status, planned.cancelled_on) == (PlannedStayStatus.CANCELLED, TODAY + 2 * ONE)


def test_ending_the_assignment_today_cancels_the_plan_audited(world, ward):
    decision = _decision(world)
    assignment = _assign(world, decision, ward)
    _end(world, assignment, TODAY)
    planned = PlannedStay.all_objects.get(decision=decision)
    assert (planned.status, planned.cancelled_on) == (PlannedStayStatus.CANCELLED, TODAY)
    with activate(world.municipality):
        reason = planned.status_changes.last().reason
    assert reason.startswith("Tildelingen til Korttidsavdelingen")
    event = AuditEvent.all_objects.get(
        object_type="planned_stay", object_id=str(planned.pk), action="end"
    )
    assert event.person == world.person
    with activate(world.municipality):
        entry = next(e for e in selectors.bed_board(TODAY) if e.unit == ward)
    assert entry.planned == []


def test_stopping_the_decision_cancels_the_plan(world, ward):
    decision = _decision(world)
    _assign(world, decision, ward, starts_on=TODAY + 7 * ONE)
    with activate(world.municipality):
        casework_services.decision_stop(
            actor=actor_for(world.caseworker),
            decision=decision,
            stopped_on=TODAY,
            reason="Trenger ikke opphold",
        )
    assert PlannedStay.all_objects.get(decision=decision).status == PlannedStayStatus.CANCELLED


def test_a_stopped_decision_marks_the_admitted_stay_but_does_not_discharge(
    world, ward, nurse, client_for
):
    decision = _decision(world)
    _assign(world, decision, ward)
    planned = PlannedStay.all_objects.get(decision=decision)
    with activate(world.municipality):
        stay = services.planned_stay_admit(
            actor=actor_for(nurse), planned=planned, admitted_on=TODAY
        )
        casework_services.decision_stop(
            actor=actor_for(world.caseworker),
            decision=decision,
            stopped_on=TODAY,
            reason="Flyttet",
        )
    stay.refresh_from_db()
    assert (stay.discharged_on, stay.decision_ended_on) == (None, TODAY)
    assert AuditEvent.all_objects.filter(
        object_type="stay", object_id=str(stay.pk), action="update"
    ).exists()
    assert planned.__class__.all_objects.get(pk=planned.pk).status == PlannedStayStatus.ADMITTED
    html = client_for(nurse).get(reverse("institutions:bed_board")).content.decode()
    assert "Vedtaket er avsluttet" in html
    # Before the day the decision ended the board does not say so.
    earlier = client_for(nurse).get(
        reverse("institutions:bed_board"), {"dato": (TODAY - ONE).strftime("%d.%m.%Y")}
    )
    assert "Vedtaket er avsluttet" not in earlier.content.decode()


def test_a_planned_stay_is_not_occupancy_in_the_report(world, ward, nurse):
    decision = _decision(world)
    _assign(world, decision, ward, starts_on=datetime.date(2026, 1, 10))
    with activate(world.municipality):
        result = BedOccupancyReport(year=2026, unit=ward).compute()
    assert result["total"]["bed_days"] == 0 and result["rows"] == []
    planned = PlannedStay.all_objects.get(decision=decision)
    with activate(world.municipality):
        services.planned_stay_admit(actor=actor_for(nurse), planned=planned, admitted_on=TODAY)
        result = BedOccupancyReport(year=2026, unit=ward).compute()
    # Admitted 15.06: the nights to the year's end count, under korttid.
    nights = (datetime.date(2027, 1, 1) - TODAY).days
    assert result["rows"] == [
        {
            "stay_type": "korttid",
            "patients": 1,
            "bed_days": nights,
            "occupancy_pct": result["rows"][0]["occupancy_pct"],
        }
    ]


def test_a_changed_decision_carries_the_plan_and_its_end(world, ward, nurse):
    decision = _decision(world)
    _assign(world, decision, ward)
    planned = PlannedStay.all_objects.get(decision=decision)
    make_assessment(world.caseworker, world.person, assessed_on=TODAY - ONE)
    with activate(world.municipality):
        new = casework_services.decision_change(
            actor=actor_for(world.caseworker),
            decision=decision,
            changed_on=TODAY,
            reason="Flere døgn",
            days=21,
            valid_from=TODAY,
        )
        stay = services.planned_stay_admit(
            actor=actor_for(nurse), planned=planned, admitted_on=TODAY
        )
        assert stay.decision == new  # the assignment moved to the new decision
        casework_services.decision_stop(
            actor=actor_for(world.caseworker), decision=new, stopped_on=TODAY, reason="Slutt"
        )
    stay.refresh_from_db()
    assert stay.decision_ended_on == TODAY
