"""The one way an item changes status: the kernel's `transition()` (row locked, table
checked under the lock, history row written), audited in the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.devices.models import Item
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.states import transition
from mestring.people.models import Person


def item_status_change(
    *,
    actor: Actor,
    item: Item,
    to_status: str,
    note: str = "",
    person: Person | None = None,
    action: str = AuditAction.DEVICE_ITEM_STATUS,
    changes: dict[str, Any] | None = None,
) -> Item:
    """Move the item to `to_status`; `person` names whom the change concerns (a loan);
    `changes`: further fields saved with the status (the return it is handled after)."""
    with transaction.atomic():
        transition(item, to_status, actor=actor, reason=note, changes=changes)
        record_event(
            actor=actor,
            action=action,
            object_type="devices.Item",
            object_id=item.pk,
            person=person,
        )
    return item
