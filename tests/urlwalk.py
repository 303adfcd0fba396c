"""Finds every URL pattern of the project, so that guard tests cover new URLs by themselves."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "people:overview"
    params: tuple[str, ...]


# The REST API's operations answer bearer tokens, not web sessions: tests/api walks them
# (every endpoint refused without the right, Schemathesis over the whole document). Its
# web pages (the staff member's tokens) are walked here like any other page.
API_WEB_PAGES = {"api:token_list", "api:token_revoke"}


def _is_api_operation(name: str) -> bool:
    return name.startswith("api:") and name not in API_WEB_PAGES


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns: list, namespace: str, params: tuple[str, ...]) -> None:
        for entry in patterns:
            own = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns, params + own)
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}{entry.name}"
                if not _is_api_operation(name):
                    routes.append(Route(name, params + own))

    walk(get_resolver().url_patterns, "", ())
    return routes


def person_routes() -> list[Route]:
    return [route for route in all_routes() if "person_id" in route.params]
