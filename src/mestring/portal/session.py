"""The citizen's login session, kept apart from staff logins.

A citizen is not a staff user: after the identity provider's login (OpenID Connect,
ID-porten in production) the session holds the identity number, the name, the
assurance level and the municipality, and which person's pages are shown (their own,
or a person they may act for).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.http import HttpRequest

from mestring.tenancy.models import Municipality

SESSION_KEY = "citizen"


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
