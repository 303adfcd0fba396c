"""Writes of the device store: its catalogue of types, stores and rooms, items, the
cleaning queue, repair orders and discarding.

Each is one transaction with its audit row; every status change of an item goes
through `services.status.item_status_change`, which writes the history row and its
own audit row. Rules that fail raise `StoreError` with a message for the user.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose
from mestring.devices.models import (
    DeviceType,
    Item,
    ItemStatus,
    Loan,
    Owner,
    RepairOrder,
    Store,
    StoreRoom,
)
from mestring.devices.services.loans import fill_waiting, find_item
from mestring.devices.services.status import item_status_change
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.kernel.states import TransitionNotAllowed, record_initial_status


class StoreError(RuleBroken):
    """A request the store's rules do not allow; the message is for the user."""

    code = "store_rule"


RULE_ERRORS = (StoreError, TransitionNotAllowed)


def _text(data: dict[str, Any], key: str) -> str:
    return str(data.get(key) or "").strip()


# --- Catalogue: device types, stores, rooms ---------------------------------------


def device_type_save(
    *, actor: Actor, device_type: DeviceType | None, data: dict[str, Any]
) -> DeviceType:
    """Create or change a device type. `data`: name, category, iso_class,
    low_stock_threshold, is_active. Types are taken out of use, never deleted."""
    name = _text(data, "name")
    category = _text(data, "category")
    if not name:
        raise StoreError(_("Skriv inn navnet på typen."))
    if not category:
        raise StoreError(_("Skriv inn kategorien."))
    threshold = int(data.get("low_stock_threshold") or 0)
    if threshold < 0:
        raise StoreError(_("Varslingsgrensen kan ikke være negativ."))
    with transaction.atomic():
        clash = DeviceType.objects.filter(name__iexact=name)
        if device_type is not None:
            clash = clash.exclude(pk=device_type.pk)
        if clash.exists():
            raise StoreError(
                _("Det finnes allerede en type med navnet «%(name)s».") % {"name": name}
            )
        created = device_type is None
        device_type = device_type or DeviceType()
        device_type.name = name
        device_type.category = category
        device_type.iso_class = _text(data, "iso_class")
        device_type.low_stock_threshold = threshold
        device_type.is_active = bool(data.get("is_active", True))
        device_type.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="devices.DeviceType",
            object_id=device_type.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return device_type


def store_save(*, actor: Actor, store: Store | None, data: dict[str, Any]) -> Store:
    """Create or change a store. `data`: name, address, unit (optional), is_active."""
    name = _text(data, "name")
    if not name:
        raise StoreError(_("Skriv inn navnet på lageret."))
    with transaction.atomic():
        clash = Store.objects.filter(name__iexact=name)
        if store is not None:
            clash = clash.exclude(pk=store.pk)
        if clash.exists():
            raise StoreError(
                _("Det finnes allerede et lager med navnet «%(name)s».") % {"name": name}
            )
        created = store is None
        store = store or Store()
        store.name = name
        store.address = _text(data, "address")
        store.unit = data.get("unit")
        store.is_active = bool(data.get("is_active", True))
        store.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="devices.Store",
            object_id=store.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return store


def room_create(*, actor: Actor, store: Store, name: str) -> StoreRoom:
    name = name.strip()
    if not name:
        raise StoreError(_("Skriv inn navnet på rommet."))
    with transaction.atomic():
        if StoreRoom.objects.filter(store=store, name__iexact=name).exists():
            raise StoreError(
                _("Lageret har allerede et rom som heter «%(name)s».") % {"name": name}
            )
        room = StoreRoom.objects.create(store=store, name=name)
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="devices.StoreRoom",
            object_id=room.pk,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return room


# --- Items -------------------------------------------------------------------------


def _check_value(value_nok: Decimal | None) -> Decimal:
    value = Decimal(value_nok or 0)
    if value < 0:
        raise StoreError(_("Verdien kan ikke være negativ."))
    return value


def label_taken(label: str, *, exclude_pk: int | None = None) -> bool:
    clash = Item.objects.filter(label__iexact=label.strip())
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    return clash.exists()


