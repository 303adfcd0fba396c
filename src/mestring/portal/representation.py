"""Whom a logged-in citizen may act for: themselves, and persons for whom they are a
recorded relative with a right to act (power of attorney, guardianship, or parental
responsibility for a child under the age at which the child's own consent is required).

Checked again on every request, so a right that ends takes effect at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mestring.people.models import ActingBasis, Person, Relative, acting_in_force_q

SELF = "selv"


@dataclass(frozen=True)
class Representation:
    person: Person
    basis: str  # SELF or an ActingBasis value
    relative: Relative | None = None

    @property
    def on_behalf(self) -> bool:
        return self.basis != SELF


def child_consent_age() -> int:
    """From this age a child's own consent is needed; parental responsibility alone no
    longer gives access (configurable, MESTRING_CHILD_CONSENT_AGE)."""
    return settings.MESTRING_CHILD_CONSENT_AGE


def representations(national_id: str, today: datetime.date | None = None) -> list[Representation]:
    """In the active municipality: the citizen's own record first, then those they may
    act for."""
    if not national_id:
        return []
    today = today or timezone.localdate()
    result = [
        Representation(person=person, basis=SELF)
        for person in Person.objects.filter(national_id=national_id)
    ]
    relatives = (
        Relative.objects.filter(national_id=national_id)
        .filter(
            Q(acting_basis=ActingBasis.POWER_OF_ATTORNEY)
            | Q(acting_basis=ActingBasis.GUARDIANSHIP)
            | Q(acting_basis=ActingBasis.PARENTAL_RESPONSIBILITY)
        )
        # An ended right, or one past its last day, gives nothing (M6).
        .filter(acting_in_force_q(today))
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    for relative in relatives:
        if (
            relative.acting_basis == ActingBasis.PARENTAL_RESPONSIBILITY
            and relative.person.age_on(today) >= child_consent_age()
        ):
            continue
        result.append(
            Representation(person=relative.person, basis=relative.acting_basis, relative=relative)
        )
    return result


def representation_for(national_id: str, person_id: int) -> Representation | None:
    return next((r for r in representations(national_id) if r.person.pk == person_id), None)
