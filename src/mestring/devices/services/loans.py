"""Loans of assistive devices: ordered by the therapist, delivered by the store,
returned to the store (then cleaning, or repair when damaged).

The item leaves `ledig` when the loan is ordered: the open loan reserves it, so it
cannot be lent twice while it waits for delivery. A municipal loan expected to last
longer than MUNICIPAL_LOAN_MAX_DAYS is a long-term need that NAV covers: the order
is refused and the user is pointed at a NAV application.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.casework.models import Decision
from mestring.devices.models import (
    MUNICIPAL_LOAN_MAX_DAYS,
    Item,
    ItemStatus,
    Loan,
    Owner,
    ReturnCondition,
)
from mestring.devices.services.status import item_status_change
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, RuleBroken
from mestring.people.models import Person
from mestring.plans.models import Measure


class LoanError(RuleBroken):
    """A loan rule was broken; the message is plain Norwegian for the user."""

    code = "loan_rule"


class LoanStateConflict(Conflict, LoanError):
    """The item or loan is in a state that does not allow this now (not available,
    already delivered, already returned)."""

    code = "loan_state"


class MunicipalLoanTooLong(LoanError):
    """A municipal loan would last longer than the municipality lends: apply to NAV."""

    code = "municipal_loan_too_long"


def find_item(label: str) -> Item | None:
    """The item whose label the scanner typed (surrounding spaces ignored)."""
    label = (label or "").strip()
    if not label:
        return None
    return Item.objects.select_related("device_type").filter(label=label).first()


def check_municipal_duration(
    item: Item, start: datetime.date, expected_return_on: datetime.date | None
) -> None:
    if item.owner != Owner.MUNICIPALITY:
        return
    if expected_return_on is None:
        raise LoanError(_("Skriv inn når hjelpemiddelet ventes tilbake."))
    if (expected_return_on - start).days > MUNICIPAL_LOAN_MAX_DAYS:
        raise MunicipalLoanTooLong(
            _(
                "Kommunen låner bare ut hjelpemidler for behov under to år. Forventet "
                "retur %(day)s er mer enn to år fram. Et varig behov dekkes av NAV "
                "Hjelpemiddelsentral: registrer en søknad til NAV i stedet."
            )
            % {"day": expected_return_on.strftime("%d.%m.%Y")}
        )


def loan_order(
    *,
    actor: Actor,
    person: Person,
    label: str,
    ordered_on: datetime.date,
    expected_return_on: datetime.date | None,
    decision: Decision | None = None,
    measure: Measure | None = None,
    note: str = "",
) -> Loan:
    """Order a loan of the item with this label; the item is reserved at once."""
    if decision is not None and measure is not None:
        raise LoanError(_("Velg enten et vedtak eller et tiltak i planen, ikke begge."))
    if decision is not None and decision.case.person_id != person.pk:
        raise LoanError(_("Vedtaket gjelder ikke denne personen."))
    if measure is not None and measure.plan.person_id != person.pk:
        raise LoanError(_("Tiltaket hører ikke til denne personens plan."))
    if expected_return_on is not None and expected_return_on < ordered_on:
        raise LoanError(_("Forventet retur kan ikke være før bestillingsdatoen."))
    with transaction.atomic():
        found = find_item(label)
        item = Item.objects.select_for_update().filter(pk=found.pk).first() if found else None
        if item is None:
            raise LoanError(
                _("Fant ikke noe hjelpemiddel med merkelappen «%(label)s».")
                % {"label": (label or "").strip()},
                field="label",
            )
        if item.status != ItemStatus.AVAILABLE:
            raise LoanStateConflict(
                _("Hjelpemiddelet %(label)s er ikke ledig (status: %(status)s).")
                % {"label": item.label, "status": item.get_status_display()}
            )
        check_municipal_duration(item, ordered_on, expected_return_on)
        loan = Loan.objects.create(
            item=item,
            person=person,
            decision=decision,
            measure=measure,
            ordered_on=ordered_on,
            ordered_by=actor.staff,
            expected_return_on=expected_return_on,
            note=note,
        )
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_LOAN_ORDER,
            object_type="devices.Loan",
            object_id=loan.pk,
            person=person,
        )
        item_status_change(
            actor=actor,
            item=item,
            to_status=ItemStatus.ON_LOAN,
            note=_("Bestilt til utlån"),
            person=person,
        )
    return loan


def _open_loan(loan: Loan) -> Loan:
    locked = Loan.objects.select_for_update().select_related("item", "person").get(pk=loan.pk)
    if locked.returned_on is not None:
        raise LoanStateConflict(_("Utlånet er allerede avsluttet."))
    return locked


def loan_deliver(*, actor: Actor, loan: Loan, delivered_on: datetime.date) -> Loan:
    """The store has delivered the item to the person."""
    with transaction.atomic():
        loan = _open_loan(loan)
        if loan.delivered_on is not None:
            raise LoanStateConflict(_("Hjelpemiddelet er allerede levert ut."))
        if delivered_on < loan.ordered_on:
            raise LoanError(_("Utleveringsdatoen kan ikke være før bestillingsdatoen."))
        if delivered_on > timezone.localdate():
            raise LoanError(_("Utleveringsdatoen kan ikke være fram i tid."))
        loan.delivered_on = delivered_on
        loan.delivered_by = actor.staff
        loan.save(update_fields=["delivered_on", "delivered_by"])
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_LOAN_DELIVER,
            object_type="devices.Loan",
            object_id=loan.pk,
            person=loan.person,
        )
    return loan


def loan_cancel(*, actor: Actor, loan: Loan) -> Item:
    """An order not yet delivered is cancelled: the reservation goes and the item is
    available again. The order leaves no loan behind (nothing was lent); the item's
    history and the audit log keep that it was ordered and cancelled."""
    with transaction.atomic():
        loan = _open_loan(loan)
        if loan.delivered_on is not None:
            raise LoanStateConflict(
                _("Hjelpemiddelet er levert ut. Registrer retur i stedet for å avbestille.")
            )
        item, person, loan_id = loan.item, loan.person, loan.pk
        loan.delete()
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_LOAN_CANCEL,
            object_type="devices.Loan",
            object_id=loan_id,
            person=person,
        )
        return item_status_change(
            actor=actor,
            item=item,
            to_status=ItemStatus.AVAILABLE,
            note=_("Bestillingen ble avbestilt før utlevering."),
            person=person,
        )


def loan_return(
    *,
    actor: Actor,
    loan: Loan,
    returned_on: datetime.date,
    condition: str,
    note: str = "",
) -> Loan:
    """The item is back: to the cleaning queue, or straight to repair when damaged."""
    if condition not in ReturnCondition.values:
        raise LoanError(_("Velg tilstanden hjelpemiddelet kom tilbake i."))
    with transaction.atomic():
        loan = _open_loan(loan)
        if loan.delivered_on is None:
            raise LoanStateConflict(
                _("Hjelpemiddelet er ikke levert ut ennå, og kan ikke leveres tilbake.")
            )
        if returned_on < loan.delivered_on:
            raise LoanError(_("Returdatoen kan ikke være før utleveringsdatoen."))
        if returned_on > timezone.localdate():
            raise LoanError(_("Returdatoen kan ikke være fram i tid."))
        loan.returned_on = returned_on
        loan.return_condition = condition
        loan.received_by = actor.staff
        fields = ["returned_on", "return_condition", "received_by"]
        if note:
            loan.note = note[:500]
            fields.append("note")
        loan.save(update_fields=fields)
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_LOAN_RETURN,
            object_type="devices.Loan",
            object_id=loan.pk,
            person=loan.person,
        )
        target = ItemStatus.REPAIR if condition == ReturnCondition.DAMAGED else ItemStatus.CLEANING
        item = Item.objects.get(pk=loan.item_id)
        if item.status == ItemStatus.ON_LOAN:
            item_status_change(
                actor=actor,
                item=item,
                to_status=target,
                note=_("Levert tilbake: %(condition)s")
                % {"condition": ReturnCondition(condition).label},
                person=loan.person,
            )
    return loan
