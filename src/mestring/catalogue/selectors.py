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

from mestring.casework.models import Decision
from mestring.catalogue.models import (
    Assignment,
    CapacityKind,
    Service,
    ServiceProvider,
    WaitingListEntry,
)
from mestring.people.models import Person, Unit

# The waiting list's order: priority, then the day the person was put on the list.
WAITING_ORDER = ("priority", "added_on", "pk")


def services(*, include_inactive: bool = False) -> QuerySet[Service]:
    queryset = Service.objects.prefetch_related(
        Prefetch("providers", queryset=ServiceProvider.objects.select_related("unit"))
    )
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("name")


def providers_of(service: Service) -> list[ServiceProvider]:
    return list(service.providers.select_related("unit").order_by("unit__name"))


class FreeNote:
    """Why a unit with room still has people waiting for the service (`CapacityRow.note`)."""

    FIRST = "first"  # the first in line can have the place: offer it
    LATER = "later"  # the first in line starts later (the decision is in force from then)
    TOO_LITTLE = "too_little"  # the hours free are fewer than the first in line needs
    ELSEWHERE = "elsewhere"  # those waiting wait for another unit


@dataclass(frozen=True)
class Waiting:
    """An open waiting-list entry as the capacity page needs it (no name)."""

    pk: int
    unit_id: int | None
    priority: int
    added_on: datetime.date
    starts_from: datetime.date | None
    hours: Decimal | None


@dataclass
class CapacityRow:
    service: Service
    unit: Unit | None
    capacity: Decimal | None  # None: no limit
    in_use: Decimal
    waiting: int
    median_waiting_days: float | None
    # Set when the unit has room while someone waits for the service (see FreeNote).
    note: str = ""
    first_waiting_days: int | None = None
    first_starts_on: datetime.date | None = None
    first_needs: Decimal | None = None
    waiting_elsewhere: int = 0

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


def _open_waiting(service_ids: set[int]) -> dict[int, list[Waiting]]:
    """Service id → its open entries in the list's order, in one query."""
    rows = (
        WaitingListEntry.objects.filter(service__in=service_ids, removed_on__isnull=True)
        .order_by(*WAITING_ORDER)
        .values_list(
            "service_id",
            "pk",
            "unit_id",
            "priority",
            "added_on",
            "decision__valid_from",
            "decision__hours_per_week",
        )
    )
    by_service: dict[int, list[Waiting]] = defaultdict(list)
    for service_id, pk, unit_id, priority, added_on, starts_from, hours in rows:
        by_service[service_id].append(Waiting(pk, unit_id, priority, added_on, starts_from, hours))
    return by_service


def _waiting_days_by_pair(
    day: datetime.date, waiting: dict[int, list[Waiting]]
) -> dict[tuple, list[int]]:
    """(service id, unit id) → waiting days of each open entry."""
    days: dict[tuple, list[int]] = defaultdict(list)
    for service_id, entries in waiting.items():
        for entry in entries:
            days[(service_id, entry.unit_id)].append((day - entry.added_on).days)
    return days


def _explain_free(row: CapacityRow, entries: list[Waiting], day: datetime.date) -> None:
    """A unit with room while someone waits for the service says why: the first in line
    can have the place (offered), starts later, needs more hours than are free, or
    those waiting wait for another unit."""
    if row.unit is None or (row.limited and (row.free or 0) <= 0):
        return
    mine = [e for e in entries if e.unit_id in (row.unit.pk, None)]
    if not mine:
        row.waiting_elsewhere = len(entries)
        row.note = FreeNote.ELSEWHERE if entries else ""
        return
    first = mine[0]
    row.first_waiting_days = (day - first.added_on).days
    needs = (
        (first.hours or Decimal(0))
        if row.service.capacity_kind == CapacityKind.HOURS
        else Decimal(1)
    )
    if first.starts_from is not None and first.starts_from > day:
        row.note, row.first_starts_on = FreeNote.LATER, first.starts_from
    elif row.limited and row.free is not None and needs > row.free:
        row.note, row.first_needs = FreeNote.TOO_LITTLE, needs
    else:
        row.note = FreeNote.FIRST


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
    open_waiting = _open_waiting(service_ids)
    waiting = _waiting_days_by_pair(day, open_waiting)
    rows = [
        _row(p.service, p.unit, p.capacity, used, waiting.pop((p.service_id, p.unit_id), []))
        for p in ordered
    ]
    for row in rows:
        _explain_free(row, open_waiting.get(row.service.pk, []), day)
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


def waiting_list(
    *, service: Service | None = None, unit: Unit | None = None
) -> QuerySet[WaitingListEntry]:
    """Open entries, highest priority first, then the longest waiting. With `unit`: those
    waiting for that unit or for no unit in particular (whom a place there may go to)."""
    queryset = WaitingListEntry.objects.filter(removed_on__isnull=True).select_related(
        "service", "unit", "decision__case__person"
    )
    if service is not None:
        queryset = queryset.filter(service=service)
    if unit is not None:
        queryset = queryset.filter(Q(unit=unit) | Q(unit__isnull=True))
    return queryset.order_by(*WAITING_ORDER)


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


def waiting_ahead(decision: Decision, unit: Unit | int | None) -> QuerySet[WaitingListEntry]:
    """Others waiting before `decision` for its service, first in line first: open
    entries at `unit` or at no unit in particular (at any unit when `unit` is None), of
    other persons, that stand earlier in the list's order (priority, then the day they
    were put on the list). A decision not on the list stands behind everyone."""
    entries = WaitingListEntry.objects.filter(
        service=decision.service_id, removed_on__isnull=True
    ).exclude(decision__case__person=decision.case.person_id)
    if unit is not None:
        entries = entries.filter(Q(unit=unit) | Q(unit__isnull=True))
    own = WaitingListEntry.objects.filter(decision=decision, removed_on__isnull=True).first()
    if own is not None:
        entries = entries.filter(
            Q(priority__lt=own.priority)
            | Q(priority=own.priority, added_on__lt=own.added_on)
            | Q(priority=own.priority, added_on=own.added_on, pk__lt=own.pk)
        )
    return entries.select_related("unit", "service", "decision__case__person").order_by(
        *WAITING_ORDER
    )
