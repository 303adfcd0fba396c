"""Ids in the device person URLs (a NAV application, a loan and an order of
world.person), for the guard walker tests."""

from __future__ import annotations

from tests.devices.loan_helpers import apply_nav, make_item, order, order_type


def make_ids(world) -> dict[str, int]:
    make_item(world.municipality, "GUARD-1")
    return {
        "application_id": apply_nav(world.owner, world.person).pk,
        "loan_id": order(world.owner, world.person, "GUARD-1").pk,
        "order_id": order_type(world.owner, world.person, "Ventetype").pk,
    }
