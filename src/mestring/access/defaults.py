from __future__ import annotations

from mestring.access.models import AuditChainHead, Role
from mestring.access.permissions import DEFAULT_ROLES
from mestring.tenancy.models import Municipality


def ensure_roles(municipality: Municipality) -> None:
    AuditChainHead.objects.get_or_create(municipality=municipality)
    for code, (role_name, permissions) in DEFAULT_ROLES.items():
        Role.all_objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={"name": str(role_name), "permissions": permissions},
        )
