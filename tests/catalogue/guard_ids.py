"""Ids of a service decision and a waiting-list entry of world.person, for the guard walkers."""

from __future__ import annotations

import datetime

from mestring.catalogue.models import WaitingListEntry
from tests import factories
from tests.catalogue.helpers import provider, service, service_decision


def make_ids(world) -> dict[str, int]:
    municipality = world.municipality
    dagplass = service(municipality, "dagplass")
    unit = factories.UnitFactory(municipality=municipality, name="Aktivitetssenteret")
    provider(dagplass, unit, "0")
    decision = service_decision(world.person, dagplass, world.caseworker)
    entry = WaitingListEntry.all_objects.create(
        municipality=municipality,
        decision=decision,
        service=dagplass,
        unit=unit,
        added_on=datetime.date(2026, 2, 1),
    )
    return {"decision_id": decision.pk, "entry_id": entry.pk}
