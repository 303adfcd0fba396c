"""The one way an item changes status: checked against the transition table, written
to the item's history and audited in the caller's transaction."""

from __future__ import annotations

from django.db import transaction

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.core.transitions import check_transition
from mestring.devices.models import ITEM_TRANSITIONS, Item, ItemStatus, ItemStatusChange
from mestring.kernel.audit_words import AuditAction
from mestring.people.models import Person


def item_status_change(
    *,
    actor: Actor,
    item: Item,
    to_status: str,
    note: str = "",
    person: Person | None = None,
    action: str = AuditAction.DEVICE_ITEM_STATUS,
) -> Item:
    """Move the item to `to_status`; `person` names whom the change concerns (a loan)."""
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        check_transition(ITEM_TRANSITIONS, item.status, to_status, dict(ItemStatus.choices))
        from_status = item.status
        item.status = to_status
        item.save(update_fields=["status"])
        ItemStatusChange.objects.create(
            item=item,
            from_status=from_status,
            to_status=to_status,
            note=note,
            changed_by=actor.user,
        )
        record_event(
            actor=actor,
            action=action,
            object_type="devices.Item",
            object_id=item.pk,
            person=person,
        )
    return item
