"""Demo data for device orders by type: the therapist orders devices for persons she
works with, through the same service as the order page (`device_order_create`). Most
are filled at once from a free item (reserved, waiting for the technician to deliver);
two are for a type the store has none of yet, so they wait on the type's list, and the
store's order list, its deliveries and «Finn person» have work in them.

Runs after the store and loans demos. The type nobody has yet (a riser chair) is
registered by the technician, as on the store's type page. Skipped when any order
exists."""

from __future__ import annotations

import datetime
import random

from mestring.access.actor import Actor
from mestring.devices.models import DeviceOrder, DeviceType
from mestring.devices.services.orders import device_order_create
from mestring.devices.services.store import device_type_save
from mestring.people.models import Person

# type, days ago ordered, weeks the need is expected to last
FILLED = [
    ("Rullator", 2, 12),
    ("Dusjkrakk", 4, 26),
    ("Toalettforhøyer", 1, 26),
    ("Seng (elektrisk)", 6, 16),
]
NEW_TYPE = ("Oppreisningsstol", "Sittemøbler", "18 09 15")
WAITING = [(NEW_TYPE[0], 5, 26), (NEW_TYPE[0], 1, 20)]


def build_orders_demo(
    rng: random.Random,
    persons: list[Person],
    therapist: Actor,
    technician: Actor,
    today: datetime.date,
) -> None:
    """`therapist` and `technician` act as the demo users whose work it is."""
    if DeviceOrder.objects.exists() or len(persons) < len(FILLED) + len(WAITING):
        return
    name, category, iso_class = NEW_TYPE
    new_type = DeviceType.objects.filter(name=name).first() or device_type_save(
        actor=technician,
        device_type=None,
        data={"name": name, "category": category, "iso_class": iso_class},
    )
    types = {t.name: t for t in DeviceType.objects.filter(is_active=True)}
    types[name] = new_type
    for (type_name, days_ago, weeks), person in zip(
        FILLED + WAITING, rng.sample(persons, len(FILLED) + len(WAITING)), strict=True
    ):
        device_type = types.get(type_name)
        if device_type is None:
            continue
        ordered_on = today - datetime.timedelta(days=days_ago)
        device_order_create(
            actor=therapist,
            person=person,
            device_type=device_type,
            ordered_on=ordered_on,
            expected_return_on=ordered_on + datetime.timedelta(weeks=weeks),
            note=rng.choice(NOTES),
        )


NOTES = [
    "",
    "Trenger det før helgen.",
    "Lever hjemme, ring på forhånd.",
    "Etter fall hjemme, avtalt med pårørende.",
]
