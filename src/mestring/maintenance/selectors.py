"""Reads of the maintenance app."""

from __future__ import annotations

from mestring.maintenance import retention
from mestring.maintenance.models import RetentionPolicy
from mestring.tenancy.context import get_active_municipality


def retention_policy() -> RetentionPolicy:
    """The active municipality's periods (an unsaved default row until one is chosen)."""
    return RetentionPolicy.objects.first() or RetentionPolicy(
        municipality=get_active_municipality()
    )


def retention_preview_for_page() -> list[retention.KindResult]:
    """What a retention run would do today, for the settings page (counts only)."""
    return retention.plan(get_active_municipality().pk)
