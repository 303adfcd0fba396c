"""The demo acts as its users: each domain action in the demo history is done by the
demo user whose work it is, with that user's roles, as if through the pages."""

from __future__ import annotations

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.people.models import Staff


def demo_actor(staff: Staff) -> Actor:
    roles = list(StaffRole.all_objects.filter(staff=staff).select_related("role"))
    return Actor(
        municipality=staff.municipality,
        user=staff.user,
        staff=staff,
        role_codes=tuple(dict.fromkeys(r.role.code for r in roles)),
        unit_names=tuple(staff.units.order_by("name").values_list("name", flat=True)),
        permissions=frozenset(p for r in roles for p in r.role.permissions),
        label="demo",
    )
