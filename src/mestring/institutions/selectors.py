"""Reads about institution units, beds and stays, and the counting rules they share.

A stay occupies a bed the nights from admission up to, not including, discharge; an
open stay goes on. The beds of a unit on a day are those of the capacity row with the
latest `valid_from` on or before that day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Prefetch, Q, QuerySet

from mestring.institutions.models import (
    BedCapacity,
    PlannedStay,
    PlannedStayStatus,
    PurchaseAgreement,
    Stay,
    StayType,
)
from mestring.people.models import Person, Unit

ONE_DAY = datetime.timedelta(days=1)


class Capacities(TypedDict):
    """What `institution_units` prefetches onto each unit."""

    capacity_rows: list[BedCapacity]


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    # A unit read through `institution_units`, with its capacity rows oldest first.
    BedUnit = WithAnnotations[Unit, Capacities]


def nights(
    admitted: datetime.date,
    discharged: datetime.date | None,
    first: datetime.date,
    end: datetime.date,
) -> int:
    """Nights of a stay within [first, end): admission up to, not including, discharge."""
    start = max(admitted, first)
    stop = min(discharged or end, end)
    return max(0, (stop - start).days)


def beds_on(capacities: Sequence[BedCapacity], day: datetime.date) -> int | None:
    """Beds on `day` from capacity rows sorted by valid_from; None before the first."""
    beds = None
    for capacity in capacities:
        if capacity.valid_from > day:
            break
        beds = capacity.beds
    return beds


def capacity_days(
    capacities: Sequence[BedCapacity], first: datetime.date, end: datetime.date
) -> int:
    """The sum over the days in [first, end) of the beds that day."""
    total = 0
    ordered = sorted(capacities, key=lambda c: c.valid_from)
    for index, capacity in enumerate(ordered):
        until = ordered[index + 1].valid_from if index + 1 < len(ordered) else end
        start, stop = max(capacity.valid_from, first), min(until, end)
        if stop > start:
            total += capacity.beds * (stop - start).days
    return total


def overlaps(
    a_start: datetime.date,
    a_end: datetime.date | None,
    b_start: datetime.date,
    b_end: datetime.date | None,
) -> bool:
    """Whether two stays share a night (an open end goes on for ever)."""
    return a_start < (b_end or datetime.date.max) and b_start < (a_end or datetime.date.max)


def capacities_of(unit: Unit) -> list[BedCapacity]:
    return list(BedCapacity.objects.filter(unit=unit).order_by("valid_from"))


def institution_units() -> QuerySet[BedUnit]:
    """Units with bed capacity rows, each with its rows (oldest first) prefetched."""
    return (
        Unit.objects.filter(pk__in=BedCapacity.objects.values("unit"))
        .prefetch_related(
            Prefetch(
                "bed_capacities",
                queryset=BedCapacity.objects.order_by("valid_from"),
                to_attr="capacity_rows",
            )
        )
        .order_by("name")
    )


def stays_in_period(unit: Unit, first: datetime.date, end: datetime.date) -> QuerySet[Stay]:
    """Stays of the unit with at least one night in [first, end)."""
    return Stay.objects.filter(unit=unit, admitted_on__lt=end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gt=first)
    )


def occupied_nights(
    stays: Iterable[Stay], first: datetime.date, end: datetime.date
) -> dict[datetime.date, int]:
    """Per night in [first, end): the number of stays in a bed that night."""
    counts: dict[datetime.date, int] = {}
    for stay in stays:
        day = max(stay.admitted_on, first)
        stop = min(stay.discharged_on or end, end)
        while day < stop:
            counts[day] = counts.get(day, 0) + 1
            day += ONE_DAY
    return counts


def in_bed_on(day: datetime.date) -> Q:
    return Q(admitted_on__lte=day) & (Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))


@dataclass
class BoardStay:
    """A stay in a bed on the board's day, with what the board shows beside it."""

    stay: Stay
    days_so_far: int
    type_label: str
    # Set by `access.boards.name_persons`: whether the user may see the person's name,
    # and whether the stay's page would open for them.
    named: bool = False
    openable: bool = False
    # The board's day, against which `decision_ended` is read.
    day: datetime.date = datetime.date.min

    # What the page, the API and `name_persons` read of the stay itself.
    @property
    def pk(self) -> int:
        return self.stay.pk

    @property
    def person(self) -> Person:
        return self.stay.person

    @property
    def person_id(self) -> int:
        return self.stay.person_id

    @property
    def unit_id(self) -> int:
        return self.stay.unit_id

    @property
    def stay_type(self) -> str:
        return self.stay.stay_type

    @property
    def admitted_on(self) -> datetime.date:
        return self.stay.admitted_on

    @property
    def decision_ended(self) -> bool:
        """The decision behind the stay ended on or before the board's day (the stay
        goes on until the ward discharges the person)."""
        ended = self.stay.decision_ended_on
        return ended is not None and ended <= self.day


