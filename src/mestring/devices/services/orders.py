"""Orders of a device by type: the therapist orders «a rollator» for a person, the
store fills the order with a free item of the type at once (a loan that reserves it,
through `loans.loan_reserve`) or keeps it on the waiting list of the type until an
item is free (`loans.fill_waiting`). An assignment of a device service to the unit
running a store makes an order whose type the technician chooses.

Every change of an order's status goes through the kernel's `transition()` and is
audited; the store's unit sees the person while an order or loan is open.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.casework.models import Decision
from mestring.catalogue.models import Assignment
from mestring.devices.models import (
    OPEN_ORDER_STATUSES,
    DeviceOrder,
    DeviceOrderStatus,
    DeviceType,
    Store,
)
from mestring.devices.services.loans import (
    LoanError,
    LoanStateConflict,
    check_duration,
    check_sources,
    free_item_for,
    loan_cancel,
    order_fill,
    store_access_sync,
)
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import record_initial_status, transition
from mestring.people.models import Person
from mestring.plans.models import Measure


def _check_dates(ordered_on: datetime.date, expected_return_on: datetime.date | None) -> None:
    if ordered_on > timezone.localdate():
        raise LoanError(_("Bestillingsdatoen kan ikke være fram i tid."))
    if expected_return_on is not None and expected_return_on < ordered_on:
        raise LoanError(_("Forventet retur kan ikke være før bestillingsdatoen."))
    # Orders are filled from the municipality's own items, lent for needs under two
    # years; a longer need is NAV's (the same rule as a loan of a scanned item).
    check_duration(ordered_on, expected_return_on)


def default_store() -> Store | None:
    """The store an order goes to when none is chosen: the first active one run by a
    unit (whose staff then see the person), else the first active one."""
    stores = Store.objects.filter(is_active=True)
    return stores.filter(unit__isnull=False).order_by("name", "pk").first() or (
        stores.order_by("name", "pk").first()
    )


def _try_fill(actor: Actor, order: DeviceOrder) -> DeviceOrder:
    if order.device_type_id is None:
        return order
    item = free_item_for(order.device_type_id, order.store_id)
    if item is None:
        return order
    return order_fill(actor=actor, order=order, item=item)


def device_order_create(
    *,
    actor: Actor,
    person: Person,
    device_type: DeviceType,
    ordered_on: datetime.date,
    expected_return_on: datetime.date | None,
    store: Store | None = None,
    decision: Decision | None = None,
    measure: Measure | None = None,
    note: str = "",
) -> DeviceOrder:
    """Order a device of this type for the person: filled at once with a free item,
    else on the type's waiting list."""
    check_sources(person, decision, measure)
    _check_dates(ordered_on, expected_return_on)
    if not device_type.is_active:
        raise LoanError(_("Typen er ikke i bruk lenger. Velg en annen type."), field="device_type")
    with transaction.atomic():
        order = DeviceOrder.objects.create(
            person=person,
            device_type=device_type,
            store=store or default_store(),
            decision=decision,
            measure=measure,
            ordered_on=ordered_on,
            ordered_by=actor.staff,
            expected_return_on=expected_return_on,
            note=(note or "").strip()[:500],
            status=DeviceOrderStatus.WAITING,
        )
        record_initial_status(order, actor=actor, reason=_("Bestilt"))
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_LOAN_ORDER,
            object_type="devices.DeviceOrder",
            object_id=order.pk,
            person=person,
        )
        _try_fill(actor, order)
        store_access_sync(actor=actor, person=person)
    return order


