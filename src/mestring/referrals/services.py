"""Writes about messages of need: registration, status, triage and opening a case.

Each is one transaction with its audit row; status changes go through
REFERRAL_TRANSITIONS by `transition()`, which leaves a ReferralStatusChange row, the
history the statistics are built from.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.guard import is_blocked_for
from mestring.access.models import CareRelation, CareRelationKind
from mestring.access.services import care_relation_grant, care_relations_end_for
from mestring.casework.models import Case
from mestring.casework.services import case_open
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, NotAllowed, RuleBroken
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Person, Staff, Unit
from mestring.referrals.models import (
    OPEN_REFERRAL_STATUSES,
    CarePlace,
    PyramidLevel,
    Referral,
    ReferralSource,
    ReferralStatus,
    Urgency,
)
from mestring.referrals.rules import FACTOR_MAX, FACTOR_MIN, suggest_place
from mestring.register import services as people_services

__all__ = [
    "ReferralFinished",
    "ReferralRuleError",
    "referral_open_case",
    "referral_register",
    "referral_register_new_person",
    "referral_take",
    "referral_transition",
    "referral_triage",
    "suggest_place",
]


class ReferralRuleError(RuleBroken):
    """A request the rules do not allow; the message is for the user."""

    code = "referral_rule"


class ReferralFinished(Conflict, ReferralRuleError):
    """The message is dealt with (case opened, forwarded or closed); it takes no more work."""

    code = "referral_finished"


def _ensure_registrar_access(actor: Actor, person: Person) -> None:
    """The one who registers a message must be able to open it afterwards: an intake
    relation, for the person's messages only (not the record), for
    MESTRING_INTAKE_ACCESS_DAYS days, reviewed by a leader. Not needed by one who
    already has a care relation to the person."""
    if actor.staff is None:
        return
    has_relation = (
        CareRelation.objects.active().for_staff(actor.staff).filter(person=person).exists()
    )
    if not has_relation:
        care_relation_grant(
            actor=actor,
            person=person,
            kind=CareRelationKind.INTAKE,
            reason=_("Registrerte melding om behov"),
            staff=actor.staff,
            valid_to=timezone.now() + datetime.timedelta(days=settings.MESTRING_INTAKE_ACCESS_DAYS),
        )


def _end_handler(actor: Actor, referral: Referral, handler: Staff) -> None:
    """End the handler's view of the message, unless they handle another open message
    about the same person (the relation is per person, not per message)."""
    still_needed = (
        Referral.objects.filter(
            person=referral.person, handler=handler, status__in=OPEN_REFERRAL_STATUSES
        )
        .exclude(pk=referral.pk)
        .exists()
    )
    if not still_needed:
        care_relations_end_for(
            actor=actor,
            person=referral.person,
            staff=handler,
            kind=CareRelationKind.REFERRAL_HANDLER,
        )


def referral_take(*, actor: Actor, referral: Referral, handler: Staff | None = None) -> Referral:
    """Make a staff member responsible for an open message: the actor themselves ("Ta
    meldingen") or a colleague ("Fordel til"). The handler sees the message, not the
    record, for as long as it is open; the one before them no longer does."""
    handler = handler or actor.staff
    if handler is None:
        raise NotAllowed(_("Bare ansatte kan behandle meldinger."))
    if handler.municipality_id != actor.municipality.pk:
        raise ReferralRuleError(_("Velg en ansatt i kommunen."))
    if not handler.is_active:
        raise ReferralRuleError(_("Den ansatte er ikke aktiv."))
    if is_blocked_for(handler, referral.person_id):
        raise ReferralRuleError(
            _("Personen har sperret for at %(name)s ser opplysningene. Velg en annen.")
            % {"name": handler}
        )
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if not referral.is_open:
            raise ReferralFinished(
                _("Meldingen er ferdig behandlet (%(status)s).")
                % {"status": referral.get_status_display()}
            )
        if referral.handler_id == handler.pk:
            raise ReferralRuleError(_("%(name)s behandler allerede meldingen.") % {"name": handler})
        previous = referral.handler
        referral.handler = handler
        referral.save(update_fields=["handler"])
        if previous is not None:
            _end_handler(actor, referral, previous)
        already = CareRelation.objects.active(include_intake=True).filter(
            person=referral.person, staff=handler, kind=CareRelationKind.REFERRAL_HANDLER
        )
        if not already.exists():
            care_relation_grant(
                actor=actor,
                person=referral.person,
                kind=CareRelationKind.REFERRAL_HANDLER,
                reason=_("Behandler melding om behov"),
                staff=handler,
            )
        record_event(
            actor=actor,
            action=AuditAction.ASSIGN,
            object_type="referral",
            object_id=referral.pk,
            person=referral.person,
        )
    return referral


def _check_registration(
    source: str, received_on: datetime.date, description: str, urgency: str
) -> None:
    if source not in ReferralSource.values:
        raise ReferralRuleError(_("Velg hvem meldingen kom fra."))
    if urgency not in Urgency.values:
        raise ReferralRuleError(_("Velg hastegrad."))
    if not description.strip():
        raise ReferralRuleError(_("Beskriv behovet."))
    if received_on > timezone.localdate():
        raise ReferralRuleError(_("Mottatt-datoen kan ikke være fram i tid."))


def referral_register(
    *,
    actor: Actor,
    person: Person,
    source: str,
    source_unit: Unit | None,
    received_on: datetime.date,
    description: str,
    urgency: str = Urgency.NORMAL,
) -> Referral:
    """A new message of need, status mottatt, and access for the one who registered it."""
    _check_registration(source, received_on, description, urgency)
    with transaction.atomic():
        referral = Referral.objects.create(
            person=person,
            source=source,
            source_unit=source_unit,
            received_on=received_on,
            description=description.strip(),
            urgency=urgency,
            status=ReferralStatus.RECEIVED,
            registered_by=actor.staff,
        )
        record_initial_status(referral, actor=actor)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="referral",
            object_id=referral.pk,
            person=person,
        )
        _ensure_registrar_access(actor, person)
    return referral


def referral_register_new_person(
    *, actor: Actor, person_data: dict[str, Any], **referral: Any
) -> Referral:
    """Register the person and their first message together: both or neither.

    Raises register.services.DuplicateNationalId when the number is already taken.
    """
    _check_registration(
        referral["source"], referral["received_on"], referral["description"], referral["urgency"]
    )
    with transaction.atomic():
        person = people_services.person_register(actor=actor, data=person_data)
        return referral_register(actor=actor, person=person, **referral)


def _move(
    actor: Actor,
    referral: Referral,
    to_status: str,
    *,
    reason: str = "",
    forwarded_to: Unit | None = None,
) -> Referral:
    """Change the status (checked and locked by transition()) and write the audit row;
    runs inside the caller's transaction."""
    changes = {
        "status_reason": reason,
        "forwarded_to": forwarded_to if to_status == ReferralStatus.FORWARDED else None,
    }
    transition(referral, to_status, actor=actor, reason=reason, changes=changes)
    # The handler as stored: the caller's copy may predate the taking.
    referral.refresh_from_db(fields=["handler"])
    if not referral.is_open and referral.handler is not None:
        _end_handler(actor, referral, referral.handler)
    record_event(
        actor=actor,
        action=AuditAction.for_status(to_status),
        object_type="referral",
        object_id=referral.pk,
        person=referral.person,
    )
    return referral


def referral_transition(
    *,
    actor: Actor,
    referral: Referral,
    to_status: str,
    reason: str = "",
    forwarded_to: Unit | None = None,
) -> Referral:
    """Move a message along; forwarding and closing need a reason, forwarding a unit."""
    reason = reason.strip()
    with transaction.atomic():
        _check_move(referral, to_status, reason, forwarded_to)
        return _move(actor, referral, to_status, reason=reason, forwarded_to=forwarded_to)


def _check_move(referral: Referral, to_status: str, reason: str, forwarded_to: Unit | None) -> None:
    """What the form must give for a move the table allows; a move it does not allow is
    left to transition(), which refuses it by the status it finds under the lock."""
    if not referral.can_become(to_status):
        return
    if to_status == ReferralStatus.CASE_OPENED:
        raise ReferralRuleError(_("En sak opprettes med «Opprett sak», ikke ved å endre status."))
    if to_status == ReferralStatus.FORWARDED:
        if forwarded_to is None:
            raise ReferralRuleError(_("Velg hvilken enhet meldingen sendes videre til."))
        if not reason:
            raise ReferralRuleError(_("Skriv hvorfor meldingen sendes videre."))
    if to_status == ReferralStatus.CLOSED and not reason:
        raise ReferralRuleError(_("Skriv hvorfor meldingen avsluttes."))


def _check_scores(pyramid_level: int, scores: tuple[int, int, int]) -> None:
    if pyramid_level not in PyramidLevel.values:
        raise ReferralRuleError(_("Velg nivå i rehabiliteringspyramiden."))
    if any(not FACTOR_MIN <= score <= FACTOR_MAX for score in scores):
        raise ReferralRuleError(_("Hver faktor skåres fra 1 til 5."))


def referral_triage(
    *,
    actor: Actor,
    referral: Referral,
    pyramid_level: int,
    competence: int,
    complexity: int,
    intensity: int,
    care_place: str | None = None,
) -> Referral:
    """Record the triage. The place follows the suggestion unless the user chose another."""
    _check_scores(pyramid_level, (competence, complexity, intensity))
    if care_place and care_place not in CarePlace.values:
        raise ReferralRuleError(_("Velg hvor behovet bør møtes."))
    if not referral.is_open:
        raise ReferralFinished(
            _("Meldingen er ferdig behandlet (%(status)s) og kan ikke vurderes på nytt.")
            % {"status": referral.get_status_display()}
        )
    suggestion = suggest_place(competence, complexity, intensity)
    with transaction.atomic():
        referral.pyramid_level = pyramid_level
        referral.competence_score = competence
        referral.complexity_score = complexity
        referral.intensity_score = intensity
        referral.suggested_place = suggestion
        referral.care_place = care_place or suggestion
        referral.triaged_by = actor.staff
        referral.triaged_at = timezone.now()
        referral.save(
            update_fields=[
                "pyramid_level",
                "competence_score",
                "complexity_score",
                "intensity_score",
                "suggested_place",
                "care_place",
                "triaged_by",
                "triaged_at",
            ]
        )
        record_event(
            actor=actor,
            action=AuditAction.TRIAGE,
            object_type="referral",
            object_id=referral.pk,
            person=referral.person,
        )
        if referral.is_new:
            _move(actor, referral, ReferralStatus.ASSESSING)
    return referral


def referral_open_case(
    *,
    actor: Actor,
    referral: Referral,
    requests_individual_plan: bool,
    requests_coordinator: bool,
    responsible_unit: Unit | None = None,
    caseworker: Staff | None = None,
) -> Case:
    """Open a case (individual plan and/or coordinator) from the message and close it as
    sak opprettet; the case keeps the message's received date, which starts its clock."""
    if not referral.is_open:
        raise ReferralFinished(
            _(
                "Meldingen er ferdig behandlet (%(status)s), og det kan ikke opprettes en sak "
                "fra den."
            )
            % {"status": referral.get_status_display()}
        )
    if not (requests_individual_plan or requests_coordinator):
        raise ReferralRuleError(_("Kryss av for individuell plan, koordinator eller begge."))
    with transaction.atomic():
        case = case_open(
            actor=actor,
            person=referral.person,
            received_on=referral.received_on,
            referral=referral,
            requests_individual_plan=requests_individual_plan,
            requests_coordinator=requests_coordinator,
            responsible_unit=responsible_unit,
            caseworker=caseworker,
        )
        _move(actor, referral, ReferralStatus.CASE_OPENED)
    return case
