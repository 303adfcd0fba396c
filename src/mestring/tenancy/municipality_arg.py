"""Shared by commands that take --municipality NNNN."""

from __future__ import annotations

from django.core.management.base import CommandError

from mestring.tenancy.models import Municipality


def municipality_by_number(number: str) -> Municipality:
    municipality = Municipality.objects.filter(number=number.strip()).first()
    if municipality is None:
        raise CommandError(
            f"Fant ingen kommune med nummer {number}. "
            f'Legg den til med: mestring municipality add {number} "Navn"'
        )
    return municipality
