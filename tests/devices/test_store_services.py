"""Store services: the catalogue, items with unique labels, cleaning, repair with
cost, discarding; every status change leaves a history row and an audit row."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest

from mestring.access.models import AuditEvent
from mestring.devices.models import (
    DeviceType,
    Item,
    ItemStatus,
    ItemStatusChange,
    Loan,
    RepairOrder,
    Store,
    StoreRoom,
)
from mestring.devices.services import store as services
from mestring.devices.services.status import item_status_change
from mestring.devices.store_demo import build_store_demo
from mestring.kernel.states import TransitionNotAllowed
from mestring.tenancy.context import activate
from tests import factories
from tests.devices.store_helpers import (
    DAY,
    actor_for,
    make_catalogue,
    make_item,
    make_technician,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech(world):
    return make_technician(world.municipality)


@pytest.fixture
def cat(world):
    return make_catalogue(world.municipality)


def events(action=None, object_type=None):
    rows = AuditEvent.all_objects.all()
    if action:
        rows = rows.filter(action=action)
    if object_type:
        rows = rows.filter(object_type=object_type)
    return rows


def test_item_create_writes_history_and_one_audit_row(world, tech, cat):
    before = AuditEvent.all_objects.count()
    item = make_item(tech, cat.rullator, " HM-000001 ", room=cat.main_room, serial="R-1")
    assert item.label == "HM-000001"
    assert item.status == ItemStatus.AVAILABLE
    assert item.municipality == world.municipality
    history = list(ItemStatusChange.all_objects.filter(item=item))
    assert [(h.from_status, h.to_status) for h in history] == [("", ItemStatus.AVAILABLE)]
    assert history[0].changed_by == tech.user
    assert AuditEvent.all_objects.count() == before + 1
    event = events(object_type="devices.Item").get()
    assert (event.action, event.object_id, event.username) == ("create", str(item.pk), "tekniker")


def test_label_is_unique_per_municipality_whatever_the_case(world, tech, cat):
    make_item(tech, cat.rullator, "HM-000001")
    with pytest.raises(services.StoreError, match="allerede brukt"):
        make_item(tech, cat.rullestol, "hm-000001")
    # Another municipality may use the same label.
    other = factories.make_municipality("9002", "Annenkommune")
    other_tech = make_technician(other, "tekniker-b")
    other_cat = make_catalogue(other)
    item_b = make_item(other_tech, other_cat.rullator, "HM-000001")
    assert item_b.municipality == other
    assert Item.all_objects.filter(label="HM-000001").count() == 2


def test_item_create_refuses_bad_input(world, tech, cat):
    actor = actor_for(tech)
    with activate(world.municipality):
        with pytest.raises(services.StoreError, match="merkelappen"):
            services.item_create(actor=actor, device_type=cat.rullator, label="  ")
        with pytest.raises(services.StoreError, match="negativ"):
            services.item_create(
                actor=actor, device_type=cat.rullator, label="X1", value_nok=Decimal("-1")
            )
        with pytest.raises(services.StoreError, match="eier"):
            services.item_create(actor=actor, device_type=cat.rullator, label="X1", owner="meg")
        with pytest.raises(services.StoreError, match="fram i tid"):
            services.item_create(
                actor=actor,
                device_type=cat.rullator,
                label="X1",
                acquired_on=datetime.date.today() + datetime.timedelta(days=3),
            )
    assert not Item.all_objects.exists()


def test_item_update_is_audited(world, tech, cat):
    item = make_item(tech, cat.rullator, "HM-1", room=cat.main_room)
    with activate(world.municipality):
        services.item_update(
            actor=actor_for(tech), item=item, room=cat.cellar, value_nok=Decimal("99.5"), note="x"
        )
    item.refresh_from_db()
    assert (item.room, item.value_nok, item.note) == (cat.cellar, Decimal("99.50"), "x")
    assert events(action="update", object_type="devices.Item").count() == 1


def _to_cleaning(tech, item):
    with activate(item.municipality):
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.ON_LOAN)
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.CLEANING)
    item.refresh_from_db()
    return item


def test_cleaning_makes_the_item_available(world, tech, cat):
    item = _to_cleaning(tech, make_item(tech, cat.rullator, "HM-1"))
    with activate(world.municipality):
        services.item_mark_cleaned(actor=actor_for(tech), item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE
    last = ItemStatusChange.all_objects.filter(item=item).last()
    assert (last.from_status, last.to_status, last.reason) == ("rengjoring", "ledig", "Rengjort")
    assert events(action="devices.item.cleaned").count() == 1


def test_cleaning_refused_unless_awaiting_cleaning(world, tech, cat):
    item = make_item(tech, cat.rullator, "HM-1")
    with activate(world.municipality), pytest.raises(services.StoreError, match="venter ikke"):
        services.item_mark_cleaned(actor=actor_for(tech), item=item)
    assert ItemStatusChange.all_objects.filter(item=item).count() == 1


def test_clean_by_scanned_label(world, tech, cat):
    item = _to_cleaning(tech, make_item(tech, cat.rullator, "HM-000042"))
    with activate(world.municipality):
        with pytest.raises(services.StoreError, match="Fant ikke"):
            services.item_clean_by_label(actor=actor_for(tech), label="HM-999")
        services.item_clean_by_label(actor=actor_for(tech), label=" hm-000042\n")
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE


def test_repair_open_and_close_with_cost(world, tech, cat):
    item = make_item(tech, cat.rullator, "HM-1")
    actor = actor_for(tech)
    with activate(world.municipality):
        repair = services.repair_open(
            actor=actor, item=item, description="Bremsen tar ikke", repairer="Verkstedet"
        )
        item.refresh_from_db()
        assert item.status == ItemStatus.REPAIR
        with pytest.raises(services.StoreError, match="åpen reparasjon"):
            services.repair_open(actor=actor, item=item, description="Igjen")
        services.repair_close(
            actor=actor,
            repair=repair,
            cost_nok=Decimal("1250.50"),
            closed_on=datetime.date.today(),
            to_status=ItemStatus.AVAILABLE,
        )
        with pytest.raises(services.StoreError, match="allerede avsluttet"):
            services.repair_close(actor=actor, repair=repair, cost_nok=None)
    repair.refresh_from_db()
    item.refresh_from_db()
    assert repair.cost_nok == Decimal("1250.50") and repair.closed_on == datetime.date.today()
    assert item.status == ItemStatus.AVAILABLE
    steps = [h.to_status for h in ItemStatusChange.all_objects.filter(item=item)]
    assert steps == ["ledig", "reparasjon", "ledig"]
    assert events(object_type="devices.RepairOrder", action="create").count() == 1
    assert events(object_type="devices.RepairOrder", action="close").count() == 1
    assert events(action="devices.item.repair").count() == 1
    assert events(action="devices.item.repaired").count() == 1


def test_repair_close_to_cleaning_and_rules(world, tech, cat):
    item = make_item(tech, cat.rullator, "HM-1")
    actor = actor_for(tech)
    with activate(world.municipality):
        repair = services.repair_open(
            actor=actor, item=item, description="Hjul", opened_on=datetime.date(2026, 1, 10)
        )
        with pytest.raises(services.StoreError, match="rengjøring eller er ledig"):
            services.repair_close(actor=actor, repair=repair, cost_nok=None, to_status="utlant")
        with pytest.raises(services.StoreError, match="negativ"):
            services.repair_close(actor=actor, repair=repair, cost_nok=Decimal("-5"))
        with pytest.raises(services.StoreError, match="før den ble sendt"):
            services.repair_close(
                actor=actor, repair=repair, cost_nok=None, closed_on=datetime.date(2026, 1, 9)
            )
        services.repair_close(actor=actor, repair=repair, cost_nok=None)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLEANING


def test_repair_for_an_item_already_in_repair_adds_only_the_order(world, tech, cat):
    item = make_item(tech, cat.rullator, "HM-1")
    actor = actor_for(tech)
    with activate(world.municipality):
        item_status_change(actor=actor, item=item, to_status=ItemStatus.ON_LOAN)
        item_status_change(actor=actor, item=item, to_status=ItemStatus.REPAIR)
        services.repair_open(actor=actor, item=item, description="Skadet ved retur")
    assert ItemStatusChange.all_objects.filter(item=item).count() == 3
    assert RepairOrder.all_objects.filter(item=item, closed_on__isnull=True).count() == 1


def test_discard_needs_reason_closes_repairs_and_is_final(world, tech, cat):
    item = make_item(tech, cat.rullator, "HM-1")
    actor = actor_for(tech)
    with activate(world.municipality):
        services.repair_open(actor=actor, item=item, description="Knekt ramme")
        with pytest.raises(services.StoreError, match="hvorfor"):
            services.item_discard(actor=actor, item=item, reason=" ")
        services.item_discard(actor=actor, item=item, reason="Kan ikke repareres")
        item.refresh_from_db()
        with pytest.raises(TransitionNotAllowed, match="Kassert"):
            item_status_change(actor=actor, item=item, to_status=ItemStatus.AVAILABLE)
        with pytest.raises(services.StoreError, match="kassert"):
            services.repair_open(actor=actor, item=item, description="Igjen")
    assert item.status == ItemStatus.DISCARDED
    last = ItemStatusChange.all_objects.filter(item=item).last()
    assert (last.to_status, last.reason) == ("kassert", "Kan ikke repareres")
    assert not RepairOrder.all_objects.filter(item=item, closed_on__isnull=True).exists()
    assert events(action="devices.item.discarded").count() == 1


def test_items_on_loan_cannot_be_discarded_or_repaired(world, tech, cat):
    item = make_item(tech, cat.rullator, "HM-1")
    actor = actor_for(tech)
    with activate(world.municipality):
        item_status_change(actor=actor, item=item, to_status=ItemStatus.ON_LOAN)
        Loan.objects.create(item=item, person=world.person, ordered_on=DAY, delivered_on=DAY)
        with pytest.raises(services.StoreError, match="utlånt"):
            services.item_discard(actor=actor, item=item, reason="Borte")
        with pytest.raises(services.StoreError, match="utlånt"):
            services.repair_open(actor=actor, item=item, description="x")
    item.refresh_from_db()
    assert item.status == ItemStatus.ON_LOAN


def test_catalogue_saves_are_audited_and_names_unique(world, tech):
    actor = actor_for(tech)
    with activate(world.municipality):
        device_type = services.device_type_save(
            actor=actor,
            device_type=None,
            data={"name": "Rullator", "category": "Forflytning", "low_stock_threshold": 2},
        )
        with pytest.raises(services.StoreError, match="allerede en type"):
            services.device_type_save(
                actor=actor, device_type=None, data={"name": "rullator", "category": "X"}
            )
        services.device_type_save(
            actor=actor,
            device_type=device_type,
            data={"name": "Rullator", "category": "Gåhjelpemidler", "is_active": False},
        )
        store = services.store_save(actor=actor, store=None, data={"name": "Lageret"})
        with pytest.raises(services.StoreError, match="allerede et lager"):
            services.store_save(actor=actor, store=None, data={"name": "LAGERET"})
        services.room_create(actor=actor, store=store, name="Kjeller")
        with pytest.raises(services.StoreError, match="allerede et rom"):
            services.room_create(actor=actor, store=store, name="kjeller")
    device_type.refresh_from_db()
    assert (device_type.category, device_type.is_active) == ("Gåhjelpemidler", False)
    assert DeviceType.all_objects.count() == 1 and Store.all_objects.count() == 1
    assert StoreRoom.all_objects.count() == 1
    admin_events = events().filter(purpose="administration")
    assert admin_events.count() == 4


def test_store_demo_is_believable_and_idempotent(world):
    today = datetime.date(2026, 5, 1)
    with activate(world.municipality):
        build_store_demo(random.Random(7), today)
        count = Item.objects.count()
        build_store_demo(random.Random(8), today)
        assert Item.objects.count() == count
        assert 140 <= count <= 170
        assert Store.objects.count() == 2 and StoreRoom.objects.count() == 3
        assert DeviceType.objects.count() >= 12
        # What waits for cleaning or repair comes from the loans demo's returns.
        assert RepairOrder.objects.filter(closed_on__isnull=False).count() == 1
        assert Item.objects.filter(owner="nav").exists()
        assert Item.objects.filter(label="HM-000123").exists()
        # Every item has a history that ends in its status.
        for item in Item.objects.prefetch_related("history"):
            assert list(item.history.all())[-1].to_status == item.status
