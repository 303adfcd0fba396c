"""Shared helpers for the plans tests (no fixtures here, so guard_ids could import it)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import Consent, StaffRole
from mestring.casework.models import Case, Decision, LegalBasis
from mestring.people.models import Person, Staff, Unit
from mestring.plans import services
from mestring.plans.models import CoordinatorProfile, IndividualPlan
from mestring.tenancy.context import activate
from tests import factories

TODAY = timezone.localdate


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


def make_lead(world, username: str = "ke-leder") -> Staff:
    lead = factories.StaffFactory(
        municipality=world.municipality,
        user__username=username,
        user__first_name="Lise",
        user__last_name="Leder",
    )
    factories.give_role(lead, "leder_ke")
    return lead


def make_pool_coordinator(world, username: str, *, last_name: str = "Koordinatorsen") -> Staff:
    """A staff member in the coordinator pool, with no relation to anyone yet."""
    staff = factories.StaffFactory(
        municipality=world.municipality,
        user__username=username,
        user__first_name=username.capitalize(),
        user__last_name=last_name,
        user__email=f"{username}@example.org",
        phone="40000000",
    )
    factories.give_role(staff, "koordinator")
    CoordinatorProfile.all_objects.create(municipality=world.municipality, staff=staff)
    return staff


def make_consent(
    person: Person,
    *,
    kind: str = "individuell_plan",
    given_on: datetime.date | None = None,
    withdrawn_on: datetime.date | None = None,
) -> Consent:
    return Consent.all_objects.create(
        municipality=person.municipality,
        person=person,
        kind=kind,
        scope="Opplysninger i individuell plan",
        given_by="personen",
        given_on=given_on or TODAY() - datetime.timedelta(days=30),
        withdrawn_on=withdrawn_on,
    )


def home_unit(world) -> Unit:
    return Unit.all_objects.get(municipality=world.municipality, name="Hjemmetjenesten")


def make_plan(world, *, staff: Staff | None = None, **extra: object) -> IndividualPlan:
    """An active plan for world.person made through the service (so it has revision 1)."""
    consent = make_consent(world.person)
    with activate(world.municipality):
        return services.plan_create(
            actor=actor_for(staff or world.owner),
            person=world.person,
            consent=consent,
            responsible_unit=home_unit(world),
            start_date=extra.pop("start_date", TODAY() - datetime.timedelta(days=20)),
            **extra,
        )


def make_decision(person: Person, decided_by: Staff) -> Decision:
    case = Case.all_objects.create(
        municipality=person.municipality,
        person=person,
        kind="ip_koordinator",
        received_on=datetime.date(2026, 1, 5),
    )
    return Decision.all_objects.create(
        municipality=person.municipality,
        case=case,
        subject="individuell_plan",
        outcome="innvilget",
        reasons="Behov for langvarige og koordinerte tjenester.",
        legal_basis=LegalBasis.all_objects.get(
            municipality=person.municipality, code="individuell-plan"
        ),
        decided_on=datetime.date(2026, 1, 20),
        decided_by=decided_by,
    )


def d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")
