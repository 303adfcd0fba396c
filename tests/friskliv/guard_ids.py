"""Id of a frisklivsresept of world.person, for the guard walker tests."""

from __future__ import annotations

from tests.friskliv.helpers import register


def make_ids(world) -> dict[str, int]:
    return {"prescription_id": register(world.owner, world.person).pk}
