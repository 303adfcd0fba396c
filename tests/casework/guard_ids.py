"""Ids of a case and a decision of world.person, for the guard walker tests."""

from __future__ import annotations

import datetime

from mestring.casework.models import Case, Decision, LegalBasis


def make_ids(world) -> dict[str, int]:
    municipality = world.municipality
    case = Case.all_objects.create(
        municipality=municipality,
        person=world.person,
        kind="ip_koordinator",
        received_on=datetime.date(2026, 1, 5),
        requests_individual_plan=True,
        requests_coordinator=True,
    )
    decision = Decision.all_objects.create(
        municipality=municipality,
        case=case,
        subject="individuell_plan",
        outcome="innvilget",
        reasons="Behov for langvarige og koordinerte tjenester.",
        legal_basis=LegalBasis.all_objects.get(municipality=municipality, code="individuell-plan"),
        decided_on=datetime.date(2026, 1, 20),
        decided_by=world.caseworker,
    )
    return {"case_id": case.pk, "decision_id": decision.pk}
