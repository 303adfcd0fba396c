"""Ids for the person URLs of the referrals app (used by the guard walker tests)."""

from __future__ import annotations

from tests.referrals.helpers import make_referral


def make_ids(world) -> dict[str, int]:
    return {"referral_id": make_referral(world.person).pk}
