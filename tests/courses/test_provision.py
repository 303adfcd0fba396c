"""Assigning a service to a unit that holds a course for it enrols the person in the
unit's next course for it («Påmeldt», or «Venteliste» when full), linked to the
decision, once per decision; the end of the assignment withdraws the enrolment."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.casework import services as casework_services
from mestring.catalogue import services as catalogue_services
from mestring.courses import provision
from mestring.courses import services as course_services
from mestring.courses.models import Course, Enrolment, EnrolmentStatus
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for
from tests.catalogue.helpers import provider, service, service_decision

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)
ONE = datetime.timedelta(days=1)
CODE = "hverdagsmestring"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def unit(world):
    unit = factories.UnitFactory(municipality=world.municipality, name="Lærings- og mestring")
    provider(service(world.municipality, CODE), unit, None)
    return unit


def _course(world, unit, *, starts_on=TODAY + 7 * ONE, ends_on=None, capacity=2, svc=CODE):
    with activate(world.municipality):
        return course_services.course_save(
            actor=actor_for(world.caseworker),
            course=None,
            data={
                "title": f"Mestringskurs {starts_on:%d.%m}",
                "kind": "laering_mestring",
                "target_group": "annet",
                "unit": unit,
                "capacity": capacity,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "is_published": True,
                "service": service(world.municipality, svc) if svc else None,
            },
        )


def _decision(world, person=None):
    return service_decision(
        person or world.person, service(world.municipality, CODE), world.caseworker
    )


def _assign(world, decision, unit):
    with activate(world.municipality):
        return catalogue_services.decision_assign(
            actor=actor_for(world.caseworker), decision=decision, unit=unit, starts_on=TODAY
        )


def test_an_assignment_enrols_in_the_units_next_course_for_the_service(world, unit):
    _course(world, unit, starts_on=TODAY - 30 * ONE, ends_on=TODAY - ONE)  # ended
    later = _course(world, unit, starts_on=TODAY + 40 * ONE)
    _course(world, unit, starts_on=TODAY + 3 * ONE, svc=None)  # no service
    other_unit = factories.UnitFactory(municipality=world.municipality)
    _course(world, other_unit, starts_on=TODAY + 2 * ONE)  # another unit's
    nearest = _course(world, unit, starts_on=TODAY + 10 * ONE)
    decision = _decision(world)
    _assign(world, decision, unit)

    enrolment = Enrolment.all_objects.get(decision=decision)
    assert (enrolment.course, enrolment.person) == (nearest, world.person)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert not Enrolment.all_objects.filter(course=later).exists()
    event = AuditEvent.all_objects.get(object_type="enrolment", object_id=str(enrolment.pk))
    assert (event.action, event.person) == ("enrol", world.person)


def test_a_full_course_puts_the_person_on_its_waiting_list(world, unit):
    course = _course(world, unit, capacity=1)
    _assign(world, _decision(world, factories.PersonFactory(municipality=world.municipality)), unit)
    decision = _decision(world)
    _assign(world, decision, unit)
    enrolment = Enrolment.all_objects.get(decision=decision)
    assert (enrolment.course, enrolment.status) == (course, EnrolmentStatus.WAITING)
    assert AuditEvent.all_objects.filter(
        object_type="enrolment", object_id=str(enrolment.pk), action="waitlist"
    ).exists()


def test_one_enrolment_per_decision(world, unit):
    _course(world, unit)
    decision = _decision(world)
    assignment = _assign(world, decision, unit)
    _course(world, unit, starts_on=TODAY + 2 * ONE)  # a nearer course comes later
    with activate(world.municipality):
        assert provision.enrol_assigned(actor_for(world.caseworker), assignment) is None
    assert Enrolment.all_objects.filter(decision=decision).count() == 1


def test_no_course_for_the_service_enrols_nobody(world, unit):
    _course(world, unit, svc=None)
    decision = _decision(world)
    _assign(world, decision, unit)
    assert not Enrolment.all_objects.exists()


def test_already_in_the_course_is_left_as_is(world, unit):
    course = _course(world, unit)
    with activate(world.municipality):
        course_services.enrol(actor=actor_for(world.caseworker), course=course, person=world.person)
    decision = _decision(world)
    _assign(world, decision, unit)  # no error: the assignment stands
    assert Enrolment.all_objects.filter(person=world.person).count() == 1


def test_ending_the_assignment_withdraws_and_moves_the_next_up(world, unit):
    course = _course(world, unit, capacity=1)
    decision = _decision(world)
    assignment = _assign(world, decision, unit)
    waiting = _decision(world, factories.PersonFactory(municipality=world.municipality))
    _assign(world, waiting, unit)
    with activate(world.municipality):
        catalogue_services.assignment_end(
            actor=actor_for(world.caseworker), assignment=assignment, ends_on=TODAY
        )
    enrolment = Enrolment.all_objects.get(decision=decision)
    assert enrolment.status == EnrolmentStatus.WITHDRAWN
    assert AuditEvent.all_objects.filter(
        object_type="enrolment", object_id=str(enrolment.pk), action="withdraw"
    ).exists()
    moved = Enrolment.all_objects.get(decision=waiting)
    assert (moved.course, moved.status) == (course, EnrolmentStatus.ENROLLED)


def test_stopping_the_decision_withdraws_but_a_completed_course_stays(world, unit):
    _course(world, unit)
    decision = _decision(world)
    _assign(world, decision, unit)
    done = _decision(world, factories.PersonFactory(municipality=world.municipality))
    _assign(world, done, unit)
    finished = Enrolment.all_objects.get(decision=done)
    with activate(world.municipality):
        course_services.enrolment_complete(actor=actor_for(world.caseworker), enrolment=finished)
        for each in (decision, done):
            casework_services.decision_stop(
                actor=actor_for(world.caseworker), decision=each, stopped_on=TODAY, reason="Slutt"
            )
    assert Enrolment.all_objects.get(decision=decision).status == EnrolmentStatus.WITHDRAWN
    assert Enrolment.all_objects.get(decision=done).status == EnrolmentStatus.COMPLETED


def test_the_course_form_sets_the_service(world, client_for, unit):
    client = client_for(world.caseworker)
    svc = service(world.municipality, CODE)
    data = {
        "title": "Mestringskurs",
        "kind": "laering_mestring",
        "target_group": "annet",
        "unit": str(unit.pk),
        "service": str(svc.pk),
        "capacity": "8",
        "starts_on": "01.12.2026",
        "is_published": "on",
    }
    response = client.post(reverse("courses:course_create"), data, follow=True)
    course = Course.all_objects.get()
    assert course.service == svc
    assert svc.name in response.content.decode()
    edit = client.get(reverse("courses:course_edit", args=[course.pk])).content.decode()
    assert f'value="{svc.pk}" selected' in edit
    bad = client.post(reverse("courses:course_create"), {**data, "service": "999999"})
    assert "Velg en tjeneste fra listen." in bad.content.decode()
    assert Course.all_objects.count() == 1
