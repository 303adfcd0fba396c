"""The device store carries out the device services the allocation office assigns.

A granted service assigned to the unit that runs a store becomes an order on the
store's list, linked to the decision, for the technician to choose the type; when the
assignment ends, an order not yet filled is cancelled. Both run inside the transaction
of the assignment (see `DevicesConfig.ready`).
"""

from __future__ import annotations

import datetime
from typing import Any

from mestring.access.actor import Actor
from mestring.catalogue.models import Assignment
from mestring.devices.services.orders import order_from_assignment, orders_end_with_assignment


def on_assignment_made(
    sender: type[Assignment], *, actor: Actor, assignment: Assignment, **kwargs: Any
) -> None:
    order_from_assignment(actor=actor, assignment=assignment)


def on_assignment_ended(
    sender: type[Assignment],
    *,
    actor: Actor,
    assignment: Assignment,
    on: datetime.date,
    **kwargs: Any,
) -> None:
    orders_end_with_assignment(actor=actor, assignment=assignment, on=on)
