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
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import CareRelation, CareRelationKind
from mestring.access.services import care_relation_end, care_relation_grant
from mestring.casework.models import Decision
from mestring.catalogue.models import Assignment
from mestring.devices.models import (
    MUNICIPAL_LOAN_MAX_DAYS,
    OPEN_ORDER_STATUSES,
    DeviceOrder,
    DeviceOrderStatus,
    Item,
    ItemStatus,
    Loan,
    Owner,
    ReturnCondition,
    Store,
)
from mestring.devices.services.status import item_status_change
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import Conflict, RuleBroken
from mestring.kernel.states import transition
from mestring.people.models import Person, Staff, Unit
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
    """The item whose label the scanner typed, whatever the letter case (a scanner or
    a keyboard with caps lock types «hm-000004»); surrounding spaces ignored. Labels
    are unique whatever the case; should two differ only in case (older data), the
    one typed exactly wins."""
    label = (label or "").strip()
    if not label:
        return None
    return (
        Item.objects.select_related("device_type")
        .filter(label__iexact=label)
        .annotate(
            exact=Case(
                When(label=label, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("exact", "pk")
        .first()
    )


def check_municipal_duration(
    item: Item, start: datetime.date, expected_return_on: datetime.date | None
) -> None:
    if item.owner != Owner.MUNICIPALITY:
        return
    check_duration(start, expected_return_on)


def check_duration(start: datetime.date, expected_return_on: datetime.date | None) -> None:
    """A loan of the municipality's own item: its return is known and under two years."""
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


def check_sources(person: Person, decision: Decision | None, measure: Measure | None) -> None:
    if decision is not None and measure is not None:
        raise LoanError(_("Velg enten et vedtak eller et tiltak i planen, ikke begge."))
    if decision is not None and decision.case.person_id != person.pk:
        raise LoanError(_("Vedtaket gjelder ikke denne personen."))
    if measure is not None and measure.plan.person_id != person.pk:
        raise LoanError(_("Tiltaket hører ikke til denne personens plan."))


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
    check_sources(person, decision, measure)
    if expected_return_on is not None and expected_return_on < ordered_on:
        raise LoanError(_("Forventet retur kan ikke være før bestillingsdatoen."))
    found = find_item(label)
    if found is None:
        raise LoanError(
            _("Fant ikke noe hjelpemiddel med merkelappen «%(label)s».")
            % {"label": (label or "").strip()},
            field="label",
        )
    return loan_reserve(
        actor=actor,
        person=person,
        item=found,
        ordered_on=ordered_on,
        expected_return_on=expected_return_on,
        decision=decision,
        measure=measure,
        note=note,
    )


def loan_reserve(
    *,
    actor: Actor,
    person: Person,
    item: Item,
    ordered_on: datetime.date,
    expected_return_on: datetime.date | None,
    decision: Decision | None = None,
    measure: Measure | None = None,
    note: str = "",
    ordered_by: Staff | None = None,
) -> Loan:
    """Reserve this item for the person: the loan is ordered, the item leaves `ledig`.
    The one way a loan begins, whether a label was scanned or an order by type was
    filled. `ordered_by`: who ordered, when not the actor (an order filled later)."""
    if expected_return_on is not None and expected_return_on < ordered_on:
        raise LoanError(_("Forventet retur kan ikke være før bestillingsdatoen."))
    with transaction.atomic():
        locked = Item.objects.select_for_update().filter(pk=item.pk).first()
        if locked is None:
            raise LoanError(_("Fant ikke hjelpemiddelet."))
        item = locked
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
            ordered_by=ordered_by or actor.staff,
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
        store_access_sync(actor=actor, person=person)
    return loan


# --- Orders by type: filling them, and the store's access to the person -------------


def order_fill(*, actor: Actor, order: DeviceOrder, item: Item) -> DeviceOrder:
    """Fill a waiting order with this free item: a loan reserves it for the person."""
    with transaction.atomic():
        loan = loan_reserve(
            actor=actor,
            person=order.person,
            item=item,
            ordered_on=order.ordered_on,
            expected_return_on=order.expected_return_on,
            decision=order.decision,
            measure=order.measure,
            note=order.note,
            ordered_by=order.ordered_by,
        )
        changes: dict[str, object] = {"loan": loan}
        if order.store_id is None and item.room_id is not None:
            changes["store"] = item.room.store if item.room else None
        transition(
            order,
            DeviceOrderStatus.FILLED,
            actor=actor,
            reason=_("Reservert: %(label)s") % {"label": item.label},
            changes=changes,
        )
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="devices.DeviceOrder",
            object_id=order.pk,
            person=order.person,
        )
    return order


def free_item_for(device_type_id: int, store_id: int | None = None) -> Item | None:
    """A free municipal item of the type, from the order's store first. NAV's items
    are lent on NAV's decision for a person, never to fill a municipal order."""
    items = Item.objects.select_related("room__store").filter(
        device_type=device_type_id, status=ItemStatus.AVAILABLE, owner=Owner.MUNICIPALITY
    )
    if store_id is not None:
        items = items.annotate(
            elsewhere=Case(
                When(room__store=store_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("elsewhere", "label", "pk")
    else:
        items = items.order_by("label", "pk")
    return items.first()


def fill_waiting(*, actor: Actor, item: Item) -> DeviceOrder | None:
    """The item is free again (cleaned, inspected, repaired, registered, an order
    cancelled): the first order waiting for its type (ordered first) gets it at once,
    so nobody is passed over and nobody has to remember who waited longest."""
    if item.status != ItemStatus.AVAILABLE or item.owner != Owner.MUNICIPALITY:
        return None
    with transaction.atomic():
        order = (
            DeviceOrder.objects.select_for_update()
            .filter(status=DeviceOrderStatus.WAITING, device_type=item.device_type_id)
            .order_by("ordered_on", "pk")
            .first()
        )
        if order is None:
            return None
        return order_fill(actor=actor, order=order, item=item)


def _units_with_open_work(person: Person) -> set[int]:
    """The store units with an open order or loan of the person."""
    orders = DeviceOrder.objects.filter(person=person, store__unit__isnull=False).filter(
        Q(status__in=OPEN_ORDER_STATUSES)
        | Q(status=DeviceOrderStatus.FILLED, loan__returned_on__isnull=True)
    )
    loans = Loan.objects.filter(
        person=person, returned_on__isnull=True, item__room__store__unit__isnull=False
    )
    return set(orders.values_list("store__unit_id", flat=True)) | set(
        loans.values_list("item__room__store__unit_id", flat=True)
    )


def store_access_sync(*, actor: Actor, person: Person) -> None:
    """The unit running a store sees a person while an order or a loan of the person is
    open there (to find the person, deliver and fetch), and no longer: the care
    relation is granted with the first and ended with the last, unless an assignment
    to the unit still gives it."""
    needed = _units_with_open_work(person)
    store_units = set(Store.objects.filter(unit__isnull=False).values_list("unit_id", flat=True))
    active = CareRelation.objects.active().filter(person=person, unit__in=store_units)
    # A relation that ends on its own (an assignment's, ending with it) does not carry
    # a loan that goes on: the unit gets one of its own, ended with the last open work.
    lasting = set(active.filter(valid_to__isnull=True).values_list("unit_id", flat=True))
    for unit in Unit.objects.filter(pk__in=needed - lasting).order_by("pk"):
        care_relation_grant(
            actor=actor,
            person=person,
            kind=CareRelationKind.PROVIDER,
            reason=_("Bestilling eller utlån av hjelpemiddel"),
            unit=unit,
        )
    stale = set(active.values_list("unit_id", flat=True)) - needed
    if not stale:
        return
    today = timezone.localdate()
    assigned = set(
        Assignment.objects.filter(
            decision__case__person=person, unit__in=stale, starts_on__lte=today
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("unit_id", flat=True)
    )
    for relation in active.filter(unit__in=stale - assigned, kind=CareRelationKind.PROVIDER):
        care_relation_end(actor=actor, relation=relation)


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
        # The order by type the loan filled is cancelled with it (the person no longer
        # wants the device; a new order puts them at the back of the list).
        order = DeviceOrder.objects.filter(loan=loan).first()
        if order is not None:
            transition(
                order,
                DeviceOrderStatus.CANCELLED,
                actor=actor,
                reason=_("Avbestilt før utlevering"),
                changes={"loan": None},
            )
            record_event(
                actor=actor,
                action=AuditAction.DEVICE_LOAN_CANCEL,
                object_type="devices.DeviceOrder",
                object_id=order.pk,
                person=person,
            )
        loan.delete()
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_LOAN_CANCEL,
            object_type="devices.Loan",
            object_id=loan_id,
            person=person,
        )
        item_status_change(
            actor=actor,
            item=item,
            to_status=ItemStatus.AVAILABLE,
            note=_("Bestillingen ble avbestilt før utlevering."),
            person=person,
        )
        store_access_sync(actor=actor, person=person)
        fill_waiting(actor=actor, item=item)
        return item


def loan_return(
    *,
    actor: Actor,
    loan: Loan,
    returned_on: datetime.date,
    condition: str,
    note: str = "",
) -> Loan:
    """The item is back: to the cleaning queue, or straight to repair when damaged. The
    condition and note go with the item (`Item.last_return`): the cleaning queue and
    the repair show them, and a worn item or one with a note is inspected after
    cleaning before it is lent again."""
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
        loan.return_note = (note or "").strip()[:500]
        loan.save(update_fields=["returned_on", "return_condition", "received_by", "return_note"])
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
                changes={"last_return": loan},
            )
        store_access_sync(actor=actor, person=loan.person)
    return loan
