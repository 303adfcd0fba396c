"""Writes of persons, relatives, units and staff. Each audited in its own transaction."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor, system_actor
from mestring.access.audit import record_event
from mestring.access.models import (
    AuditOutcome,
    AuditPurpose,
    CareRelation,
    CareRelationKind,
    Role,
    StaffRole,
)
from mestring.access.permissions import PERSON_REGISTER
from mestring.accounts import services as account_services
from mestring.kernel.audit_words import AuditAction
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


class StaffRuleError(ValueError):
    """A change of staff or account the rules do not allow; the message is for the user."""


class UsernameTaken(StaffRuleError):
    """The username belongs to an existing account the actor may not join."""


class SharedAccountRefused(StaffRuleError):
    """The account is shared with another municipality (or is an installation
    administrator's): its name, e-mail, lock and second factor are not this
    municipality's to change."""


class RepresentationError(ValueError):
    """A rule for registering, ending or correcting a right to act; the message is for
    the user."""


def _others(persons: QuerySet[Person], exclude_pk: int | None) -> QuerySet[Person]:
    """The persons but the one being edited (none when registering a new one)."""
    return persons if exclude_pk is None else persons.exclude(pk=exclude_pk)


def national_id_taken(national_id: str, *, exclude_pk: int | None = None) -> bool:
    if not national_id:
        return False
    return _others(Person.objects.filter(national_id=national_id), exclude_pk).exists()


def person_ref_taken(person_ref: str, *, exclude_pk: int | None = None) -> bool:
    if not person_ref:
        return False
    return _others(Person.objects.filter(person_ref=person_ref), exclude_pk).exists()


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
            actor=actor,
            action=AuditAction.CREATE,
            object_type="person",
            object_id=person.pk,
            person=person,
        )
    return person


def person_update(*, actor: Actor, person: Person, data: dict[str, Any]) -> Person:
    with transaction.atomic():
        _check_unique(data, exclude_pk=person.pk)
        _apply(person, data)
        _save_person(person, data)
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="person",
            object_id=person.pk,
            person=person,
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
            action=AuditAction.CREATE,
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
            action=AuditAction.END,
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
            action=AuditAction.UPDATE,
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
            action=AuditAction.CREATE,
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
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="unit",
            object_id=unit.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return unit


# The fields of the login account itself (accounts.User), shared by every municipality
# the user works in; everything else on the staff form is this municipality's membership.
ACCOUNT_FIELDS = ("first_name", "last_name", "email")


def is_installation_admin(actor: Actor) -> bool:
    """Administers the whole installation, not one municipality: Django's superuser flag,
    which no municipality can give (roles and their permissions are a municipality's
    own data, so a role cannot be an installation-level right)."""
    return actor.user is not None and actor.user.is_active and actor.user.is_superuser


def account_change_refusal(actor: Actor, user: Any) -> str | None:
    """Why the actor may not change the shared account — name, e-mail, lock, second
    factor — of this user, or None when they may.

    A municipality's administrator changes only that municipality's membership (roles,
    units, active here). The account itself is theirs to change only while the user
    belongs to no other municipality and is no installation administrator; otherwise it
    takes an installation administrator."""
    if is_installation_admin(actor):
        return None
    elsewhere = Staff.all_objects.filter(user=user).exclude(municipality_id=actor.municipality.pk)
    if user.is_superuser or elsewhere.exists():
        return _(
            "Brukeren har også tilgang i en annen kommune. Navn, e-post, opplåsing og "
            "autentiseringsapp kan bare endres av den som administrerer hele installasjonen."
        )
    return None


def _record_in_every_chain(
    *, actor: Actor, user: Any, action: str, outcome: str = AuditOutcome.ALLOWED
) -> None:
    """One row in the audit chain of every municipality the user belongs to, naming that
    municipality's staff membership: a change of the shared account concerns them all.
    A row in another municipality's chain says where the change was made."""
    memberships = Staff.all_objects.filter(user=user).select_related("municipality")
    for membership in memberships.order_by("municipality__number"):
        here = membership.municipality_id == actor.municipality.pk
        record_event(
            actor=actor
            if here
            else dataclasses.replace(actor, municipality=membership.municipality),
            action=action,
            object_type="staff",
            object_id=membership.pk,
            outcome=outcome,
            purpose=AuditPurpose.ADMINISTRATION,
            reason_code="" if here else f"fra_kommune:{actor.municipality.number}",
        )


def _check_account_change(*, actor: Actor, staff: Staff, action: str) -> None:
    """Raise SharedAccountRefused, and log the attempt as refused in every chain the user
    belongs to, when the actor may not change the account."""
    refusal = account_change_refusal(actor, staff.user)
    if refusal is None:
        return
    _record_in_every_chain(
        actor=actor, user=staff.user, action=action, outcome=AuditOutcome.REFUSED
    )
    raise SharedAccountRefused(refusal)


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