def item_create(
    *,
    actor: Actor,
    device_type: DeviceType,
    label: str,
    serial_number: str = "",
    room: StoreRoom | None = None,
    value_nok: Decimal | None = None,
    owner: str = Owner.MUNICIPALITY,
    acquired_on: datetime.date | None = None,
    note: str = "",
) -> Item:
    """Register a new item, available in the store. The label is what the barcode
    scanner types and is unique in the municipality (whatever the letter case)."""
    label = label.strip()
    if not label:
        raise StoreError(_("Skriv inn eller skann merkelappen."))
    if owner not in Owner.values:
        raise StoreError(_("Velg eier: kommunen eller NAV."))
    if acquired_on is not None and acquired_on > timezone.localdate():
        raise StoreError(_("Anskaffelsesdatoen kan ikke være fram i tid."))
    value = _check_value(value_nok)
    with transaction.atomic():
        if label_taken(label):
            raise StoreError(
                _("Merkelappen «%(label)s» er allerede brukt på et annet hjelpemiddel.")
                % {"label": label}
            )
        item = Item.objects.create(
            device_type=device_type,
            label=label,
            serial_number=serial_number.strip(),
            room=room,
            value_nok=value,
            owner=owner,
            acquired_on=acquired_on,
            note=note.strip(),
            status=ItemStatus.AVAILABLE,
        )
        record_initial_status(item, actor=actor, reason=_("Registrert"))
        record_event(
            actor=actor, action=AuditAction.CREATE, object_type="devices.Item", object_id=item.pk
        )
        fill_waiting(actor=actor, item=item)
    return item


def item_update(
    *,
    actor: Actor,
    item: Item,
    room: StoreRoom | None,
    value_nok: Decimal | None,
    note: str = "",
) -> Item:
    """Move an item to another room, correct its value or note."""
    value = _check_value(value_nok)
    with transaction.atomic():
        item.room = room
        item.value_nok = value
        item.note = note.strip()
        item.save(update_fields=["room", "value_nok", "note"])
        record_event(
            actor=actor, action=AuditAction.UPDATE, object_type="devices.Item", object_id=item.pk
        )
    return item


def _has_open_loan(item: Item) -> bool:
    return Loan.objects.filter(item=item, returned_on__isnull=True).exists()


# --- Cleaning ----------------------------------------------------------------------


def item_mark_cleaned(*, actor: Actor, item: Item) -> Item:
    """A cleaned item is available again, and goes to the first order waiting for its
    type; one whose return said worn or missing parts, or had a note, goes to
    inspection first."""
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.CLEANING:
            raise StoreError(
                _("%(item)s venter ikke på rengjøring (status: %(status)s).")
                % {"item": item.label, "status": item.get_status_display()}
            )
        if item.last_return is not None and item.last_return.needs_inspection:
            return item_status_change(
                actor=actor,
                item=item,
                to_status=ItemStatus.INSPECTION,
                note=_("Rengjort, til kontroll"),
                action=AuditAction.DEVICE_ITEM_CLEANED,
            )
        item_status_change(
            actor=actor,
            item=item,
            to_status=ItemStatus.AVAILABLE,
            note=_("Rengjort"),
            action=AuditAction.DEVICE_ITEM_CLEANED,
            changes={"last_return": None},
        )
        fill_waiting(actor=actor, item=item)
    return item


def item_inspected(*, actor: Actor, item: Item) -> Item:
    """The item has been checked after a return that asked for it, and is fit to lend:
    available, and to the first order waiting for its type. An item not fit is sent
    to repair or discarded instead."""
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.INSPECTION:
            raise StoreError(
                _("%(item)s venter ikke på kontroll (status: %(status)s).")
                % {"item": item.label, "status": item.get_status_display()}
            )
        item_status_change(
            actor=actor,
            item=item,
            to_status=ItemStatus.AVAILABLE,
            note=_("Kontrollert og klar til utlån"),
            changes={"last_return": None},
        )
        fill_waiting(actor=actor, item=item)
    return item


def item_for_label(label: str) -> Item | None:
    """The item with this label (a scanner's input), whatever the letter case."""
    return find_item(label)


def item_clean_by_label(*, actor: Actor, label: str) -> Item:
    """The scanner flow of the cleaning queue: scan the label, the item is available."""
    label = (label or "").strip()
    if not label:
        raise StoreError(_("Skann eller skriv merkelappen på hjelpemiddelet."))
    item = item_for_label(label)
    if item is None:
        raise StoreError(
            _("Fant ikke noe hjelpemiddel med merkelappen «%(label)s».") % {"label": label}
        )
    return item_mark_cleaned(actor=actor, item=item)


# --- Repair ------------------------------------------------------------------------