@dataclass
class BoardPlanned:
    """A planned arrival on the board: takes no bed until the ward admits the person."""

    planned: PlannedStay
    type_label: str
    named: bool = False
    openable: bool = False
    # Whether the user works in the unit and may admit from the board.
    admittable: bool = False

    @property
    def pk(self) -> int:
        return self.planned.pk

    @property
    def person(self) -> Person:
        return self.planned.person

    @property
    def person_id(self) -> int:
        return self.planned.person_id

    @property
    def unit_id(self) -> int:
        return self.planned.unit_id

    @property
    def expected_on(self) -> datetime.date:
        return self.planned.expected_on


@dataclass
class BoardUnit:
    unit: BedUnit
    beds: int | None
    stays: list[BoardStay] = field(default_factory=list)
    # Planned arrivals: not in a bed, not counted in `occupied` or `free`.
    planned: list[BoardPlanned] = field(default_factory=list)

    @property
    def occupied(self) -> int:
        return len(self.stays)

    @property
    def free(self) -> int | None:
        return None if self.beds is None else max(0, self.beds - self.occupied)

    @property
    def over(self) -> int:
        return max(0, self.occupied - (self.beds or 0))


def bed_board(day: datetime.date) -> list[BoardUnit]:
    """Each institution unit on `day`: beds, who is in a bed that night, and the
    planned arrivals. Four queries whatever the number of units and stays."""
    units = list(institution_units())
    board = {unit.pk: BoardUnit(unit, beds_on(unit.capacity_rows, day)) for unit in units}
    stays = (
        Stay.objects.filter(in_bed_on(day), unit__in=[u.pk for u in units])
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "pk")
    )
    # The type's label translated once per type, not once per row (about 150 rows).
    labels = {value: str(label) for value, label in StayType.choices}
    for stay in stays:
        board[stay.unit_id].stays.append(
            BoardStay(
                stay,
                days_so_far=(day - stay.admitted_on).days,
                type_label=labels.get(stay.stay_type, stay.stay_type),
                day=day,
            )
        )
    for planned in planned_stays().filter(unit__in=[u.pk for u in units]):
        board[planned.unit_id].planned.append(
            BoardPlanned(planned, type_label=labels.get(planned.stay_type, planned.stay_type))
        )
    return list(board.values())


def planned_stays() -> QuerySet[PlannedStay]:
    """Planned arrivals not yet admitted nor cancelled, the earliest first."""
    return (
        PlannedStay.objects.filter(status=PlannedStayStatus.PLANNED)
        .select_related("person", "unit", "decision__service")
        .order_by("expected_on", "person__family_name", "person__given_name", "pk")
    )


def planned_for_page(person: Person, planned_id: int) -> PlannedStay | None:
    return (
        PlannedStay.objects.filter(person=person, pk=planned_id)
        .select_related("unit", "decision__service", "stay")
        .first()
    )


def person_stays(person: Person) -> QuerySet[Stay]:
    return Stay.objects.filter(person=person).select_related("unit", "rehab_plan")


def stay_for_page(person: Person, stay_id: int) -> Stay | None:
    return (
        Stay.objects.filter(person=person, pk=stay_id)
        .select_related("unit", "decision", "agreement", "admitted_by__user", "rehab_plan")
        .first()
    )


def agreements() -> QuerySet[PurchaseAgreement]:
    return PurchaseAgreement.objects.select_related("centre").order_by("-year", "name")


def agreement_stays(agreement: PurchaseAgreement) -> QuerySet[Stay]:
    """Stays that count against an agreement: linked to it, or at its centre with no
    agreement of their own."""
    return Stay.objects.filter(
        Q(agreement=agreement) | Q(agreement__isnull=True, unit_id=agreement.centre_id)
    )


def unit_bed_rows() -> list[dict[str, Any]]:
    """Institution units with their capacity history, newest change first."""
    return [
        {"unit": unit, "history": list(reversed(unit.capacity_rows))}
        for unit in institution_units()
    ]
