"""Id of a relative of world.person with a right to act, for the guard walker tests."""

from __future__ import annotations

from tests import factories


def make_ids(world) -> dict[str, int]:
    relative = factories.RelativeFactory(
        person=world.person, name="Vera Verge", relation="verge", acting_basis="vergemål"
    )
    return {"relative_id": relative.pk}