def repair_open(
    *,
    actor: Actor,
    item: Item,
    description: str,
    repairer: str = "",
    opened_on: datetime.date | None = None,
) -> RepairOrder:
    """Send an item to repair. An item already in repair (sent there on return, say)
    gets its order without a second status change."""
    description = description.strip()
    opened_on = opened_on or timezone.localdate()
    if not description:
        raise StoreError(_("Skriv hva som er galt med hjelpemiddelet."))
    if opened_on > timezone.localdate():
        raise StoreError(_("Datoen kan ikke være fram i tid."))
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        if item.status == ItemStatus.DISCARDED:
            raise StoreError(_("Hjelpemiddelet er kassert og kan ikke repareres."))
        if _has_open_loan(item):
            raise StoreError(
                _("Hjelpemiddelet er utlånt. Registrer at det er levert tilbake først.")
            )
        if RepairOrder.objects.filter(item=item, closed_on__isnull=True).exists():
            raise StoreError(_("Hjelpemiddelet har allerede en åpen reparasjon."))
        if item.status != ItemStatus.REPAIR:
            item_status_change(
                actor=actor,
                item=item,
                to_status=ItemStatus.REPAIR,
                note=description[:500],
                action=AuditAction.DEVICE_ITEM_REPAIR,
            )
        repair = RepairOrder.objects.create(
            item=item,
            # The return that brought it here (condition and note), when there was one.
            loan_id=item.last_return_id,
            opened_on=opened_on,
            description=description,
            repairer=repairer.strip(),
        )
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="devices.RepairOrder",
            object_id=repair.pk,
        )
    return repair


REPAIR_NEXT_STATUSES = (ItemStatus.CLEANING, ItemStatus.AVAILABLE)


def repair_close(
    *,
    actor: Actor,
    repair: RepairOrder,
    cost_nok: Decimal | None,
    closed_on: datetime.date | None = None,
    to_status: str = ItemStatus.CLEANING,
) -> RepairOrder:
    """Close a repair order with its cost; the item goes to cleaning or is available."""
    closed_on = closed_on or timezone.localdate()
    if to_status not in REPAIR_NEXT_STATUSES:
        raise StoreError(_("Velg om hjelpemiddelet skal til rengjøring eller er ledig."))
    if cost_nok is not None and cost_nok < 0:
        raise StoreError(_("Kostnaden kan ikke være negativ."))
    if closed_on > timezone.localdate():
        raise StoreError(_("Datoen kan ikke være fram i tid."))
    with transaction.atomic():
        repair = RepairOrder.objects.select_for_update().select_related("item").get(pk=repair.pk)
        if repair.closed_on is not None:
            raise StoreError(_("Reparasjonen er allerede avsluttet."))
        if closed_on < repair.opened_on:
            raise StoreError(_("Reparasjonen kan ikke være ferdig før den ble sendt."))
        if repair.item.status != ItemStatus.REPAIR:
            raise StoreError(
                _("Hjelpemiddelet er ikke til reparasjon (status: %(status)s).")
                % {"status": repair.item.get_status_display()}
            )
        repair.cost_nok = cost_nok
        repair.closed_on = closed_on
        repair.save(update_fields=["cost_nok", "closed_on"])
        record_event(
            actor=actor,
            action=AuditAction.CLOSE,
            object_type="devices.RepairOrder",
            object_id=repair.pk,
        )
        # The repair dealt with what the return said: no inspection after it.
        item_status_change(
            actor=actor,
            item=repair.item,
            to_status=to_status,
            note=_("Reparasjon ferdig"),
            action=AuditAction.DEVICE_ITEM_REPAIRED,
            changes={"last_return": None},
        )
        fill_waiting(actor=actor, item=repair.item)
    return repair


# --- Discard -----------------------------------------------------------------------


def item_discard(*, actor: Actor, item: Item, reason: str) -> Item:
    """Take an item out of use for good (kassert), with the reason in its history.
    An open repair order is closed the same day without a cost."""
    reason = reason.strip()
    if not reason:
        raise StoreError(_("Skriv hvorfor hjelpemiddelet kasseres."))
    with transaction.atomic():
        if _has_open_loan(item):
            raise StoreError(
                _("Hjelpemiddelet er utlånt. Registrer at det er levert tilbake først.")
            )
        today = timezone.localdate()
        for repair in RepairOrder.objects.filter(item=item, closed_on__isnull=True):
            repair.closed_on = max(today, repair.opened_on)
            repair.save(update_fields=["closed_on"])
            record_event(
                actor=actor,
                action=AuditAction.CLOSE,
                object_type="devices.RepairOrder",
                object_id=repair.pk,
            )
        return item_status_change(
            actor=actor,
            item=item,
            to_status=ItemStatus.DISCARDED,
            note=reason[:500],
            action=AuditAction.DEVICE_ITEM_DISCARDED,
        )
