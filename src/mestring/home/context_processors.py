from __future__ import annotations

from django.http import HttpRequest

from mestring.home.hubs import visible_hubs


def menu(request: HttpRequest) -> dict[str, object]:
    """The menu's sections this user may open (none before a municipality is chosen)."""
    return {"menu_hubs": visible_hubs(getattr(request, "actor", None))}
