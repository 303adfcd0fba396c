"""Applications to NAV Hjelpemiddelsentral for long-term devices.

sendt → innvilget | avslått; innvilget → levert (the NAV-owned item is registered and
lent to the person); levert → returnert (the loan ends, the item goes to cleaning).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.devices.models import (
    DeviceType,
    Item,
    ItemStatus,
    Loan,
    NavApplication,
    NavApplicationStatus,
    NavApplicationStatusChange,
    Owner,
    ReturnCondition,
)
from mestring.devices.services.loans import LoanError, loan_return
from mestring.devices.services.status import item_status_change
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.kernel.states import transition
from mestring.people.models import Person


class NavError(RuleBroken):
    """A rule for NAV applications was broken; plain Norwegian for the user."""

    code = "nav_rule"


def nav_application_create(
    *,
    actor: Actor,
    person: Person,
    description: str,
    sent_on: datetime.date,
    device_type: DeviceType | None = None,
    nav_reference: str = "",
    note: str = "",
) -> NavApplication:
    if sent_on > timezone.localdate():
        raise NavError(_("Datoen søknaden ble sendt kan ikke være fram i tid."))
    with transaction.atomic():
        application = NavApplication.objects.create(
            person=person,
            device_type=device_type,
            description=description,
            sent_on=sent_on,
            nav_reference=nav_reference,
            sent_by=actor.staff,
            note=note,
        )
        NavApplicationStatusChange.objects.create(
            application=application,
            from_status="",
            to_status=NavApplicationStatus.SENT,
            changed_on=sent_on,
            changed_by=actor.user,
        )
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_NAV_CREATE,
            object_type="devices.NavApplication",
            object_id=application.pk,
            person=person,
        )
    return application


def nav_application_status(
    *,
    actor: Actor,
    application: NavApplication,
    to_status: str,
    changed_on: datetime.date,
    label: str = "",
    serial_number: str = "",
    device_type: DeviceType | None = None,
    value_nok: Decimal | None = None,
) -> NavApplication:
    """Record NAV's answer, the delivery of the NAV-owned item, or its return."""
    if changed_on > timezone.localdate():
        raise NavError(_("Datoen kan ikke være fram i tid."))
    with transaction.atomic():
        application = (
            NavApplication.objects.select_for_update()
            .select_related("person")
            .get(pk=application.pk)
        )
        decided = to_status in (NavApplicationStatus.GRANTED, NavApplicationStatus.REFUSED)
        # First, so that a change the table refuses is told before anything else.
        transition(
            application,
            to_status,
            actor=actor,
            changes={"decided_on": changed_on} if decided else None,
            history={"changed_on": changed_on},
        )
        if changed_on < application.sent_on:
            raise NavError(_("Datoen kan ikke være før søknaden ble sendt."))
        person = application.person
        if to_status == NavApplicationStatus.DELIVERED:
            _deliver(actor, application, changed_on, label, serial_number, device_type, value_nok)
        elif to_status == NavApplicationStatus.RETURNED:
            loan = Loan.objects.filter(
                nav_application=application, returned_on__isnull=True
            ).first()
            if loan is not None:
                try:
                    loan_return(
                        actor=actor,
                        loan=loan,
                        returned_on=changed_on,
                        condition=ReturnCondition.GOOD,
                    )
                except LoanError as exc:
                    raise NavError(str(exc)) from exc
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_NAV_STATUS,
            object_type="devices.NavApplication",
            object_id=application.pk,
            person=person,
        )
    return application


def _deliver(
    actor: Actor,
    application: NavApplication,
    day: datetime.date,
    label: str,
    serial_number: str,
    device_type: DeviceType | None,
    value_nok: Decimal | None,
) -> Loan:
    """Register the NAV-owned item and an open, delivered loan to the person."""
    label = (label or "").strip()
    device_type = device_type or application.device_type
    if not label:
        raise NavError(_("Skriv inn merkelappen på hjelpemiddelet fra NAV."))
    if device_type is None:
        raise NavError(_("Velg hvilken type hjelpemiddel NAV leverte."))
    if Item.objects.filter(label__iexact=label).exists():
        raise NavError(
            _("Merkelappen «%(label)s» er allerede brukt på et annet hjelpemiddel.")
            % {"label": label}
        )
    item = Item.objects.create(
        device_type=device_type,
        label=label,
        serial_number=(serial_number or "").strip(),
        value_nok=value_nok or Decimal(0),
        owner=Owner.NAV,
        status=ItemStatus.AVAILABLE,
        acquired_on=day,
        note=_("Eies av NAV Hjelpemiddelsentral"),
    )
    record_event(
        actor=actor,
        action=AuditAction.DEVICE_ITEM_CREATE,
        object_type="devices.Item",
        object_id=item.pk,
        person=application.person,
    )
    loan = Loan.objects.create(
        item=item,
        person=application.person,
        nav_application=application,
        ordered_on=day,
        ordered_by=actor.staff,
        delivered_on=day,
        delivered_by=actor.staff,
    )
    record_event(
        actor=actor,
        action=AuditAction.DEVICE_LOAN_DELIVER,
        object_type="devices.Loan",
        object_id=loan.pk,
        person=application.person,
    )
    item_status_change(
        actor=actor,
        item=item,
        to_status=ItemStatus.ON_LOAN,
        note=_("Levert fra NAV"),
        person=application.person,
    )
    return loan
