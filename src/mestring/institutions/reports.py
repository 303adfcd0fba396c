"""Bed occupancy of an institution unit and use of purchased places.

Both count bed-days the same way: the nights from admission up to, not including,
discharge, clipped to the period; an open stay counts to the end of the period.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mestring.core.reporting import Report, ReportParameterError
from mestring.institutions import selectors
from mestring.institutions.models import BedCapacity, PurchaseAgreement, StayType
from mestring.people.models import Unit


def year_span(year: int) -> tuple[datetime.date, datetime.date]:
    """First day of the year and first day of the next (the end, exclusive)."""
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def one_decimal(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def money(value: Decimal) -> int | float:
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)


def find_unit(name: str) -> Unit:
    unit = Unit.objects.filter(name__iexact=str(name).strip()).first()
    if unit is None:
        raise ReportParameterError(_("Fant ingen enhet med navnet «%(name)s».") % {"name": name})
    if not BedCapacity.objects.filter(unit=unit).exists():
        raise ReportParameterError(
            _("Enheten «%(name)s» har ikke registrert sengetall.") % {"name": unit.name}
        )
    return unit


class BedOccupancyReport(Report):
    name = "bed-occupancy"
    parameters = ("year", "unit")
    title = gettext_lazy("Beleggsprosent")
    definition = gettext_lazy(
        "Liggedøgn er netter i året: fra innleggelsesdagen til, men ikke med, "
        "utskrivningsdagen, avgrenset til året; opphold som ikke er avsluttet telles til "
        "årets slutt. Pasienter er ulike personer med liggedøgn av typen i året; sumraden "
        "er summen av radene. Kapasitet (sengedøgn) er summen over årets dager av antall "
        "senger den dagen. Senger er antall senger 31.12. Beleggsprosent er liggedøgn delt "
        "på sengedøgn ganger 100, med én desimal."
    )

    def __init__(self, *, year: int, unit: str | Unit) -> None:
        self.year = int(year)
        self.unit = unit if isinstance(unit, Unit) else find_unit(unit)
        self.first, self.end = year_span(self.year)

    def compute(self) -> dict[str, Any]:
        capacities = selectors.capacities_of(self.unit)
        capacity = selectors.capacity_days(capacities, self.first, self.end)
        bed_days: dict[str, int] = {}
        persons: dict[str, set[int]] = {}
        stays = selectors.stays_in_period(self.unit, self.first, self.end).values_list(
            "person_id", "stay_type", "admitted_on", "discharged_on"
        )
        for person_id, stay_type, admitted, discharged in stays:
            count = selectors.nights(admitted, discharged, self.first, self.end)
            if count:
                bed_days[stay_type] = bed_days.get(stay_type, 0) + count
                persons.setdefault(stay_type, set()).add(person_id)
        rows: list[dict[str, Any]] = [
            {
                "stay_type": stay_type,
                "patients": len(persons[stay_type]),
                "bed_days": bed_days[stay_type],
                "occupancy_pct": one_decimal(bed_days[stay_type], capacity),
            }
            for stay_type in StayType.values
            if stay_type in bed_days
        ]
        total_days = sum(row["bed_days"] for row in rows)
        return {
            "unit": self.unit.name,
            "year": self.year,
            "beds": selectors.beds_on(capacities, self.end - selectors.ONE_DAY) or 0,
            "capacity_days": capacity,
            "rows": rows,
            "total": {
                "patients": sum(row["patients"] for row in rows),
                "bed_days": total_days,
                "occupancy_pct": one_decimal(total_days, capacity),
            },
        }

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        header = [
            "unit",
            "year",
            "beds",
            "capacity_days",
            "stay_type",
            "patients",
            "bed_days",
            "occupancy_pct",
        ]
        lead = [result["unit"], result["year"], result["beds"], result["capacity_days"]]
        rows = [
            [*lead, row["stay_type"], row["patients"], row["bed_days"], row["occupancy_pct"]]
            for row in result["rows"]
        ]
        total = result["total"]
        rows.append([*lead, "total", total["patients"], total["bed_days"], total["occupancy_pct"]])
        return header, rows


def find_agreement(name: str, year: int) -> PurchaseAgreement:
    found = PurchaseAgreement.objects.filter(name__iexact=str(name).strip()).select_related(
        "centre"
    )
    if not found.exists():
        raise ReportParameterError(_("Fant ingen avtale med navnet «%(name)s».") % {"name": name})
    agreement = found.filter(year=year).first()
    if agreement is None:
        raise ReportParameterError(
            _("Avtalen «%(name)s» gjelder ikke for %(year)s.") % {"name": name, "year": year}
        )
    return agreement


class PurchasedPlacesReport(Report):
    name = "purchased-places"
    parameters = ("year", "agreement")
    title = gettext_lazy("Kjøpte plasser")
    definition = gettext_lazy(
        "Brukte døgn er liggedøgn (netter fra innleggelsesdagen til, men ikke med, "
        "utskrivningsdagen) i avtaleåret til og med i går, eller til årets slutt når året "
        "er omme, for opphold knyttet til avtalen og for opphold på avtalens senter som "
        "ikke er knyttet til en annen avtale. Åpne opphold telles til og med i går. Igjen "
        "er kjøpte døgn minus brukte døgn. Kostnad hittil er brukte døgn ganger pris per "
        "døgn. Prognosen for året er brukte døgn delt på dagene som er gått av året ganger "
        "antall dager i året, avrundet til hele døgn; den mangler før året har begynt."
    )

    def __init__(
        self,
        *,
        year: int,
        agreement: str | PurchaseAgreement,
        today: datetime.date | None = None,
    ) -> None:
        self.year = int(year)
        self.agreement = (
            agreement
            if isinstance(agreement, PurchaseAgreement)
            else find_agreement(agreement, self.year)
        )
        self.today = today or timezone.localdate()
        self.first, self.end = year_span(self.year)

    def compute(self) -> dict[str, Any]:
        agreement = self.agreement
        cutoff = min(max(self.today, self.first), self.end)
        used = 0
        stays = (
            selectors.agreement_stays(agreement)
            # Stays that ended before the year count no night in it: not read at all.
            .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=self.first))
            .filter(admitted_on__lt=cutoff)
            .values_list("admitted_on", "discharged_on")
        )
        for admitted, discharged in stays:
            used += selectors.nights(admitted, discharged, self.first, cutoff)
        elapsed = (cutoff - self.first).days
        days_in_year = (self.end - self.first).days
        projected = None
        if elapsed:
            projected = int(
                (Decimal(used) * days_in_year / elapsed).quantize(
                    Decimal("1"), rounding=ROUND_HALF_UP
                )
            )
        price = agreement.price_per_day
        return {
            "agreement": agreement.name,
            "centre": agreement.centre.name,
            "year": self.year,
            "days_bought": agreement.bed_days,
            "days_used": used,
            "days_left": agreement.bed_days - used,
            "price_per_day": money(price),
            "cost_so_far": money(price * used),
            "projected_days": projected,
            "projected_cost": None if projected is None else money(price * projected),
        }

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        header = list(result)
        return header, [[result[key] for key in header]]