def order_choose_type(
    *,
    actor: Actor,
    order: DeviceOrder,
    device_type: DeviceType,
    expected_return_on: datetime.date | None,
) -> DeviceOrder:
    """The technician chooses the type of an order an assignment made: it is filled
    at once when an item is free, else it waits for one."""
    with transaction.atomic():
        order = DeviceOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != DeviceOrderStatus.NEW:
            raise LoanStateConflict(_("Typen er allerede valgt for denne bestillingen."))
        if not device_type.is_active:
            raise LoanError(
                _("Typen er ikke i bruk lenger. Velg en annen type."), field="device_type"
            )
        _check_dates(order.ordered_on, expected_return_on)
        transition(
            order,
            DeviceOrderStatus.WAITING,
            actor=actor,
            reason=_("Type valgt: %(type)s") % {"type": device_type.name},
            changes={"device_type": device_type, "expected_return_on": expected_return_on},
        )
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="devices.DeviceOrder",
            object_id=order.pk,
            person=order.person,
        )
        _try_fill(actor, order)
    return order


def order_cancel(*, actor: Actor, order: DeviceOrder, reason: str = "") -> DeviceOrder:
    """Cancel an order: one not yet filled leaves the list; a filled one not yet
    delivered frees its item (the loan is cancelled). A delivered one is returned,
    not cancelled."""
    with transaction.atomic():
        order = DeviceOrder.objects.select_for_update().get(pk=order.pk)
        if order.status == DeviceOrderStatus.FILLED and order.loan is not None:
            loan_cancel(actor=actor, loan=order.loan)  # cancels the order with it
            order.refresh_from_db()
            return order
        if order.status not in OPEN_ORDER_STATUSES:
            raise LoanStateConflict(_("Bestillingen er allerede avsluttet."))
        transition(
            order,
            DeviceOrderStatus.CANCELLED,
            actor=actor,
            reason=(reason or _("Avbestilt"))[:500],
        )
        record_event(
            actor=actor,
            action=AuditAction.DEVICE_LOAN_CANCEL,
            object_type="devices.DeviceOrder",
            object_id=order.pk,
            person=order.person,
        )
        store_access_sync(actor=actor, person=order.person)
    return order


# --- Assignments to a store's unit ----------------------------------------------------


def store_for_unit(unit_id: int) -> Store | None:
    return Store.objects.filter(unit=unit_id, is_active=True).order_by("name", "pk").first()


def order_from_assignment(*, actor: Actor, assignment: Assignment) -> DeviceOrder | None:
    """A device service assigned to the unit running a store is an order on the
    store's list, linked to the decision; the technician chooses the type. Once per
    decision and store while an order of it is open."""
    store = store_for_unit(assignment.unit_id)
    if store is None:
        return None
    decision = assignment.decision
    if DeviceOrder.objects.filter(
        decision=decision, store=store, status__in=OPEN_ORDER_STATUSES
    ).exists():
        return None
    person = decision.case.person
    with transaction.atomic():
        order = DeviceOrder.objects.create(
            person=person,
            store=store,
            decision=decision,
            ordered_on=min(assignment.starts_on, timezone.localdate()),
            ordered_by=actor.staff,
            expected_return_on=assignment.ends_on,
            note=(_("Tildelt etter vedtak om %(service)s") % {"service": decision.service})[:500],
            status=DeviceOrderStatus.NEW,
        )
        record_initial_status(order, actor=actor, reason=_("Tildelt lageret"))
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="devices.DeviceOrder",
            object_id=order.pk,
            person=person,
        )
    return order


def orders_end_with_assignment(*, actor: Actor, assignment: Assignment, on: datetime.date) -> int:
    """The assignment ended: its orders not yet filled are cancelled. A filled one
    stays (the item is reserved or with the person; cancel or return it as usual)."""
    store = store_for_unit(assignment.unit_id)
    if store is None:
        return 0
    count = 0
    orders = DeviceOrder.objects.filter(
        decision=assignment.decision_id, store=store, status__in=OPEN_ORDER_STATUSES
    ).select_related("person")
    for order in orders:
        order_cancel(
            actor=actor,
            order=order,
            reason=_("Tildelingen ble avsluttet %(day)s") % {"day": on.strftime("%d.%m.%Y")},
        )
        count += 1
    person = assignment.decision.case.person
    # The assignment's end may have ended the unit's access: open loans keep it.
    store_access_sync(actor=actor, person=person)
    return count
