"""Shared helpers for the casework tests (no fixtures here, so guard_ids could import it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.guard import decide
from mestring.access.models import StaffRole
from mestring.casework import services
from mestring.casework.models import Case, Decision, LegalBasis
from mestring.people.models import Person, Staff
from mestring.tenancy.context import activate
from tests import factories


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


def make_lead(municipality: object, username: str = "ke-leder") -> Staff:
    """A coordinating-unit lead (leder_ke): may register applications and decide."""
    lead = factories.StaffFactory(
        municipality=municipality,
        user__username=username,
        user__first_name="Liv",
        user__last_name="Leder",
        title="Leder koordinerende enhet",
    )
    factories.give_role(lead, "leder_ke")
    return lead


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def apply(staff: Staff, person: Person, **extra: Any) -> Case:
    data = {
        "received_on": timezone.localdate(),
        "requests_individual_plan": True,
        "requests_coordinator": True,
        **extra,
    }
    with activate(staff.municipality):
        return services.case_apply(actor=actor_for(staff), person=person, **data)


def legal_basis(municipality: object, code: str = "individuell-plan") -> LegalBasis:
    return LegalBasis.all_objects.get(municipality=municipality, code=code)


def decide_subject(staff: Staff, case: Case, subject: str, **extra: Any) -> Decision:
    code = "individuell-plan" if subject == "individuell_plan" else "koordinator"
    data = {
        "outcome": "innvilget",
        "reasons": "Langvarige og koordinerte tjenester fra flere enheter.",
        "legal_basis": legal_basis(case.municipality, code),
        "decided_on": timezone.localdate(),
        **extra,
    }
    with activate(staff.municipality):
        return services.decision_make(actor=actor_for(staff), case=case, subject=subject, **data)


def may_see(staff: Staff, person: Person) -> bool:
    with activate(staff.municipality):
        return decide(actor_for(staff), person.pk).allowed
