"""The active municipality of the current request or command.

One context variable decides which municipality every scoped query sees, so no view
scopes by hand: the middleware sets it per request, commands set it explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mestring.tenancy.models import Municipality

_active: ContextVar[Municipality | None] = ContextVar("active_municipality", default=None)


class NoActiveMunicipality(RuntimeError):
    """A scoped query ran outside any municipality: a programming error, never data."""


def get_active_municipality() -> Municipality:
    municipality = _active.get()
    if municipality is None:
        raise NoActiveMunicipality(
            "No active municipality: wrap the code in tenancy.context.activate(...)."
        )
    return municipality


def get_active_municipality_or_none() -> Municipality | None:
    return _active.get()


@contextmanager
def activate(municipality: Municipality | None) -> Iterator[None]:
    token = _active.set(municipality)
    try:
        yield
    finally:
        _active.reset(token)
