"""The citizen's login session, kept apart from staff logins.

A citizen is not a staff user: after the identity provider's login (OpenID Connect,
ID-porten in production) the session holds the identity number, the name, the
assurance level and the municipality, and which person's pages are shown (their own,
or a person they may act for).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from mestring.core.session_keys import CITIZEN
from mestring.tenancy.models import Municipality

SESSION_KEY = CITIZEN
# When the citizen last did anything (seconds since the epoch): the idle timeout.
LAST_ACTIVE_KEY = "citizen_last_active"


@dataclass(frozen=True)
class CitizenSession:
    national_id: str
    name: str
    acr: str  # the assurance level of the login, e.g. idporten-loa-high
    municipality_id: int
    acting_for_id: int | None  # the person whose pages are shown
    logged_in_at: float


def citizen_login(
    request: HttpRequest, *, municipality: Municipality, national_id: str, name: str, acr: str
) -> CitizenSession:
    """Start a citizen session; a new session id so the login cannot be fixed."""
    request.session.cycle_key()
    citizen = CitizenSession(
        national_id=national_id,
        name=name,
        acr=acr,
        municipality_id=municipality.pk,
        acting_for_id=None,
        logged_in_at=time.time(),
    )
    request.session[SESSION_KEY] = asdict(citizen)
    request.session[LAST_ACTIVE_KEY] = citizen.logged_in_at
    return citizen


def current_citizen(request: HttpRequest) -> CitizenSession | None:
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    try:
        return CitizenSession(**data)
    except TypeError:  # a session from an older version: log in again
        request.session.pop(SESSION_KEY, None)
        return None


def choose_person(request: HttpRequest, person_id: int | None) -> None:
    """Show this person's pages (the caller has checked the right to act)."""
    data = dict(request.session[SESSION_KEY])
    data["acting_for_id"] = person_id
    request.session[SESSION_KEY] = data


def citizen_logout(request: HttpRequest) -> None:
    request.session.flush()


def stamp_activity(request: HttpRequest, now: float | None = None) -> None:
    request.session[LAST_ACTIVE_KEY] = time.time() if now is None else now


def idle_seconds(request: HttpRequest, now: float | None = None) -> float:
    """Seconds since the citizen's last request (since the login for a session stamped
    before the stamp existed)."""
    now = time.time() if now is None else now
    data = request.session.get(SESSION_KEY) or {}
    last = request.session.get(LAST_ACTIVE_KEY, data.get("logged_in_at", 0.0))
    try:
        return now - float(last)
    except (TypeError, ValueError):  # a broken stamp counts as long ago
        return float("inf")


def session_age_seconds(request: HttpRequest, now: float | None = None) -> float:
    """Seconds since the citizen logged in."""
    now = time.time() if now is None else now
    data = request.session.get(SESSION_KEY) or {}
    try:
        return now - float(data.get("logged_in_at", 0.0))
    except (TypeError, ValueError):  # a broken stamp counts as long ago
        return float("inf")


def end_if_idle(request: HttpRequest) -> HttpResponse | None:
    """End a citizen session idle longer than the limit (MESTRING_CITIZEN_IDLE_SECONDS),
    or older than the absolute limit (MESTRING_CITIZEN_ABSOLUTE_SECONDS) however active:
    log out and answer with the login page of the citizen's municipality and a message.
    None while the session is alive."""
    limit = settings.MESTRING_CITIZEN_IDLE_SECONDS
    absolute = settings.MESTRING_CITIZEN_ABSOLUTE_SECONDS
    if idle_seconds(request) > limit:
        message = _(
            "Du ble logget ut av Min side fordi du ikke hadde vært aktiv på %(minutes)s "
            "minutter. Logg inn på nytt for å fortsette."
        ) % {"minutes": max(1, round(limit / 60))}
    elif session_age_seconds(request) > absolute:
        message = _(
            "Du ble logget ut av Min side fordi du hadde vært innlogget i %(hours)s timer. "
            "Logg inn på nytt for å fortsette."
        ) % {"hours": max(1, round(absolute / 3600))}
    else:
        return None
    municipality_id = (request.session.get(SESSION_KEY) or {}).get("municipality_id")
    municipality = (
        Municipality.objects.filter(pk=municipality_id).first()
        if municipality_id is not None
        else None
    )
    citizen_logout(request)
    messages.info(request, message)
    url = reverse("portal:login")
    return redirect(f"{url}?kommune={municipality.number}" if municipality else url)
