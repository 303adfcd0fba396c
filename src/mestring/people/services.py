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
from mestring.access.permissions import PERSON_REGISTER
from mestring.accounts import services as account_services
from mestring.people.models import (
    ActingBasis,
    Person,
    Relative,
    RepresentationChange,
    RepresentationChangeKind,
    Staff,
    Unit,
    UnitInvolvement,
)

# How long the registering staff member keeps access to a person they registered.
REGISTRATION_ACCESS_DAYS = 30


class DuplicateNationalId(ValueError):
    pass


class RepresentationError(ValueError):
    """A rule for registering, ending or correcting a right to act; the message is for
    the user."""


def national_id_taken(national_id: str, *, exclude_pk: int | None = None) -> bool:
    if not national_id:
        return False
    return Person.objects.filter(national_id=national_id).exclude(pk=exclude_pk).exists()


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
        if national_id_taken(data.get("national_id", "")):
            raise DuplicateNationalId
        person = Person(**data)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError as exc:  # a concurrent registration of the same number
            raise DuplicateNationalId from exc
        registration_access_grant(actor=actor, person=person)
        record_event(
            actor=actor, action="create", object_type="person", object_id=person.pk, person=person
        )
    return person


def person_update(*, actor: Actor, person: Person, data: dict[str, Any]) -> Person:
    with transaction.atomic():
        if national_id_taken(data.get("national_id", ""), exclude_pk=person.pk):
            raise DuplicateNationalId
        _apply(person, data)
        person.save()
        record_event(
            actor=actor, action="update", object_type="person", object_id=person.pk, person=person
        )
    return person


def relative_add(*, actor: Actor, person: Person, data: dict[str, Any]) -> Relative:
    """A relative; with a right to act (which opens the person's Min side to them) only
    by those who register persons."""
    if data.get("acting_basis") and not actor.has_perm(PERSON_REGISTER):
        raise RepresentationError(
            _("Bare de som registrerer personer kan registrere rett til å handle.")
        )
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


# --- A relative's right to act (M6)

REASON_MAX = 1000


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise RepresentationError(_("Skriv en begrunnelse."))
    if len(reason) > REASON_MAX:
        raise RepresentationError(
            _("Begrunnelsen er for lang (høyst %(limit)s tegn).") % {"limit": REASON_MAX}
        )
    return reason


def _locked_relative(relative: Relative) -> Relative:
    return Relative.objects.select_for_update().select_related("person").get(pk=relative.pk)


def _actor_name(actor: Actor) -> str:
    if actor.user is not None:
        return (actor.user.get_full_name() or actor.user.username)[:200]
    return (actor.label or actor.username)[:200]


def representation_end(
    *, actor: Actor, relative: Relative, reason: str, by_person: bool = False
) -> Relative:
    """End a relative's right to act now, with a reason. From this moment the relative
    is refused on the citizen pages (portal.representation checks on every request)."""
    reason = _reason(reason)
    with transaction.atomic():
        relative = _locked_relative(relative)
        if not relative.acting_in_force():
            raise RepresentationError(_("Retten til å handle på vegne av personen er avsluttet."))
        now = timezone.now()
        RepresentationChange.objects.create(
            relative=relative,
            kind=RepresentationChangeKind.ENDED,
            changed_at=now,
            changed_by=actor.user,
            changed_by_name=_actor_name(actor),
            by_person=by_person,
            basis_before=relative.acting_basis,
            basis_after=relative.acting_basis,
            until_before=relative.acting_until,
            until_after=relative.acting_until,
            reason=reason,
        )
        relative.acting_ended_at = now
        relative.save(update_fields=["acting_ended_at"])
        record_event(
            actor=actor,
            action="end",
            object_type="representation",
            object_id=relative.pk,
            person=relative.person,
        )
    return relative


def representation_correct(
    *,
    actor: Actor,
    relative: Relative,
    basis: str,
    until: datetime.date | None,
    reason: str,
) -> Relative:
    """Correct the kind of a right to act or its last day, with a reason. A right that
    has ended is not revived here: register it again."""
    reason = _reason(reason)
    if basis not in ActingBasis.values or basis == ActingBasis.NONE:
        raise RepresentationError(_("Velg hva retten bygger på. For å fjerne retten, avslutt den."))
    if until is not None and until < timezone.localdate():
        raise RepresentationError(
            _("Siste dag kan ikke være tilbake i tid. For å avslutte retten nå, avslutt den.")
        )
    with transaction.atomic():
        relative = _locked_relative(relative)
        if not relative.acting_in_force():
            raise RepresentationError(
                _(
                    "Retten er avsluttet og kan ikke rettes. "
                    "Registrer den på nytt om den skal gjelde."
                )
            )
        if basis == relative.acting_basis and until == relative.acting_until:
            raise RepresentationError(_("Ingenting er endret."))
        RepresentationChange.objects.create(
            relative=relative,
            kind=RepresentationChangeKind.CORRECTED,
            changed_by=actor.user,
            changed_by_name=_actor_name(actor),
            basis_before=relative.acting_basis,
            basis_after=basis,
            until_before=relative.acting_until,
            until_after=until,
            reason=reason,
        )
        relative.acting_basis, relative.acting_until = basis, until
        relative.save(update_fields=["acting_basis", "acting_until"])
        record_event(
            actor=actor,
            action="update",
            object_type="representation",
            object_id=relative.pk,
            person=relative.person,
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
