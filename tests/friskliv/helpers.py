"""Shared helpers for the frisklivsresept tests (no fixtures, so guard_ids can import it)."""

from __future__ import annotations

import datetime

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.friskliv import services
from mestring.friskliv.models import Prescription
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


def register(
    staff: Staff,
    person: Person,
    *,
    on: datetime.date = DAY,
    reason: str = "inaktivitet",
    contact: Staff | None = None,
) -> Prescription:
    with activate(staff.municipality):
        return services.prescription_register(
            actor=actor_for(staff),
            person=person,
            referral_date=on,
            reason=reason,
            referrer_kind="fastlege",
            referrer_name="Dr. Testesen",
            contact=contact,
        )
