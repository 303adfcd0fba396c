"""Demo data for the device store: two stores with rooms, a dozen device types and
about 150 items, each registered the day it was bought. The loans demo lends some of
them; its returns are what waits for cleaning or repair. Called with the demo
municipality active; does nothing if items exist."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mestring.devices.models import (
    DeviceType,
    Item,
    ItemStatus,
    ItemStatusChange,
    Owner,
    RepairOrder,
    Store,
    StoreRoom,
)
from mestring.people.models import Unit
from mestring.tenancy.context import get_active_municipality

STORES = {
    "Hjelpemiddellageret": ("Industriveien 4", ["Hovedlager", "Kjeller"]),
    "Lager sykehjemmet": ("Sykehjemsveien 1", ["Rom 12"]),
}

# name, category, ISO 9999 class, low-stock threshold, (min, max) value, how many
TYPES = [
    ("Rullator", "Forflytning", "12 06 06", 6, (2500, 4500), 28),
    ("Toalettforhøyer", "Hygiene", "09 12 15", 4, (400, 900), 18),
    ("Dusjkrakk", "Hygiene", "09 33 03", 4, (500, 1200), 16),
    ("Sengebord", "Seng og stell", "", 2, (900, 2000), 10),
    ("Rullestol", "Forflytning", "12 22 03", 4, (6000, 15000), 16),
    ("Hjelpemiddel for påkledning", "Dagliglivets aktiviteter", "", 0, (150, 400), 8),
    ("Gripetang", "Dagliglivets aktiviteter", "24 21 03", 5, (150, 350), 14),
    ("Trykkavlastende madrass", "Seng og stell", "04 33 06", 2, (4000, 9000), 8),
    ("Seng (elektrisk)", "Seng og stell", "18 12 10", 3, (12000, 25000), 12),
    ("Personløfter", "Forflytning", "12 36 03", 2, (20000, 40000), 6),
    ("Badekarbrett", "Hygiene", "", 2, (300, 700), 6),
    ("Ganghjul", "Forflytning", "", 2, (2000, 3500), 8),
]

REPAIRERS = ["Leverandøren", "Eget verksted", "Hjelpemiddelsentralen"]
REPAIR_TEXTS = ["Bremsen tar ikke", "Hjul løsner", "Motoren går ikke", "Knekt ryggstøtte"]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9)))


def build_store_demo(rng: random.Random, today: date) -> None:
    if Item.objects.exists():
        return
    municipality = get_active_municipality()
    with transaction.atomic():
        rooms: list[StoreRoom] = []
        for store_name, (address, room_names) in STORES.items():
            # The unit of the same name runs the store (the demo technician's).
            store, _created = Store.objects.get_or_create(
                name=store_name,
                defaults={
                    "address": address,
                    "unit": Unit.objects.filter(name__iexact=store_name).first(),
                },
            )
            for room_name in room_names:
                room, _created = StoreRoom.objects.get_or_create(store=store, name=room_name)
                rooms.append(room)
        items: list[Item] = []
        number = 0
        for name, category, iso_class, threshold, (low, high), count in TYPES:
            device_type, _created = DeviceType.objects.get_or_create(
                name=name,
                defaults={
                    "category": category,
                    "iso_class": iso_class,
                    "low_stock_threshold": threshold,
                },
            )
            for _index in range(count):
                number += 1
                owner = Owner.NAV if rng.random() < 0.12 else Owner.MUNICIPALITY
                # The main store holds most; the nursing home's room a few.
                room = rng.choices(rooms, weights=[6, 3, 1][: len(rooms)])[0]
                value = Decimal(rng.randrange(low, high + 1, 50))
                items.append(
                    Item(
                        municipality=municipality,
                        device_type=device_type,
                        label=f"HM-{number:06d}",
                        serial_number=f"{name[:3].upper()}-{rng.randrange(10**6, 10**7)}",
                        room=room,
                        value_nok=value,
                        owner=owner,
                        acquired_on=today - timedelta(days=rng.randrange(60, 8 * 365)),
                        status=ItemStatus.AVAILABLE,
                    )
                )
        Item.objects.bulk_create(items)
        items = list(Item.objects.order_by("label"))
        # Registered the day it was bought, so every later event follows it.
        history = [
            ItemStatusChange(
                municipality=municipality,
                item=item,
                from_status="",
                to_status=ItemStatus.AVAILABLE,
                reason="Registrert",
                changed_at=_moment(item.acquired_on or today),
            )
            for item in items
        ]
        # One item came back from repair long ago, with its cost, for the item pages;
        # the items now in cleaning or repair are the loans demo's returns.
        municipal = [item for item in items if item.owner == Owner.MUNICIPALITY]
        long_ago = today - timedelta(days=130)
        repaired = rng.choice([i for i in municipal if (i.acquired_on or today) < long_ago])
        opened, closed = today - timedelta(days=120), today - timedelta(days=110)
        repair = RepairOrder.objects.create(
            item=repaired,
            opened_on=opened,
            closed_on=closed,
            description="Skiftet hjul",
            repairer="Eget verksted",
            cost_nok=Decimal("850.00"),
        )
        history += [
            ItemStatusChange(
                municipality=municipality,
                item=repaired,
                from_status=old,
                to_status=new,
                reason=repair.description,
                changed_at=_moment(day),
            )
            for old, new, day in (
                (ItemStatus.AVAILABLE, ItemStatus.REPAIR, opened),
                (ItemStatus.REPAIR, ItemStatus.AVAILABLE, closed),
            )
        ]
        ItemStatusChange.objects.bulk_create(history)
