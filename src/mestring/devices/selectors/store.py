"""Reads of the device store: the item list and search, stock per store and type,
low-stock warnings, the cleaning queue, open repairs and one item's page.

Every list is built in a fixed number of queries whatever its length."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

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


def device_types() -> QuerySet[DeviceType]:
    return DeviceType.objects.annotate(item_count=Count("items")).order_by("category", "name")


def stores() -> QuerySet[Store]:
    return Store.objects.prefetch_related("rooms").order_by("name")


def rooms() -> QuerySet[StoreRoom]:
    return StoreRoom.objects.select_related("store").order_by("store__name", "name")


def items(
    *,
    text: str = "",
    status: str = "",
    device_type: DeviceType | None = None,
    store: Store | None = None,
) -> QuerySet[Item]:
    """Items matching the search (part of label or serial number) and filters."""
    queryset = Item.objects.select_related("device_type", "room__store")
    text = text.strip()
    if text:
        queryset = queryset.filter(Q(label__icontains=text) | Q(serial_number__icontains=text))
    if status:
        queryset = queryset.filter(status=status)
    if device_type is not None:
        queryset = queryset.filter(device_type=device_type)
    if store is not None:
        queryset = queryset.filter(room__store=store)
    return queryset.order_by("label")


def item_for_page(item_id: int) -> Item | None:
    return (
        Item.objects.select_related("device_type", "room__store", "last_return")
        .filter(pk=item_id)
        .first()
    )


def item_history(item: Item) -> list[ItemStatusChange]:
    return list(
        ItemStatusChange.objects.filter(item=item)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )


def item_repairs(item: Item) -> list[RepairOrder]:
    return list(
        RepairOrder.objects.filter(item=item).select_related("loan").order_by("-opened_on", "-pk")
    )


def item_loans(item: Item) -> list[Loan]:
    """The item's loans, newest first, with only what the item page shows: the
    person's name and the dates."""
    return list(
        Loan.objects.filter(item=item)
        .select_related("person")
        .only(
            "pk",
            "item_id",
            "person__given_name",
            "person__family_name",
            "ordered_on",
            "delivered_on",
            "returned_on",
        )
        .order_by("-ordered_on", "-pk")
    )


# --- Stock -------------------------------------------------------------------------

STATUS_COUNTS = {
    "available": ItemStatus.AVAILABLE,
    "on_loan": ItemStatus.ON_LOAN,
    "cleaning": ItemStatus.CLEANING,
    "repair": ItemStatus.REPAIR,
}


@dataclass
class StockRow:
    type_id: int
    type_name: str
    category: str
    available: int
    on_loan: int
    cleaning: int
    repair: int
    total: int


@dataclass
class StoreStock:
    store_id: int | None
    name: str
    rows: list[StockRow] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        keys = (*STATUS_COUNTS, "total")
        return {key: sum(getattr(row, key) for row in self.rows) for key in keys}


def stock_by_store() -> list[StoreStock]:
    """Items not discarded, counted per store and type and status (one query).
    Items without a room come last, under "Uten lagerplass"."""
    counts = {key: Count("pk", filter=Q(status=status)) for key, status in STATUS_COUNTS.items()}
    # Cleaned and waiting for inspection is still being made ready: counted with cleaning.
    counts["cleaning"] = Count(
        "pk", filter=Q(status__in=(ItemStatus.CLEANING, ItemStatus.INSPECTION))
    )
    rows = (
        Item.objects.exclude(status=ItemStatus.DISCARDED)
        .values(
            "room__store_id",
            "room__store__name",
            "device_type_id",
            "device_type__name",
            "device_type__category",
        )
        .annotate(
            total=Count("pk"),
            # Named one by one, so the rows' keys are known to the type checker.
            available=counts["available"],
            on_loan=counts["on_loan"],
            cleaning=counts["cleaning"],
            repair=counts["repair"],
        )
        .order_by("room__store__name", "device_type__category", "device_type__name")
    )
    by_store: dict[int | None, StoreStock] = {}
    for row in rows:
        store_id = row["room__store_id"]
        entry = by_store.setdefault(
            store_id, StoreStock(store_id=store_id, name=row["room__store__name"] or "")
        )
        entry.rows.append(
            StockRow(
                type_id=row["device_type_id"],
                type_name=row["device_type__name"],
                category=row["device_type__category"],
                total=row["total"],
                available=row["available"],
                on_loan=row["on_loan"],
                cleaning=row["cleaning"],
                repair=row["repair"],
            )
        )
    # Stores with a name first (ordered by name), then items with no store.
    return sorted(by_store.values(), key=lambda entry: (entry.store_id is None, entry.name))


def low_stock() -> list[DeviceType]:
    """Active types whose available items (in all stores) are fewer than the threshold."""
    return list(
        DeviceType.objects.filter(is_active=True, low_stock_threshold__gt=0)
        .annotate(available=Count("items", filter=Q(items__status=ItemStatus.AVAILABLE)))
        .filter(available__lt=F("low_stock_threshold"))
        .order_by("category", "name")
    )


def cleaning_queue() -> QuerySet[Item]:
    """Items waiting to be cleaned, then those cleaned and waiting for inspection, each
    with the return it is handled after (condition and note)."""
    return (
        Item.objects.filter(status__in=(ItemStatus.CLEANING, ItemStatus.INSPECTION))
        .select_related("device_type", "room__store", "last_return")
        .order_by("status", "label")
    )


def open_repairs() -> QuerySet[RepairOrder]:
    return (
        RepairOrder.objects.filter(closed_on__isnull=True)
        .select_related("item__device_type", "item__room__store", "loan")
        .order_by("opened_on", "pk")
    )


def in_repair_without_order() -> QuerySet[Item]:
    """Items in repair status that have no open repair order (sent there on return)."""
    return (
        Item.objects.filter(status=ItemStatus.REPAIR)
        .exclude(pk__in=RepairOrder.objects.filter(closed_on__isnull=True).values("item_id"))
        .select_related("device_type", "room__store", "last_return")
        .order_by("label")
    )
