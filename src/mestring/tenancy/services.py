"""Creating municipalities with what every municipality needs from day one."""

from __future__ import annotations

from django.db import transaction
from django.utils.module_loading import import_string

from mestring.tenancy.models import Municipality

# Each domain that ships defaults (roles, legal texts, …) adds its function here.
MUNICIPALITY_DEFAULTS = [
    "mestring.access.defaults.ensure_roles",
    "mestring.casework.defaults.ensure_legal_bases",
    "mestring.catalogue.defaults.ensure_services",
    "mestring.assessments.defaults.ensure_variables",
    "mestring.rehab.defaults.ensure_programmes",
]


def municipality_ensure(*, number: str, name: str) -> tuple[Municipality, bool]:
    """Create the municipality with its defaults, or return the existing one.

    Idempotent: a second call with the same number changes nothing, except that
    defaults added by a newer version are filled in.
    """
    with transaction.atomic():
        municipality, created = Municipality.objects.get_or_create(
            number=number, defaults={"name": name}
        )
        for path in MUNICIPALITY_DEFAULTS:
            import_string(path)(municipality)
    return municipality, created
