"""Writes of persons, relatives, units and staff. Each audited in its own transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose, CareRelation, CareRelationKind, Role, StaffRole
from mestring.accounts import services as account_services
from mestring.people.models import Person, Relative, Staff, Unit, UnitInvolvement

# How long the registering staff member keeps access to a person they registered.
REGISTRATION_ACCESS_DAYS = 30


class DuplicatePerson(ValueError):
    """Another person of the municipality already has this number or reference; the
    message is for the form field named by `field`."""

    field = ""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.default_message())

    @staticmethod
    def default_message() -> str:
        return ""


class DuplicateNationalId(DuplicatePerson):
    field = "national_id"

    @staticmethod
    def default_message() -> str:
        return _("Det finnes allerede en person med dette nummeret.")


class DuplicatePersonRef(DuplicatePerson):
    """(L3) The municipality's own reference is unique within the municipality."""

    field = "person_ref"

    @staticmethod
    def default_message() -> str:
        return person_ref_taken_message()


def person_ref_taken_message() -> str:
    return _("Det finnes allerede en person med denne referansen i kommunen.")


def national_id_taken(national_id: str, *, exclude_pk: int | None = None) -> bool:
    if not national_id:
        return False
    return Person.objects.filter(national_id=national_id).exclude(pk=exclude_pk).exists()


def person_ref_taken(person_ref: str, *, exclude_pk: int | None = None) -> bool:
    if not person_ref:
        return False
    return Person.objects.filter(person_ref=person_ref).exclude(pk=exclude_pk).exists()


def _check_unique(data: dict[str, Any], exclude_pk: int | None = None) -> None:
    if national_id_taken(data.get("national_id", ""), exclude_pk=exclude_pk):
        raise DuplicateNationalId
    if person_ref_taken(data.get("person_ref", ""), exclude_pk=exclude_pk):
        raise DuplicatePersonRef


def _save_person(person: Person, data: dict[str, Any]) -> None:
    """Save, and turn a concurrent save of the same number or reference (which passed
    the checks before the database's own) into the same clear refusal."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        _check_unique(data, exclude_pk=person.pk)
        raise


def _apply(instance: object, data: dict[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


def registration_access_grant(*, actor: Actor, person: Person) -> None:
    """The staff member who registers a new person may open the record for a while
    afterwards, whichever way the person was registered (the form, the API, an import).
    Part of the registration's own write and audited with it."""
    if actor.staff is None:
        return
    CareRelation.objects.create(
        person=person,
        staff=actor.staff,
        kind=CareRelationKind.MANUAL,
        reason=_("Registrerte personen"),
        valid_to=timezone.now() + datetime.timedelta(days=REGISTRATION_ACCESS_DAYS),
        created_by=actor.user,
    )


def person_register(*, actor: Actor, data: dict[str, Any]) -> Person:
    """A new person; the one who registers them gets time-limited access to the record."""
    with transaction.atomic():
        _check_unique(data)
        person = Person(**data)
        _save_person(person, data)
        registration_access_grant(actor=actor, person=person)
        record_event(
            actor=actor, action="create", object_type="person", object_id=person.pk, person=person
        )
    return person


def person_update(*, actor: Actor, person: Person, data: dict[str, Any]) -> Person:
    with transaction.atomic():
        _check_unique(data, exclude_pk=person.pk)
        _apply(person, data)
        _save_person(person, data)
        record_event(
            actor=actor, action="update", object_type="person", object_id=person.pk, person=person
        )
    return person


def relative_add(*, actor: Actor, person: Person, data: dict[str, Any]) -> Relative:
    with transaction.atomic():
        relative = Relative.objects.create(person=person, **data)
        record_event(
            actor=actor,
            action="create",
            object_type="relative",
            object_id=relative.pk,
            person=person,
        )
    return relative


def involvement_add(*, actor: Actor, person: Person, data: dict[str, Any]) -> UnitInvolvement:
    with transaction.atomic():
        involvement = UnitInvolvement.objects.create(person=person, **data)
        record_event(
            actor=actor,
            action="create",
            object_type="unit_involvement",
            object_id=involvement.pk,
            person=person,
        )
    return involvement


def unit_save(*, actor: Actor, unit: Unit | None, data: dict[str, Any]) -> Unit:
    with transaction.atomic():
        created = unit is None
        unit = unit or Unit()
        _apply(unit, data)
        unit.save()
        record_event(
            actor=actor,
            action="create" if created else "update",
            object_type="unit",
            object_id=unit.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return unit


def _set_roles(staff: Staff, roles: list[Role]) -> None:
    """The municipality-wide roles; roles held in one unit are managed separately."""
    municipality_wide = StaffRole.objects.filter(staff=staff, unit__isnull=True)
    municipality_wide.exclude(role__in=roles).delete()
    existing = set(municipality_wide.values_list("role_id", flat=True))
    StaffRole.objects.bulk_create(
        [
            StaffRole(municipality=staff.municipality, staff=staff, role=role)
            for role in roles
            if role.pk not in existing
        ]
    )


def staff_create(
    *,
    actor: Actor,
    user_data: dict[str, Any],
    password: str,
    staff_data: dict[str, Any],
    units: list[Unit],
    roles: list[Role],
) -> Staff:
    """A new staff member; an existing user (another municipality) is joined, not copied."""
    with transaction.atomic():
        user = get_user_model().objects.filter(username__iexact=user_data["username"]).first()
        if user is None:
            user = get_user_model()(**user_data)
            user.set_password(password)
            user.save()
        staff = Staff.objects.create(user=user, **staff_data)
        staff.units.set(units)
        _set_roles(staff, roles)
        record_event(
            actor=actor,
            action="create",
            object_type="staff",
            object_id=staff.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return staff


def staff_update(
    *,
    actor: Actor,
    staff: Staff,
    user_data: dict[str, Any],
    staff_data: dict[str, Any],
    units: list[Unit],
    roles: list[Role],
) -> Staff:
    with transaction.atomic():
        _apply(staff.user, user_data)
        staff.user.save()
        _apply(staff, staff_data)
        staff.save()
        staff.units.set(units)
        _set_roles(staff, roles)
        record_event(
            actor=actor,
            action="update",
            object_type="staff",
            object_id=staff.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return staff


def staff_unlock(*, actor: Actor, staff: Staff) -> None:
    with transaction.atomic():
        account_services.unlock_user(staff.user)
        record_event(
            actor=actor,
            action="unlock",
            object_type="staff",
            object_id=staff.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )


def staff_reset_second_factor(*, actor: Actor, staff: Staff) -> None:
    with transaction.atomic():
        account_services.reset_second_factor(staff.user)
        record_event(
            actor=actor,
            action="reset_second_factor",
            object_type="staff",
            object_id=staff.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
