"""Reads for the catalogue: services, capacity per service and unit, the waiting list.

Every function here runs a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet

from mestring.catalogue.models import (
    Assignment,
    CapacityKind,
    Service,
    ServiceProvider,
    WaitingListEntry,
)
from mestring.people.models import Person, Unit


def services(*, include_inactive: bool = False) -> QuerySet[Service]:
    queryset = Service.objects.prefetch_related(
        Prefetch("providers", queryset=ServiceProvider.objects.select_related("unit"))
    )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("name")


def providers_of(service: Service) -> list[ServiceProvider]:
    return list(service.providers.select_related("unit").order_by("unit__name"))


@dataclass
class CapacityRow:
    service: Service
    unit: Unit | None
    capacity: Decimal | None  # None: no limit
    in_use: Decimal
    waiting: int
    median_waiting_days: float | None

    @property
    def unit_name(self) -> str:
        return self.unit.name if self.unit else ""

    @property
    def limited(self) -> bool:
        return self.capacity is not None and self.service.capacity_kind != CapacityKind.NONE

    @property
    def free(self) -> Decimal | None:
        if self.capacity is None or not self.limited:
            return None
        return self.capacity - self.in_use


def _in_use_by_pair(day: datetime.date, service_ids: set[int]) -> dict[tuple, Decimal]:
    """(service id, unit id) → places in use or hours per week in use, in one query."""
    rows = (
        Assignment.objects.filter(decision__service__in=service_ids, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .values_list(
            "decision__service_id",
            "decision__service__capacity_kind",
            "unit_id",
            "decision__hours_per_week",
        )
    )
    used: dict[tuple, Decimal] = defaultdict(Decimal)
    for service_id, kind, unit_id, hours in rows:
        amount = (hours or Decimal(0)) if kind == CapacityKind.HOURS else Decimal(1)
        used[(service_id, unit_id)] += amount
    return used


def _waiting_days_by_pair(day: datetime.date, service_ids: set[int]) -> dict[tuple, list[int]]:
    """(service id, unit id) → waiting days of each open entry, in one query."""
    rows = WaitingListEntry.objects.filter(
        service__in=service_ids, removed_on__isnull=True
    ).values_list("service_id", "unit_id", "added_on")
    days: dict[tuple, list[int]] = defaultdict(list)
    for service_id, unit_id, added_on in rows:
        days[(service_id, unit_id)].append((day - added_on).days)
    return days


def capacity_rows(day: datetime.date, *, service: Service | None = None) -> list[CapacityRow]:
    """Capacity, in use, free, waiting and median waiting days per service and unit."""
    providers = ServiceProvider.objects.select_related("service", "unit").filter(
        service__is_active=True
    )
    if service is not None:
        providers = providers.filter(service=service)
    ordered = list(providers.order_by("service__name", "unit__name"))
    service_ids = {p.service_id for p in ordered}
    if service is not None:
        service_ids.add(service.pk)
    used = _in_use_by_pair(day, service_ids)
    waiting = _waiting_days_by_pair(day, service_ids)
    rows = [
        _row(p.service, p.unit, p.capacity, used, waiting.pop((p.service_id, p.unit_id), []))
        for p in ordered
    ]
    # Someone waiting at a unit that no longer provides the service (or at no unit) is
    # still waiting: they get a row of their own, so no one drops out of the count.
    if waiting:
        by_id = {p.service_id: p.service for p in ordered}
        if service is not None:
            by_id[service.pk] = service
        extra = Service.objects.filter(pk__in={s for s, _u in waiting} - set(by_id))
        by_id.update({s.pk: s for s in extra})
        units = {u.pk: u for u in Unit.objects.filter(pk__in={u for _s, u in waiting if u})}
        for (service_id, unit_id), days in sorted(waiting.items(), key=str):
            rows.append(_row(by_id[service_id], units.get(unit_id), None, used, days))
    return rows


def _row(
    service: Service,
    unit: Unit | None,
    capacity: Decimal | None,
    used: dict[tuple, Decimal],
    days: list[int],
) -> CapacityRow:
    return CapacityRow(
        service=service,
        unit=unit,
        capacity=capacity,
        in_use=used.get((service.pk, unit.pk if unit else None), Decimal(0)),
        waiting=len(days),
        median_waiting_days=statistics.median(days) if days else None,
    )


def waiting_list(*, service: Service | None = None) -> QuerySet[WaitingListEntry]:
    """Open entries, highest priority first, then the longest waiting."""
    queryset = WaitingListEntry.objects.filter(removed_on__isnull=True).select_related(
        "service", "unit", "decision__case__person"
    )
    if service is not None:
        queryset = queryset.filter(service=service)
    return queryset.order_by("priority", "added_on", "pk")


@dataclass
class WaitingRow:
    """A waiting-list entry as the lists show it: with how long the person has waited,
    and (set by `name_persons` on the list of everyone waiting) whether the user may see
    the person's name and open the person's pages."""

    entry: WaitingListEntry
    waiting_days: int
    named: bool = False
    openable: bool = False


def with_waiting_days(entries: list[WaitingListEntry], day: datetime.date) -> list[WaitingRow]:
    return [WaitingRow(entry, (day - entry.added_on).days) for entry in entries]


@dataclass(frozen=True)
class CapacityAttention:
    """The capacity rows that need someone to act: places or hours free while people
    wait for the same service at the same unit, and more in use than the capacity."""

    free_with_waiting: list[CapacityRow]
    over: list[CapacityRow]


def capacity_attention(day: datetime.date) -> CapacityAttention:
    """The rows of `capacity_rows` that need attention (its queries, no more)."""
    rows = capacity_rows(day)
    return CapacityAttention(
        free_with_waiting=[
            row for row in rows if row.waiting and row.free is not None and row.free > 0
        ],
        over=[row for row in rows if row.free is not None and row.free < 0],
    )


def person_assignments(person: Person) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(decision__case__person=person)
        .select_related("unit", "decision__service")
        .order_by("-starts_on", "-pk")
    )


def person_waiting_entries(person: Person) -> QuerySet[WaitingListEntry]:
    return (
        WaitingListEntry.objects.filter(decision__case__person=person)
        .select_related("unit", "service")
        .order_by(F("removed_on").asc(nulls_first=True), "-added_on", "-pk")
    )
