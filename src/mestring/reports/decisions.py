"""Service applications, decisions, processing and waiting time in a year.

Counts are made in the database. The day figures (median, 90th percentile) need the
values themselves: each list is fetched with one query, so the number of queries does
not grow with the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, Literal, cast

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from mestring.casework.models import (
    ApplicationLine,
    Case,
    CaseKind,
    Decision,
    DecisionOutcome,
    DecisionSubject,
)
from mestring.catalogue.models import WaitingListEntry
from mestring.core.reporting import Report

CountKey = Literal["granted", "partly", "refused", "total"]
COUNT_KEYS: tuple[CountKey, ...] = ("granted", "partly", "refused", "total")
TREND_YEARS = 5
# The label of decisions that name no service (should not happen, but is counted).
NO_SERVICE = "(uten tjeneste)"


def median(values: list[int]) -> float | int | None:
    """The middle value; with an even count, the mean of the two middle values."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    value = (ordered[middle - 1] + ordered[middle]) / 2
    return int(value) if value.is_integer() else value


def percentile_90(values: list[int]) -> int | None:
    """Nearest rank: the smallest value with at least 90 % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (9 * len(ordered) + 9) // 10  # ceil(0.9 * n) in whole numbers
    return ordered[rank - 1]


def day_figures(values: list[int]) -> dict[str, Any]:
    return {"median": median(values), "p90": percentile_90(values), "count": len(values)}


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _days(pairs: Iterable[tuple[datetime.date, datetime.date]]) -> list[int]:
    return [(end - start).days for start, end in pairs]


def service_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(subject=DecisionSubject.SERVICE)


def service_applications() -> QuerySet[Case]:
    return Case.objects.filter(kind=CaseKind.SERVICE)


class DecisionsReport(Report):
    name = "decisions"
    parameters = ("year",)
    title = _("Søknader og vedtak om tjenester")
    definition = _(
        "Søknader: søknader om helse- og omsorgstjenester mottatt i året; per tjeneste "
        "telles hver tjeneste det søkes om i disse søknadene. Vedtak: vedtak om tjeneste "
        "med vedtaksdato i året, per tjeneste og resultat (innvilget, delvis innvilget, "
        "avslag); vedtak som senere er endret eller stanset telles også. Saksbehandlingstid: "
        "dager fra søknaden ble mottatt til vedtaksdato, for hvert av disse vedtakene. "
        "Ventetid: dager fra en person ble satt på venteliste til hen ble tatt av listen, "
        "for oppføringer tatt av listen i året. Median er den midterste verdien; med et "
        "partall verdier gjennomsnittet av de to midterste. 90-prosentilen er den minste "
        "verdien der minst 90 % av verdiene er lik eller mindre (nærmeste rang). På "
        "venteliste ved årsslutt: ulike personer med en oppføring satt på listen senest "
        "31.12. og ikke tatt av listen før etter 31.12."
    )

    def __init__(self, *, year: int) -> None:
        self.year = year
        self.first_day, self.last_day = year_bounds(year)

    def compute(self) -> dict[str, Any]:
        decisions = self.decision_rows()
        return {
            "year": self.year,
            "applications_received": self.applications_received(),
            "applications_by_service": self.applications_by_service(),
            "decisions": decisions,
            "decisions_total": {key: sum(row[key] for row in decisions) for key in COUNT_KEYS},
            "processing_days": day_figures(self.processing_days()),
            "waiting_days": day_figures(self.waiting_days()),
            "persons_waiting_at_year_end": self.persons_waiting_at_year_end(),
        }

    def applications_received(self) -> int:
        return (
            service_applications()
            .filter(received_on__range=(self.first_day, self.last_day))
            .count()
        )

    def applications_by_service(self) -> dict[str, int]:
        rows = (
            ApplicationLine.objects.filter(
                case__kind=CaseKind.SERVICE,
                case__received_on__range=(self.first_day, self.last_day),
            )
            .values("service__name")
            .annotate(n=Count("pk"))
            .order_by("service__name")
        )
        return {row["service__name"]: row["n"] for row in rows}

    def decision_rows(self) -> list[dict[str, Any]]:
        rows = (
            service_decisions()
            .filter(decided_on__range=(self.first_day, self.last_day))
            .values("service__name")
            .annotate(
                granted=Count("pk", filter=Q(outcome=DecisionOutcome.GRANTED)),
                partly=Count("pk", filter=Q(outcome=DecisionOutcome.PARTLY)),
                refused=Count("pk", filter=Q(outcome=DecisionOutcome.REFUSED)),
                total=Count("pk"),
            )
            .order_by()
        )
        result = [
            {"service": row["service__name"] or NO_SERVICE, **{k: row[k] for k in COUNT_KEYS}}
            for row in rows
        ]
        return sorted(result, key=lambda row: row["service"])

    def processing_days(self) -> list[int]:
        pairs = (
            service_decisions()
            .filter(decided_on__range=(self.first_day, self.last_day))
            .values_list("case__received_on", "decided_on")
        )
        return _days(pairs)

    def waiting_days(self) -> list[int]:
        pairs = WaitingListEntry.objects.filter(
            removed_on__range=(self.first_day, self.last_day)
        ).values_list("added_on", "removed_on")
        # The range filter leaves out entries still on the list: removed_on is a date.
        return _days(cast("QuerySet[WaitingListEntry, tuple[datetime.date, datetime.date]]", pairs))

    def persons_waiting_at_year_end(self) -> int:
        waiting = WaitingListEntry.objects.filter(
            Q(removed_on__isnull=True) | Q(removed_on__gt=self.last_day),
            added_on__lte=self.last_day,
        )
        return waiting.aggregate(n=Count("decision__case__person", distinct=True))["n"]

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        """One table: the decisions per service, then each other figure as a row."""
        header = ["figure", "service", *COUNT_KEYS, "value"]
        blank = [""] * len(COUNT_KEYS)
        rows: list[list[Any]] = [
            ["decisions", row["service"], *(row[k] for k in COUNT_KEYS), ""]
            for row in result["decisions"]
        ]
        total = result["decisions_total"]
        rows.append(["decisions_total", "", *(total[k] for k in COUNT_KEYS), ""])
        rows.append(["applications_received", "", *blank, result["applications_received"]])
        rows += [
            ["applications_by_service", service, *blank, n]
            for service, n in result["applications_by_service"].items()
        ]
        for figure in ("processing_days", "waiting_days"):
            rows += [
                [f"{figure}_{key}", "", *blank, result[figure][key]]
                for key in ("median", "p90", "count")
            ]
        rows.append(
            ["persons_waiting_at_year_end", "", *blank, result["persons_waiting_at_year_end"]]
        )
        return header, rows


def trend(year: int, years: int = TREND_YEARS) -> list[dict[str, Any]]:
    """Applications, decisions and median processing days for `year` and the years
    before it, oldest first; three queries whatever the number of years."""
    first_day, last_day = year_bounds(year - years + 1)[0], year_bounds(year)[1]
    applications = dict(
        service_applications()
        .filter(received_on__range=(first_day, last_day))
        .annotate(y=ExtractYear("received_on"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("y", "n")
    )
    decided = service_decisions().filter(decided_on__range=(first_day, last_day))
    decisions = dict(
        decided.annotate(y=ExtractYear("decided_on"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("y", "n")
    )
    days: dict[int, list[int]] = {}
    for received, decided_on in decided.values_list("case__received_on", "decided_on"):
        days.setdefault(decided_on.year, []).append((decided_on - received).days)
    return [
        {
            "year": y,
            "applications": applications.get(y, 0),
            "decisions": decisions.get(y, 0),
            "median_processing_days": median(days.get(y, [])),
        }
        for y in range(year - years + 1, year + 1)
    ]
