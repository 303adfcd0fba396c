from __future__ import annotations

from django.http import HttpRequest


def active_municipality(request: HttpRequest) -> dict[str, object]:
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "active_municipality": actor.municipality if actor else None,
        "memberships": getattr(request, "memberships", []),
    }
