"""Shared helpers for the loan tests (no fixtures, so guard_ids can import it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.devices.models import DeviceOrder, DeviceType, Item, Loan, NavApplication
from mestring.devices.services import loans as loan_services
from mestring.devices.services import nav as nav_services
from mestring.devices.services import orders as order_services
from mestring.people.models import Person, Staff
from mestring.tenancy.context import activate

DAY = datetime.date(2026, 3, 2)


def actor_for(staff: Staff) -> Actor:
    """The actor the middleware would build for this staff member."""
    roles = list(StaffRole.all_objects.filter(staff=staff).select_related("role"))
    return Actor(
        municipality=staff.municipality,
        user=staff.user,
        staff=staff,
        role_codes=tuple(a.role.code for a in roles),
        permissions=frozenset(p for a in roles for p in a.role.permissions),
    )


def device_type(municipality: object, name: str = "Rullator") -> DeviceType:
    found = DeviceType.all_objects.filter(municipality=municipality, name=name).first()
    return found or DeviceType.all_objects.create(
        municipality=municipality, name=name, category="Mobilitet"
    )


def make_item(
    municipality: object,
    label: str,
    *,
    owner: str = "kommune",
    value: Decimal | int = 2500,
    status: str = "ledig",
    type_name: str = "Rullator",
) -> Item:
    return Item.all_objects.create(
        municipality=municipality,
        device_type=device_type(municipality, type_name),
        label=label,
        value_nok=Decimal(value),
        owner=owner,
        status=status,
    )


def order(
    staff: Staff,
    person: Person,
    label: str,
    *,
    on: datetime.date = DAY,
    expected: datetime.date | None = None,
    **extra: object,
) -> Loan:
    with activate(staff.municipality):
        return loan_services.loan_order(
            actor=actor_for(staff),
            person=person,
            label=label,
            ordered_on=on,
            expected_return_on=expected or on + datetime.timedelta(days=90),
            **extra,
        )


def order_type(
    staff: Staff,
    person: Person,
    type_name: str = "Rullator",
    *,
    on: datetime.date = DAY,
    expected: datetime.date | None = None,
    **extra: object,
) -> DeviceOrder:
    """An order by type: filled with a free item of the type, or waiting."""
    with activate(staff.municipality):
        return order_services.device_order_create(
            actor=actor_for(staff),
            person=person,
            device_type=device_type(person.municipality, type_name),
            ordered_on=on,
            expected_return_on=expected or on + datetime.timedelta(days=90),
            **extra,
        )


def deliver(staff: Staff, loan: Loan, on: datetime.date = DAY) -> Loan:
    with activate(staff.municipality):
        return loan_services.loan_deliver(actor=actor_for(staff), loan=loan, delivered_on=on)


def give_back(
    staff: Staff, loan: Loan, on: datetime.date, condition: str = "god", note: str = ""
) -> Loan:
    with activate(staff.municipality):
        return loan_services.loan_return(
            actor=actor_for(staff), loan=loan, returned_on=on, condition=condition, note=note
        )


def apply_nav(staff: Staff, person: Person, *, on: datetime.date = DAY) -> NavApplication:
    with activate(staff.municipality):
        return nav_services.nav_application_create(
            actor=actor_for(staff),
            person=person,
            description="Elektrisk rullestol",
            sent_on=on,
            device_type=device_type(person.municipality, "Elektrisk rullestol"),
        )
