"""Ids in the device person URLs (a NAV application of world.person), for the guard
walker tests."""

from __future__ import annotations

from tests.devices.loan_helpers import apply_nav, make_item, order


def make_ids(world) -> dict[str, int]:
    make_item(world.municipality, "GUARD-1")
    return {
        "application_id": apply_nav(world.owner, world.person).pk,
        "loan_id": order(world.owner, world.person, "GUARD-1").pk,
    }
