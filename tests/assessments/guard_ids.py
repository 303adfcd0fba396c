"""Id of an assessment of world.person, for the guard walker tests."""

from __future__ import annotations

from tests.assessments.helpers import record


def make_ids(world) -> dict[str, int]:
    return {"assessment_id": record(world.owner, world.person).pk}
