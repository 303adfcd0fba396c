"""Loan, NAV and inquiry services: reservation at order, delivery, return to cleaning
or repair, the two-year rule, sources of the loan, NAV statuses, audit rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from mestring.access.models import AuditEvent
from mestring.devices.models import (
    MUNICIPAL_LOAN_MAX_DAYS,
    Item,
    ItemStatusChange,
    Loan,
    NavApplicationStatusChange,
)
from mestring.devices.services import inquiries as inquiry_services
from mestring.devices.services import loans as loan_services
from mestring.devices.services import nav as nav_services
from mestring.kernel.states import TransitionNotAllowed
from mestring.plans.models import Measure
from mestring.tenancy.context import activate
from tests import factories
from tests.devices.loan_helpers import (
    DAY,
    actor_for,
    apply_nav,
    deliver,
    device_type,
    give_back,
    make_item,
    order,
)
from tests.plans.helpers import make_decision, make_plan

pytestmark = pytest.mark.django_db


def status(item: Item) -> str:
    return Item.all_objects.get(pk=item.pk).status


def test_order_reserves_the_item_and_cannot_lend_it_twice(world):
    item = make_item(world.municipality, "HM-0001")
    loan = order(world.owner, world.person, " HM-0001 ")
    assert status(item) == "utlant"
    assert loan.delivered_on is None and loan.ordered_by == world.owner
    other = factories.PersonFactory(municipality=world.municipality)
    with pytest.raises(loan_services.LoanError, match="ikke ledig"):
        order(world.owner, other, "HM-0001")
    assert Loan.all_objects.count() == 1
    history = list(
        ItemStatusChange.all_objects.filter(item=item).values_list("to_status", flat=True)
    )
    assert history == ["utlant"]
    events = AuditEvent.all_objects.filter(object_type__startswith="devices.")
    assert {(e.action, e.person_id) for e in events} == {
        ("devices.loan.order", world.person.pk),
        ("devices.item.status", world.person.pk),
    }


def test_unknown_label_is_refused(world):
    with pytest.raises(loan_services.LoanError, match="Fant ikke noe hjelpemiddel"):
        order(world.owner, world.person, "FINNES-IKKE")


def test_municipal_loan_over_two_years_is_refused_nav_is_not(world):
    make_item(world.municipality, "HM-0002")
    too_long = DAY + datetime.timedelta(days=MUNICIPAL_LOAN_MAX_DAYS + 1)
    with pytest.raises(loan_services.MunicipalLoanTooLong, match="NAV"):
        order(world.owner, world.person, "HM-0002", expected=too_long)
    assert not Loan.all_objects.exists()
    just = DAY + datetime.timedelta(days=MUNICIPAL_LOAN_MAX_DAYS)
    assert order(world.owner, world.person, "HM-0002", expected=just).pk
    make_item(world.municipality, "NAV-1", owner="nav")
    assert order(world.owner, world.person, "NAV-1", expected=too_long).pk


def test_loan_from_a_decision_or_a_measure_of_the_person_only(world):
    make_item(world.municipality, "HM-0003")
    make_item(world.municipality, "HM-0004")
    make_item(world.municipality, "HM-0005")
    decision = make_decision(world.person, world.owner)
    with activate(world.municipality):
        plan = make_plan(world)
        measure = Measure.objects.create(plan=plan, title="Rullator til turer")
    assert order(world.owner, world.person, "HM-0003", decision=decision).decision == decision
    assert order(world.owner, world.person, "HM-0004", measure=measure).measure == measure
    other = factories.PersonFactory(municipality=world.municipality)
    with pytest.raises(loan_services.LoanError, match="Vedtaket gjelder ikke"):
        order(world.owner, other, "HM-0005", decision=decision)
    with pytest.raises(loan_services.LoanError, match="Tiltaket hører ikke"):
        order(world.owner, other, "HM-0005", measure=measure)
    with pytest.raises(loan_services.LoanError, match="ikke begge"):
        order(world.owner, world.person, "HM-0005", decision=decision, measure=measure)


def test_deliver_and_return_to_cleaning(world):
    item = make_item(world.municipality, "HM-0010")
    loan = order(world.owner, world.person, "HM-0010")
    with pytest.raises(loan_services.LoanError, match="ikke levert ut"):
        give_back(world.owner, loan, DAY)
    with pytest.raises(loan_services.LoanError, match="før bestillingsdatoen"):
        deliver(world.owner, loan, DAY - datetime.timedelta(days=1))
    loan = deliver(world.owner, loan, DAY)
    assert (loan.delivered_on, loan.delivered_by) == (DAY, world.owner)
    with pytest.raises(loan_services.LoanError, match="allerede levert"):
        deliver(world.owner, loan, DAY)
    with pytest.raises(loan_services.LoanError, match="før utleveringsdatoen"):
        give_back(world.owner, loan, DAY - datetime.timedelta(days=1))
    back = DAY + datetime.timedelta(days=30)
    loan = give_back(world.owner, loan, back, "slitt")
    assert (loan.returned_on, loan.return_condition, loan.received_by) == (
        back,
        "slitt",
        world.owner,
    )
    assert status(item) == "rengjoring"
    with pytest.raises(loan_services.LoanError, match="allerede avsluttet"):
        give_back(world.owner, loan, back)
    returned = AuditEvent.all_objects.get(action="devices.loan.return")
    assert returned.person_id == world.person.pk


def test_damaged_return_goes_straight_to_repair(world):
    item = make_item(world.municipality, "HM-0011")
    loan = deliver(world.owner, order(world.owner, world.person, "HM-0011"))
    give_back(world.owner, loan, DAY, "skadet")
    assert status(item) == "reparasjon"


def test_nav_application_through_all_statuses(world):
    application = apply_nav(world.owner, world.person)
    assert application.status == "sendt"
    actor = actor_for(world.owner)
    with activate(world.municipality):
        with pytest.raises(TransitionNotAllowed):
            nav_services.nav_application_status(
                actor=actor, application=application, to_status="levert", changed_on=DAY
            )
        nav_services.nav_application_status(
            actor=actor, application=application, to_status="innvilget", changed_on=DAY
        )
        with pytest.raises(nav_services.NavError, match="merkelappen"):
            nav_services.nav_application_status(
                actor=actor, application=application, to_status="levert", changed_on=DAY
            )
        make_item(world.municipality, "TATT")
        with pytest.raises(nav_services.NavError, match="allerede brukt"):
            nav_services.nav_application_status(
                actor=actor,
                application=application,
                to_status="levert",
                changed_on=DAY,
                label="TATT",
            )
        nav_services.nav_application_status(
            actor=actor,
            application=application,
            to_status="levert",
            changed_on=DAY,
            label="NAV-777",
            serial_number="SN1",
            value_nok=Decimal("45000"),
        )
    item = Item.all_objects.get(label="NAV-777")
    assert (item.owner, item.status, item.value_nok) == ("nav", "utlant", Decimal("45000"))
    assert item.device_type == device_type(world.municipality, "Elektrisk rullestol")
    loan = Loan.all_objects.get(item=item)
    assert (loan.person, loan.nav_application, loan.delivered_on) == (
        world.person,
        application,
        DAY,
    )
    later = DAY + datetime.timedelta(days=100)
    with activate(world.municipality):
        nav_services.nav_application_status(
            actor=actor, application=application, to_status="returnert", changed_on=later
        )
    loan.refresh_from_db()
    assert loan.returned_on == later
    assert status(item) == "rengjoring"
    steps = NavApplicationStatusChange.all_objects.filter(application=application)
    assert [s.to_status for s in steps] == ["sendt", "innvilget", "levert", "returnert"]
    application.refresh_from_db()
    assert application.status == "returnert" and application.decided_on == DAY


def test_refused_application_is_final(world):
    application = apply_nav(world.owner, world.person)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        nav_services.nav_application_status(
            actor=actor, application=application, to_status="avslatt", changed_on=DAY
        )
        with pytest.raises(TransitionNotAllowed):
            nav_services.nav_application_status(
                actor=actor, application=application, to_status="innvilget", changed_on=DAY
            )


def test_inquiry_with_and_without_person(world):
    actor = actor_for(world.owner)
    with activate(world.municipality):
        one = inquiry_services.inquiry_register(
            actor=actor, received_on=DAY, topic="hjelpemiddel", person=world.person
        )
        two = inquiry_services.inquiry_register(actor=actor, received_on=DAY, topic="annet")
        with pytest.raises(inquiry_services.InquiryError):
            inquiry_services.inquiry_register(
                actor=actor,
                received_on=DAY,
                topic="annet",
                handled_on=DAY - datetime.timedelta(days=1),
            )
    assert one.person == world.person and two.person is None
    events = AuditEvent.all_objects.filter(action="devices.inquiry.create")
    assert sorted(e.person_id or 0 for e in events) == sorted([world.person.pk, 0])
