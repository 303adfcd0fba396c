"""Creating municipalities with what every municipality needs from day one."""

from __future__ import annotations

from django.db import transaction

from mestring.access.models import AuditChainHead, Role
from mestring.access.permissions import DEFAULT_ROLES
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality


def municipality_ensure(*, number: str, name: str) -> tuple[Municipality, bool]:
    """Create the municipality with its default roles, or return the existing one.

    Idempotent: a second call with the same number changes nothing.
    """
    with transaction.atomic():
        municipality, created = Municipality.objects.get_or_create(
            number=number, defaults={"name": name}
        )
        AuditChainHead.objects.get_or_create(municipality=municipality)
        with activate(municipality):
            for code, (role_name, permissions) in DEFAULT_ROLES.items():
                Role.objects.get_or_create(
                    code=code, defaults={"name": str(role_name), "permissions": permissions}
                )
    return municipality, created
