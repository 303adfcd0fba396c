"""Reads about access: who may see whom, and who has looked."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from mestring.access.actor import Actor
from mestring.access.models import (
    AuditEvent,
    AuditOutcome,
    Block,
    CareRelation,
    Consent,
    ConsentKind,
    EmergencyAccess,
    Role,
)
from mestring.people.models import Person, Staff, Unit


def with_access_flag(persons: QuerySet, actor: Actor) -> QuerySet:
    """Mark each person the actor has a care relation with (one subquery, no N+1)."""
    if actor.staff is None:
        return persons.annotate(has_access=Exists(CareRelation.objects.none()))
    relations = (
        CareRelation.objects.active().for_staff(actor.staff).filter(person_id=OuterRef("pk"))
    )
    return persons.annotate(has_access=Exists(relations))


def staff_with_permission(permission: str) -> QuerySet[Staff]:
    """Active staff of the municipality holding a role with the permission, by name: the
    people a piece of work may be given to. Roles are few and keep their permissions as
    a JSON list, which not every engine can search, so they are read whole."""
    roles = [role.pk for role in Role.objects.all() if permission in role.permissions]
    holders = Staff.objects.filter(role_assignments__role__in=roles).values("pk")
    return (
        Staff.objects.filter(is_active=True, pk__in=holders)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def person_relations(person: Person) -> QuerySet[CareRelation]:
    return (
        CareRelation.objects.filter(person=person)
        .select_related("staff__user", "unit", "created_by")
        .order_by("-valid_from")
    )


def staff_relations(staff: Staff, *, active_only: bool = True) -> QuerySet[CareRelation]:
    relations = CareRelation.objects.filter(staff=staff).select_related("person")
    if active_only:
        relations = relations.active()
    return relations.order_by("person__family_name", "person__given_name")


def person_blocks(person: Person) -> QuerySet[Block]:
    return Block.objects.filter(person=person).select_related("staff__user", "unit", "ended_by")


def person_consents(person: Person) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(person=person)
        .select_related("given_by_relative")
        .prefetch_related("shared_with_units")
    )


def person_access_log(person: Person) -> QuerySet[AuditEvent]:
    """Who looked at or changed the record: allowed events, and those that failed after
    the data was read (a PDF that could not be made); refusals were no look."""
    return (
        AuditEvent.objects.filter(
            person=person, outcome__in=[AuditOutcome.ALLOWED, AuditOutcome.FAILED]
        )
        .select_related("user")
        .order_by("-seq")
    )


def open_emergency_reviews() -> QuerySet[EmergencyAccess]:
    return (
        EmergencyAccess.objects.filter(reviewed_at__isnull=True)
        .select_related("person", "staff__user")
        .order_by("started_at")
    )


def relations_awaiting_review() -> QuerySet[CareRelation]:
    """Intake relations and self-granted access not yet reviewed, oldest first."""
    return (
        CareRelation.objects.awaiting_review()
        .select_related("person", "staff__user", "unit", "created_by")
        .order_by("created_at", "pk")
    )


def active_emergency_count() -> int:
    now = timezone.now()
    return EmergencyAccess.objects.filter(started_at__lte=now, expires_at__gt=now).count()


def consent_in_force(person: Person, kind: str, on: datetime.date | None = None) -> bool:
    return Consent.objects.in_force(on).filter(person=person, kind=kind).exists()


def sharing_allowed(person: Person, unit: Unit, on: datetime.date | None = None) -> bool:
    """May information about the person be shared with this unit now? A withdrawn or
    expired consent stops new sharing from that day."""
    return (
        Consent.objects.in_force(on)
        .filter(person=person, kind=ConsentKind.SHARING, shared_with_units=unit)
        .exists()
    )


def new_relations(staff: Staff, since: datetime.datetime) -> QuerySet[CareRelation]:
    """The staff member's own care relations in force that began at `since` or later and
    that someone else gave (a case the user took is no news to them), newest first: the
    persons who have come into the user's care. Intake relations open only the
    messages of need and are left out, as on "Mine personer"."""
    return (
        CareRelation.objects.active()
        .filter(staff=staff, valid_from__gte=since)
        .exclude(created_by_id=staff.user_id)
        .select_related("person")
        .order_by("-valid_from", "-pk")
    )
