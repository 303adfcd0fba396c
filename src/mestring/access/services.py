"""Writes about access: care relations, emergency access, sperring, consent, roles.

Each is one transaction with its audit row, so no change goes unlogged.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import (
    MUST_END_KINDS,
    AuditOutcome,
    AuditPurpose,
    Block,
    BlockLiftReason,
    CareRelation,
    CareRelationKind,
    Consent,
    EmergencyAccess,
    ReviewVerdict,
    Role,
    StaffRole,
)
from mestring.access.permissions import ACCESS_BLOCK_LIFT, PERMISSIONS
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import NotAllowed, RuleBroken
from mestring.people.models import Person, Relative, Staff, Unit


class AccessRuleError(RuleBroken):
    """A request the rules do not allow; the message is for the user."""

    code = "access_rule"


class BlockLiftRefused(NotAllowed, AccessRuleError):
    """The actor may not lift a block of this person at all (whatever they typed)."""

    code = "block_lift_refused"


def is_self_grant(actor: Actor, *, staff: Staff | None, unit: Unit | None) -> bool:
    """Whether the access would go to the actor: to themselves or to a unit they are in."""
    if actor.staff is None:
        return False
    if staff is not None:
        return staff.pk == actor.staff.pk
    return unit is not None and actor.staff.units.filter(pk=unit.pk).exists()


def self_grant_limit(start: datetime.datetime | None = None) -> datetime.datetime:
    """The latest end of access a leader may grant themselves: the end of the day
    MESTRING_SELF_GRANT_MAX_DAYS days after `start` (now)."""
    day = timezone.localdate(start or timezone.now()) + datetime.timedelta(
        days=settings.MESTRING_SELF_GRANT_MAX_DAYS
    )
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def care_relation_grant(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    reason: str,
    staff: Staff | None = None,
    unit: Unit | None = None,
    valid_from: datetime.datetime | None = None,
    valid_to: datetime.datetime | None = None,
) -> CareRelation:
    """Give a staff member or a unit access to one person. Manual grants must end.

    A manual grant to the actor themselves (or a unit they are in) is self-granted: it
    needs a reason, ends within MESTRING_SELF_GRANT_MAX_DAYS, and goes to the review
    queue, as does every intake relation (registering a message of need)."""
    if (staff is None) == (unit is None):
        raise AccessRuleError(_("Velg enten en ansatt eller en enhet."))
    if not reason.strip():
        raise AccessRuleError(_("Tilgangen må ha en begrunnelse."))
    if kind in MUST_END_KINDS and valid_to is None:
        raise AccessRuleError(_("En manuell tilgang må ha en sluttdato."))
    start = valid_from or timezone.now()
    if valid_to is not None and valid_to <= start:
        raise AccessRuleError(_("Sluttdatoen må være etter startdatoen."))
    self_granted = kind == CareRelationKind.MANUAL and is_self_grant(actor, staff=staff, unit=unit)
    if self_granted and valid_to is not None and valid_to > self_grant_limit(start):
        raise AccessRuleError(self_grant_too_long_message())
    with transaction.atomic():
        relation = CareRelation.objects.create(
            person=person,
            staff=staff,
            unit=unit,
            kind=kind,
            reason=reason.strip(),
            valid_from=start,
            valid_to=valid_to,
            created_by=actor.user,
            self_granted=self_granted,
            needs_review=self_granted or kind == CareRelationKind.INTAKE,
        )
        record_event(
            actor=actor,
            action=AuditAction.GRANT,
            object_type="care_relation",
            object_id=relation.pk,
            person=person,
            self_granted=self_granted,
        )
    return relation


def self_grant_too_long_message() -> str:
    return _(
        "Tilgang du gir deg selv eller enheten din kan vare i høyst %(days)s dager. "
        "Velg en tidligere sluttdato, eller be en annen leder gi tilgangen."
    ) % {"days": settings.MESTRING_SELF_GRANT_MAX_DAYS}


def care_relation_review(
    *, actor: Actor, relation: CareRelation, verdict: str, note: str
) -> CareRelation:
    """A leader's look at an intake relation or self-granted access afterwards. Never by
    the one who got or gave it; a relation found unjustified ends now."""
    if verdict not in ReviewVerdict.values:
        raise AccessRuleError(_("Velg en vurdering."))
    if actor.staff is None:
        raise AccessRuleError(_("Bare ansatte kan gjennomgå tilganger."))
    given_by_actor = actor.user is not None and relation.created_by_id == actor.user.pk
    if relation.staff_id == actor.staff.pk or given_by_actor:
        raise AccessRuleError(_("Du kan ikke gjennomgå en tilgang du selv har fått eller gitt."))
    with transaction.atomic():
        current = CareRelation.objects.select_for_update().get(pk=relation.pk)
        if current.reviewed_at is not None or not current.needs_review:
            raise AccessRuleError(_("Tilgangen er allerede gjennomgått."))
        now = timezone.now()
        current.verdict = verdict
        current.review_note = note.strip()
        current.reviewed_by = actor.staff
        current.reviewed_at = now
        fields = ["verdict", "review_note", "reviewed_by", "reviewed_at"]
        if verdict == ReviewVerdict.UNJUSTIFIED and (
            current.valid_to is None or current.valid_to > now
        ):
            current.valid_to = max(now, current.valid_from)
            fields.append("valid_to")
        current.save(update_fields=fields)
        record_event(
            actor=actor,
            action=AuditAction.REVIEW,
            object_type="care_relation",
            object_id=current.pk,
            person=current.person,
            purpose=AuditPurpose.ADMINISTRATION,
            reason_code="",
        )
    return current


def care_relation_end(*, actor: Actor, relation: CareRelation) -> CareRelation:
    with transaction.atomic():
        now = timezone.now()
        if relation.valid_to is None or relation.valid_to > now:
            relation.valid_to = max(now, relation.valid_from)
            relation.save(update_fields=["valid_to"])
        record_event(
            actor=actor,
            action=AuditAction.END,
            object_type="care_relation",
            object_id=relation.pk,
            person=relation.person,
        )
    return relation


def care_relations_end_for(*, actor: Actor, person: Person, staff: Staff, kind: str) -> int:
    """Domain actions that implied care end their relation themselves."""
    relations = CareRelation.objects.active(include_intake=True).filter(
        person=person, staff=staff, kind=kind
    )
    count = 0
    for relation in relations:
        care_relation_end(actor=actor, relation=relation)
        count += 1
    return count


def emergency_access_start(
    *, actor: Actor, person: Person, reason: str, explanation: str, override_block: bool
) -> EmergencyAccess:
    if actor.staff is None:
        raise AccessRuleError("Bare ansatte kan bruke nødtilgang.")
    if not explanation.strip():
        raise AccessRuleError("Skriv kort hvorfor du trenger nødtilgang.")
    hours = settings.MESTRING_EMERGENCY_ACCESS_HOURS
    now = timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            person=person,
            staff=actor.staff,
            reason=reason,
            explanation=explanation.strip(),
            overrides_block=override_block,
            started_at=now,
            expires_at=now + datetime.timedelta(hours=hours),
        )
        record_event(
            actor=actor,
            action=AuditAction.EMERGENCY_ACCESS,
            object_type="emergency_access",
            object_id=access.pk,
            person=person,
            purpose=AuditPurpose.EMERGENCY,
            reason_code=reason,
            self_granted=True,
            block_override=override_block,
        )
    return access


def emergency_access_review(
    *, actor: Actor, access: EmergencyAccess, verdict: str, note: str
) -> EmergencyAccess:
    if access.reviewed_at is not None:
        raise AccessRuleError("Nødtilgangen er allerede gjennomgått.")
    if actor.staff is not None and access.staff_id == actor.staff.pk:
        raise AccessRuleError("Du kan ikke gjennomgå din egen nødtilgang.")
    with transaction.atomic():
        access.verdict = verdict
        access.review_note = note.strip()
        access.reviewed_by = actor.staff
        access.reviewed_at = timezone.now()
        access.save(update_fields=["verdict", "review_note", "reviewed_by", "reviewed_at"])
        record_event(
            actor=actor,
            action=AuditAction.REVIEW,
            object_type="emergency_access",
            object_id=access.pk,
            person=access.person,
            purpose=AuditPurpose.ADMINISTRATION,
            reason_code="",
        )
    return access


def block_add(
    *,
    actor: Actor,
    person: Person,
    staff: Staff | None = None,
    unit: Unit | None = None,
    requested_by_person: bool = True,
) -> Block:
    if (staff is None) == (unit is None):
        raise AccessRuleError("Velg enten en ansatt eller en enhet som skal sperres.")
    with transaction.atomic():
        block = Block.objects.create(
            person=person,
            staff=staff,
            unit=unit,
            requested_by_person=requested_by_person,
            created_by=actor.user,
        )
        record_event(
            actor=actor,
            action=AuditAction.BLOCK,
            object_type="block",
            object_id=block.pk,
            person=person,
        )
    return block


def block_lift_refusal(actor: Actor, person: Person) -> str | None:
    """Why this actor may not lift the person's blocks, or None when they may.

    Lifting needs its own permission: a care relation lets a colleague read the record,
    not undo what the person decided about who may read it. Nobody the person has
    blocked — the staff member, or a member of a blocked unit — may lift any of the
    person's blocks, not even while emergency access overrides the block: the override
    opens the record for a few hours and is reviewed afterwards, the block stays.
    """
    if actor.staff is None or not actor.has_perm(ACCESS_BLOCK_LIFT):
        return _("Du har ikke rettighet til å oppheve sperringer.")
    covers_actor = Q(staff=actor.staff) | Q(unit__in=actor.staff.units.values("pk"))
    if Block.objects.filter(person=person, ended_at__isnull=True).filter(covers_actor).exists():
        return _(
            "Personen har sperret deg eller enheten din. Du kan ikke oppheve sperringer "
            "for denne personen."
        )
    return None


def block_lift_check(*, actor: Actor, block: Block) -> None:
    """Raise BlockLiftRefused, and log the attempt as refused, when the actor may not
    lift this block. Called before the form is looked at, so that a refusal is a
    refusal whatever was typed."""
    refusal = block_lift_refusal(actor, block.person)
    if refusal is None:
        return
    record_event(
        actor=actor,
        action=AuditAction.UNBLOCK,
        object_type="block",
        object_id=block.pk,
        person=block.person,
        outcome=AuditOutcome.REFUSED,
    )
    raise BlockLiftRefused(refusal)


def block_end(*, actor: Actor, block: Block, reason_code: str, reason: str) -> Block:
    """Lift a block: only with the permission, never by someone it covers, and always
    with a reason from the fixed list and the lifter's own words, both kept on the block.
    The audit row records the reason from the list (the person may read it); the words
    stay on the block."""
    block_lift_check(actor=actor, block=block)
    if reason_code not in BlockLiftReason.values:
        raise AccessRuleError(_("Velg hvorfor sperringen oppheves."))
    if not reason.strip():
        raise AccessRuleError(_("Skriv en begrunnelse for å oppheve sperringen."))
    with transaction.atomic():
        # Read again under a lock: two lifts of the same block must not both succeed.
        current = Block.objects.select_for_update().get(pk=block.pk)
        if current.ended_at is not None:
            raise AccessRuleError(_("Sperringen er allerede opphevet."))
        current.ended_at = timezone.now()
        current.ended_by = actor.user
        current.end_reason_code = reason_code
        current.end_reason = reason.strip()
        current.save(update_fields=["ended_at", "ended_by", "end_reason_code", "end_reason"])
        record_event(
            actor=actor,
            action=AuditAction.UNBLOCK,
            object_type="block",
            object_id=current.pk,
            person=current.person,
            reason_code=reason_code,
        )
    return current


def consent_record(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    scope: str,
    given_by: str,
    given_on: datetime.date,
    expires_on: datetime.date | None = None,
    given_by_relative: Relative | None = None,
    shared_with_units: list[Unit] | None = None,
) -> Consent:
    if given_by != "personen" and given_by_relative is None:
        raise AccessRuleError("Velg hvilken pårørende eller verge som ga samtykket.")
    if given_by_relative is not None and not given_by_relative.may_act_on_behalf:
        raise AccessRuleError("Denne pårørende har ikke rett til å samtykke for personen.")
    if expires_on is not None and expires_on < given_on:
        raise AccessRuleError("Utløpsdatoen kan ikke være før samtykket ble gitt.")
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            kind=kind,
            scope=scope.strip(),
            given_by=given_by,
            given_by_relative=given_by_relative,
            given_on=given_on,
            expires_on=expires_on,
            recorded_by=actor.user,
        )
        if shared_with_units:
            consent.shared_with_units.set(shared_with_units)
        record_event(
            actor=actor,
            action=AuditAction.CONSENT_GIVEN,
            object_type="consent",
            object_id=consent.pk,
            person=person,
        )
    return consent


def consent_withdraw(
    *, actor: Actor, consent: Consent, withdrawn_by: str, on: datetime.date | None = None
) -> Consent:
    if consent.withdrawn_on is not None:
        raise AccessRuleError("Samtykket er allerede trukket tilbake.")
    with transaction.atomic():
        consent.withdrawn_on = on or timezone.localdate()
        consent.withdrawn_by = withdrawn_by
        consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
        record_event(
            actor=actor,
            action=AuditAction.CONSENT_WITHDRAWN,
            object_type="consent",
            object_id=consent.pk,
            person=consent.person,
        )
    return consent


def role_update_permissions(*, actor: Actor, role: Role, permissions: list[str]) -> Role:
    unknown = set(permissions) - set(PERMISSIONS)
    if unknown:
        raise AccessRuleError(f"Ukjente rettigheter: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        role.permissions = sorted(permissions)
        role.save(update_fields=["permissions"])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="role",
            object_id=role.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return role


def role_assign(*, actor: Actor, staff: Staff, role: Role, unit: Unit | None) -> StaffRole:
    with transaction.atomic():
        assignment, _created = StaffRole.objects.get_or_create(staff=staff, role=role, unit=unit)
        record_event(
            actor=actor,
            action=AuditAction.ASSIGN_ROLE,
            object_type="staff_role",
            object_id=assignment.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return assignment


def role_unassign(*, actor: Actor, assignment: StaffRole) -> None:
    with transaction.atomic():
        pk = assignment.pk
        assignment.delete()
        record_event(
            actor=actor,
            action=AuditAction.UNASSIGN_ROLE,
            object_type="staff_role",
            object_id=pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
