"""Who is acting: the user, their staff membership, roles and the request's origin.

Services take an `actor` so that rules and the audit row know who
did what; the middleware builds one per request, commands build a system actor.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mestring.accounts.models import User
    from mestring.people.models import Staff
    from mestring.tenancy.models import Municipality


@dataclass(frozen=True)
class Actor:
    municipality: Municipality
    user: User | None
    staff: Staff | None
    role_codes: tuple[str, ...] = ()
    unit_names: tuple[str, ...] = ()
    permissions: frozenset[str] = frozenset()
    client_address: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    # Who acts when there is no user account: a citizen on their own pages.
    label: str = ""

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def username(self) -> str:
        if self.user:
            return self.user.username
        return self.label or "system"

    @property
    def display_name(self) -> str:
        """The user's name as it is now, kept on each audit row (`actor_name`)."""
        if self.user:
            return (self.user.get_full_name() or self.user.username)[:300]
        return ""

    @property
    def hpr_number(self) -> str:
        return self.staff.hpr_number if self.staff else ""


def system_actor(municipality: Municipality, *, label: str = "system") -> Actor:
    """For commands and jobs: acts for the municipality, never for a person's care."""
    return Actor(municipality=municipality, user=None, staff=None, role_codes=(label,))
