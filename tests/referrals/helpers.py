"""Shared helpers for the referrals tests (no fixtures here, so guard_ids can import it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.people.models import Person, Staff
from mestring.referrals.models import Referral, ReferralStatusChange


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


def make_referral(
    person: Person,
    *,
    received_on: datetime.date | None = None,
    status: str = "mottatt",
    **extra: Any,
) -> Referral:
    """A message as registration leaves it, with its first history row."""
    referral = Referral.all_objects.create(
        municipality=person.municipality,
        person=person,
        source=extra.pop("source", "fastlege"),
        received_on=received_on or timezone.localdate(),
        description=extra.pop("description", "Trenger hjelp etter hjerneslag."),
        status=status,
        **extra,
    )
    ReferralStatusChange.all_objects.create(
        municipality=person.municipality, referral=referral, from_status="", to_status=status
    )
    return referral
