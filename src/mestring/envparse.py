"""Small readers for settings from the environment, with clear errors for bad values."""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, *, default: str, conn_max_age: int) -> dj_database_url.DBConfig:
    """The database from a URL; empty means the default. A URL that cannot be read
    stops the start with what was wrong instead of a traceback from deep inside."""
    raw = (os.environ.get(name) or "").strip() or default
    try:
        return dj_database_url.parse(raw, conn_max_age=conn_max_age)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"{name} is not a database URL Mestring can use ({raw!r}): "
            "expected e.g. postgres://USER@HOST:5432/NAME or sqlite:///PATH."
        ) from exc
