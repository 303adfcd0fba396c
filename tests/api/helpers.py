from __future__ import annotations

from mestring.access.actor import system_actor
from mestring.api import services
from mestring.api.models import SCOPES
from mestring.people.models import Staff
from mestring.tenancy.context import activate

ALL_SCOPES = list(SCOPES)


def make_token(staff: Staff, scopes: list[str] | None = None, **kwargs: object) -> str:
    with activate(staff.municipality):
        created = services.token_create(
            actor=system_actor(staff.municipality),
            staff=staff,
            name="Test",
            scopes=ALL_SCOPES if scopes is None else scopes,
            **kwargs,
        )
    return created.raw


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
