"""Ids for the guard walker tests: an observation of world.person, and an instrument
(the slug in the URL of the form to record a measure)."""

from __future__ import annotations

from tests.outcomes.helpers import sppb


def make_ids(world) -> dict[str, int | str]:
    return {"observation_id": sppb(world.owner, world.person).pk, "instrument": "sppb"}
