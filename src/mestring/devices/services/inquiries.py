"""Inquiries about devices or home adaptation, counted per year."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.devices.models import Inquiry, InquiryTopic
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.people.models import Person


class InquiryError(RuleBroken):
    """Plain Norwegian for the user."""

    code = "inquiry_rule"


def inquiry_register(
    *,
    actor: Actor,
    received_on: datetime.date,
    topic: str,
    description: str = "",
    handled_on: datetime.date | None = None,
    person: Person | None = None,
) -> Inquiry:
    today = timezone.localdate()
    if topic not in InquiryTopic.values:
        raise InquiryError(_("Velg hva henvendelsen gjelder."))
    if received_on > today:
        raise InquiryError(_("Mottaksdatoen kan ikke være fram i tid."))
    if handled_on is not None and handled_on < received_on:
        raise InquiryError(_("Behandlingsdatoen kan ikke være før mottaksdatoen."))
    with transaction.atomic():
        inquiry = Inquiry.objects.create(
            person=person,
            received_on=received_on,
            topic=topic,
            description=description,
            handled_on=handled_on,
            registered_by=actor.staff,
        )
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_INQUIRY_CREATE,
            object_type="devices.Inquiry",
            object_id=inquiry.pk,
            person=person,
        )
    return inquiry
