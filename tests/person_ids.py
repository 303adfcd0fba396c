"""Objects of every kind that person URLs point at, all belonging to one person.

Each app contributes its own: `tests/<app>/guard_ids.py` defines
`make_ids(world) -> dict[str, int]` for the objects its person URLs point at. Used by the
guard walker (tests/access) and the attack suite (tests/attack).
"""

from __future__ import annotations

import datetime
import importlib
from pathlib import Path

from django.urls import reverse

from mestring.access.models import Block, CareRelation, Consent
from tests import factories
from tests.urlwalk import Route


def _app_ids(world) -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted(Path(__file__).parent.glob("*/guard_ids.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.guard_ids")
        found.update(module.make_ids(world))
    return found


def make_person_ids(world) -> dict[str, int]:
    bystander = factories.StaffFactory(municipality=world.municipality)
    block = Block.all_objects.create(
        municipality=world.municipality, person=world.person, staff=bystander
    )
    consent = Consent.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        kind="annet",
        scope="Test",
        given_by="personen",
        given_on=datetime.date(2026, 1, 1),
    )
    relation = CareRelation.all_objects.filter(staff=world.owner).first()
    return {
        **_app_ids(world),
        "person_id": world.person.pk,
        "relation_id": relation.pk,
        "block_id": block.pk,
        "consent_id": consent.pk,
    }


def url_for(route: Route, ids: dict[str, int], **override: int) -> str:
    values = {**ids, **override}
    missing = set(route.params) - set(values)
    assert not missing, f"{route.name}: make {missing} in tests/<app>/guard_ids.py"
    return reverse(route.name, kwargs={name: values[name] for name in route.params})
