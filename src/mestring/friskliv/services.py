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
from mestring.core.transitions import check_transition
from mestring.friskliv.models import (
    TRANSITIONS,
    Prescription,
    PrescriptionStatus,
    PrescriptionStatusChange,
    Reason,
    ReferrerKind,
)
from mestring.kernel.errors import RuleBroken
from mestring.people.models import Person, Staff

MAX_WEEKS = 52


class PrescriptionError(RuleBroken):
    """A request the rules do not allow; the message is for the user."""

    code = "prescription_rule"


def _not_future(day: datetime.date, message: str) -> None:
    if day > timezone.localdate():
        raise PrescriptionError(message)


def _move(actor: Actor, prescription: Prescription, new: str) -> None:
    check_transition(TRANSITIONS, prescription.status, new, dict(PrescriptionStatus.choices))
    PrescriptionStatusChange.objects.create(
        prescription=prescription,
        old_status=prescription.status,
        new_status=new,
        changed_by=actor.user,
    )
    prescription.status = new


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
        PrescriptionStatusChange.objects.create(
            prescription=prescription,
            new_status=PrescriptionStatus.REFERRED,
            changed_by=actor.user,
        )
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
            action="create",
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
        _move(actor, prescription, PrescriptionStatus.RUNNING)
        prescription.start_date = start_date
        if period_weeks is not None:
            prescription.period_weeks = period_weeks
        prescription.save(update_fields=["status", "start_date", "period_weeks"])
        record_event(
            actor=actor,
            action="start",
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
        _move(actor, prescription, PrescriptionStatus.ENDED)
        prescription.ended_on = ended_on
        prescription.completed = completed
        prescription.end_note = note.strip()
        prescription.save(update_fields=["status", "ended_on", "completed", "end_note"])
        _end_relation(actor, prescription)
        record_event(
            actor=actor,
            action="end",
            object_type="prescription",
            object_id=prescription.pk,
            person=prescription.person,
        )
    return prescription
