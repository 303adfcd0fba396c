"""Shared helpers for the store tests (no fixtures, so other test modules can import it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from mestring.access.actor import Actor
from mestring.access.models import StaffRole
from mestring.devices.models import DeviceType, Item, Owner, Store, StoreRoom
from mestring.devices.services import store as services
from mestring.people.models import Staff
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality
from tests.conftest import make_staff

DAY = datetime.date(2026, 3, 2)


def actor_for(staff: Staff) -> Actor:
    """The actor the middleware would build for this staff member."""
    roles = list(StaffRole.all_objects.filter(staff=staff).select_related("role"))
    return Actor(
        municipality=staff.municipality,
        user=staff.user,
        staff=staff,
        role_codes=tuple(a.role.code for a in roles),
        permissions=frozenset(p for a in roles for p in a.role.permissions),
    )


def make_technician(municipality: Municipality, username: str = "tekniker") -> Staff:
    return make_staff(municipality, "hjelpemiddeltekniker", username)


@dataclass
class Catalogue:
    rullator: DeviceType
    rullestol: DeviceType
    store: Store
    main_room: StoreRoom
    cellar: StoreRoom
    other_store: Store
    other_room: StoreRoom


def make_catalogue(municipality: Municipality) -> Catalogue:
    with activate(municipality):
        rullator = DeviceType.objects.create(
            name="Rullator", category="Forflytning", iso_class="12 06 06", low_stock_threshold=3
        )
        rullestol = DeviceType.objects.create(name="Rullestol", category="Forflytning")
        store = Store.objects.create(name="Hjelpemiddellageret")
        main_room = StoreRoom.objects.create(store=store, name="Hovedlager")
        cellar = StoreRoom.objects.create(store=store, name="Kjeller")
        other_store = Store.objects.create(name="Lager sykehjemmet")
        other_room = StoreRoom.objects.create(store=other_store, name="Rom 12")
    return Catalogue(rullator, rullestol, store, main_room, cellar, other_store, other_room)


def make_item(
    staff: Staff,
    device_type: DeviceType,
    label: str,
    *,
    room: StoreRoom | None = None,
    value: str = "3000",
    owner: str = Owner.MUNICIPALITY,
    serial: str = "",
) -> Item:
    with activate(staff.municipality):
        return services.item_create(
            actor=actor_for(staff),
            device_type=device_type,
            label=label,
            serial_number=serial,
            room=room,
            value_nok=Decimal(value),
            owner=owner,
            acquired_on=DAY,
        )
