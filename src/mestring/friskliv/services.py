"""Writes about frisklivsresepter: register, start (the health conversation), end.

Each is one transaction with its audit row. The contact staff member gets a provider
care relation while the prescription runs; it ends with the prescription.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import CareRelationKind
from mestring.access.services import care_relation_end, care_relation_grant
from mestring.friskliv.models import (
    Prescription,
    PrescriptionStatus,
    Reason,
    ReferrerKind,
)
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Person, Staff

MAX_WEEKS = 52


class PrescriptionError(RuleBroken):
    """A request the rules do not allow; the message is for the user."""

    code = "prescription_rule"


def _not_future(day: datetime.date, message: str) -> None:
    if day > timezone.localdate():
        raise PrescriptionError(message)


def prescription_register(
    *,
    actor: Actor,
    person: Person,
    referral_date: datetime.date,
    reason: str,
    referrer_kind: str = "",
    referrer_name: str = "",
    contact: Staff | None = None,
    period_weeks: int = 12,
) -> Prescription:
    """Register a referral. The contact (default: the actor) gets a provider relation."""
    _not_future(referral_date, _("Henvisningsdatoen kan ikke være fram i tid."))
    if reason not in Reason.values:
        raise PrescriptionError(_("Velg en årsak fra listen."))
    if referrer_kind and referrer_kind not in ReferrerKind.values:
        raise PrescriptionError(_("Velg en henviser fra listen."))
    if not 1 <= period_weeks <= MAX_WEEKS:
        raise PrescriptionError(_("Perioden må være fra 1 til %(max)s uker.") % {"max": MAX_WEEKS})
    contact = contact or actor.staff
    with transaction.atomic():
        prescription = Prescription.objects.create(
            person=person,
            referral_date=referral_date,
            reason=reason,
            referrer_kind=referrer_kind,
            referrer_name=referrer_name.strip(),
            contact=contact,
            period_weeks=period_weeks,
        )
        record_initial_status(prescription, actor=actor)
        if contact is not None:
            prescription.care_relation = care_relation_grant(
                actor=actor,
                person=person,
                kind=CareRelationKind.PROVIDER,
                reason=_("Kontaktperson for frisklivsresept"),
                staff=contact,
            )
            prescription.save(update_fields=["care_relation"])
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="prescription",
            object_id=prescription.pk,
            person=person,
        )
    return prescription


def prescription_start(
    *,
    actor: Actor,
    prescription: Prescription,
    start_date: datetime.date,
    period_weeks: int | None = None,
) -> Prescription:
    """The health conversation: the prescription period starts."""
    _not_future(start_date, _("Startdatoen kan ikke være fram i tid."))
    if start_date < prescription.referral_date:
        raise PrescriptionError(_("Perioden kan ikke starte før henvisningsdatoen."))
    if period_weeks is not None and not 1 <= period_weeks <= MAX_WEEKS:
        raise PrescriptionError(_("Perioden må være fra 1 til %(max)s uker.") % {"max": MAX_WEEKS})
    with transaction.atomic():
        changes: dict[str, object] = {"start_date": start_date}
        if period_weeks is not None:
            changes["period_weeks"] = period_weeks
        transition(prescription, PrescriptionStatus.RUNNING, actor=actor, changes=changes)
        record_event(
            actor=actor,
            action=AuditAction.START,
            object_type="prescription",
            object_id=prescription.pk,
            person=prescription.person,
        )
    return prescription


def _end_relation(actor: Actor, prescription: Prescription) -> None:
    relation = prescription.care_relation
    if relation is not None and (relation.valid_to is None or relation.valid_to > timezone.now()):
        care_relation_end(actor=actor, relation=relation)


def prescription_end(
    *,
    actor: Actor,
    prescription: Prescription,
    ended_on: datetime.date,
    completed: bool,
    note: str = "",
) -> Prescription:
    """End the prescription, completed or not; the contact's relation ends with it."""
    _not_future(ended_on, _("Sluttdatoen kan ikke være fram i tid."))
    first_day = prescription.start_date or prescription.referral_date
    if ended_on < first_day:
        raise PrescriptionError(_("Sluttdatoen kan ikke være før perioden startet."))
    if completed and prescription.start_date is None:
        raise PrescriptionError(
            _(
                "En resept som ikke er startet kan ikke være gjennomført. "
                "Registrer helsesamtalen først."
            )
        )
    with transaction.atomic():
        transition(
            prescription,
            PrescriptionStatus.ENDED,
            actor=actor,
            changes={"ended_on": ended_on, "completed": completed, "end_note": note.strip()},
        )
        _end_relation(actor, prescription)
        record_event(
            actor=actor,
            action=AuditAction.END,
            object_type="prescription",
            object_id=prescription.pk,
            person=prescription.person,
        )
    return prescription
