"""Shared helpers for the institution tests (no fixtures, so guard_ids can import it)."""

from __future__ import annotations

import datetime

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.institutions import services
from mestring.institutions.models import BedCapacity, Stay
from mestring.people.models import Person, Staff, Unit, UnitKind
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality


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


def make_unit(
    municipality: Municipality,
    name: str = "Lokalmedisinsk senter",
    beds: int = 2,
    valid_from: datetime.date = datetime.date(2020, 1, 1),
    kind: str = UnitKind.INTERNAL,
) -> Unit:
    unit = Unit.all_objects.create(municipality=municipality, name=name, kind=kind)
    BedCapacity.all_objects.create(
        municipality=municipality, unit=unit, beds=beds, valid_from=valid_from
    )
    return unit


def admit(
    staff: Staff,
    person: Person,
    unit: Unit,
    *,
    on: datetime.date,
    stay_type: str = "rehabilitering",
    over_capacity: bool = False,
) -> Stay:
    with activate(staff.municipality):
        return services.stay_admit(
            actor=actor_for(staff),
            person=person,
            unit=unit,
            stay_type=stay_type,
            admitted_on=on,
            over_capacity=over_capacity,
        )
