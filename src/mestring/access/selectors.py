"""Reads about access: who may see whom."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from mestring.access.actor import Actor
from mestring.access.models import CareRelation


def with_access_flag(persons: QuerySet, actor: Actor) -> QuerySet:
    """Mark each person the actor has a care relation with (one subquery, no N+1)."""
    if actor.staff is None:
        return persons.annotate(has_access=Exists(CareRelation.objects.none()))
    relations = (
        CareRelation.objects.active().for_staff(actor.staff).filter(person_id=OuterRef("pk"))
    )
    return persons.annotate(has_access=Exists(relations))