@dataclasses.dataclass(frozen=True)
class NewStaff:
    """The new membership, and for a new account the one-time enrolment code (shown once
    to the administrator, who hands it to the user for binding the authenticator)."""

    staff: Staff
    enrolment_code: str | None


def staff_create(
    *,
    actor: Actor,
    user_data: dict[str, Any],
    password: str,
    staff_data: dict[str, Any],
    units: list[Unit],
    roles: list[Role],
) -> NewStaff:
    """A new staff member with a new account and its one-time enrolment code. An
    existing account (a user of another municipality) is joined, never copied or
    changed, and only by an installation administrator: to anyone else the username is
    taken."""
    with transaction.atomic():
        user = get_user_model().objects.filter(username__iexact=user_data["username"]).first()
        joined = user is not None
        enrolment_code = None
        if user is None:
            user = get_user_model()(**user_data)
            user.set_password(password)
            user.save()
            enrolment_code = account_services.issue_enrolment_code(user)
        elif Staff.all_objects.filter(user=user, municipality_id=actor.municipality.pk).exists():
            raise UsernameTaken(_("Denne brukeren er allerede ansatt i kommunen."))
        elif not is_installation_admin(actor):
            raise UsernameTaken(username_taken_message())
        staff = Staff.objects.create(user=user, **staff_data)
        staff.units.set(units)
        _set_roles(staff, roles)
        if joined:  # first, so the chains are locked in one order (municipality number)
            _record_in_every_chain(actor=actor, user=user, action=AuditAction.JOIN)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="staff",
            object_id=staff.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return NewStaff(staff=staff, enrolment_code=enrolment_code)


def username_taken_message() -> str:
    return _(
        "Brukernavnet er allerede i bruk. Velg et annet brukernavn. Skal en som allerede "
        "har bruker i en annen kommune også arbeide her, må den som administrerer hele "
        "installasjonen legge det til."
    )


def staff_update(
    *,
    actor: Actor,
    staff: Staff,
    user_data: dict[str, Any],
    staff_data: dict[str, Any],
    units: list[Unit],
    roles: list[Role],
) -> Staff:
    """This municipality's membership, and the shared account's name and e-mail when the
    actor may change them (`account_change_refusal`); each account change is audited in
    every municipality the user belongs to."""
    user = staff.user
    changed = {key: value for key, value in user_data.items() if getattr(user, key) != value}
    if set(changed) - set(ACCOUNT_FIELDS):
        raise StaffRuleError(_("Brukernavnet kan ikke endres."))
    if changed:  # before the write's transaction, so that the refusal's row is kept
        _check_account_change(actor=actor, staff=staff, action=AuditAction.UPDATE_ACCOUNT)
    with transaction.atomic():
        if changed:
            _apply(user, changed)
            user.save(update_fields=list(changed))
            _record_in_every_chain(actor=actor, user=user, action=AuditAction.UPDATE_ACCOUNT)
        _apply(staff, staff_data)
        staff.save()
        staff.units.set(units)
        _set_roles(staff, roles)
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="staff",
            object_id=staff.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return staff


def staff_unlock(*, actor: Actor, staff: Staff) -> None:
    """Lift the account's lock-out: the account is shared, so see `account_change_refusal`."""
    _check_account_change(actor=actor, staff=staff, action=AuditAction.UNLOCK)
    with transaction.atomic():
        account_services.unlock_user(staff.user)
        _record_in_every_chain(actor=actor, user=staff.user, action=AuditAction.UNLOCK)


def staff_reset_second_factor(*, actor: Actor, staff: Staff) -> str:
    """Remove the account's authenticator (lost phone) and return the new one-time
    enrolment code the user binds a new one with; see `account_change_refusal`."""
    _check_account_change(actor=actor, staff=staff, action=AuditAction.RESET_SECOND_FACTOR)
    with transaction.atomic():
        enrolment_code = account_services.reset_second_factor(staff.user)
        _record_in_every_chain(actor=actor, user=staff.user, action=AuditAction.RESET_SECOND_FACTOR)
    return enrolment_code


def operator_reset_second_factor(*, user: Any, label: str = "enrolment-code") -> str:
    """The installation's operator (the command line) removes the account's
    authenticator and gets a new one-time enrolment code: for the first administrator,
    or an installation administrator, whom no one in the application can reset. Recorded
    in the chain of every municipality the user belongs to."""
    with transaction.atomic():
        enrolment_code = account_services.reset_second_factor(user)
        memberships = Staff.all_objects.filter(user=user).select_related("municipality")
        for membership in memberships.order_by("municipality__number"):
            record_event(
                actor=system_actor(membership.municipality, label=label),
                action=AuditAction.RESET_SECOND_FACTOR,
                object_type="staff",
                object_id=membership.pk,
                purpose=AuditPurpose.ADMINISTRATION,
            )
    return enrolment_code
