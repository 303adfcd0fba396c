"""Finds every URL pattern of the project, so that guard tests cover new URLs by themselves."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "people:overview"
    params: tuple[str, ...]


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns: list, namespace: str, params: tuple[str, ...]) -> None:
        for entry in patterns:
            own = tuple(entry.pattern.converters) if hasattr(entry.pattern, "converters") else ()
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns, params + own)
            elif isinstance(entry, URLPattern) and entry.name:
                routes.append(Route(f"{namespace}{entry.name}", params + own))

    walk(get_resolver().url_patterns, "", ())
    return routes


def person_routes() -> list[Route]:
    return [route for route in all_routes() if "person_id" in route.params]
