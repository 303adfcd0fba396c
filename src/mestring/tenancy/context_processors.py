from __future__ import annotations

from django.http import HttpRequest

from mestring.core.hubs import visible_hubs


def active_municipality(request: HttpRequest) -> dict[str, object]:
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "menu_hubs": visible_hubs(actor),
        "active_municipality": actor.municipality if actor else None,
        "memberships": getattr(request, "memberships", []),
    }
