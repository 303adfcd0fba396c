"""Assistive devices in a year.

Only loans that were delivered count (an order waiting for delivery is not a loan
yet). A person holds an item at the end of the year when a loan was delivered on or
before 31 December and not returned on or before 31 December.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext_lazy as _

from mestring.core.reporting import Report
from mestring.devices.models import Loan

TREND_YEARS = 5
KEYS = (
    "active_users",
    "users_with_deliveries",
    "new_users",
    "delivered",
    "returned",
    "delivered_value_nok",
)


def nok(value: Decimal | None) -> int | float:
    """A sum of kroner for JSON: a whole number as an int."""
    value = value or Decimal(0)
    return int(value) if value == value.to_integral_value() else float(value)


class AssistiveDevicesReport(Report):
    name = "assistive-devices"
    parameters = ("year",)
    title = _("Hjelpemidler")
    definition = _(
        "Brukere ved årsslutt: ulike personer som hadde minst ett hjelpemiddel utlevert "
        "senest 31.12. og ikke levert tilbake senest 31.12. Brukere med utlevering: ulike "
        "personer som fikk minst ett hjelpemiddel utlevert i året. Nye brukere: personer "
        "som fikk sitt første hjelpemiddel noensinne utlevert i året. Utlevert og levert "
        "tilbake: antall utlån med utleveringsdato eller returdato i året. Verdi utlevert: "
        "summen av verdien på hjelpemidlene som ble utlevert i året. Bestillinger som ikke "
        "er utlevert telles ikke. Både kommunens og NAVs hjelpemidler telles."
    )

    def __init__(self, *, year: int) -> None:
        self.year = int(year)
        self.first_day = datetime.date(self.year, 1, 1)
        self.last_day = datetime.date(self.year, 12, 31)

    def compute(self) -> dict[str, Any]:
        delivered = Loan.objects.filter(delivered_on__isnull=False)
        in_year = delivered.filter(delivered_on__range=(self.first_day, self.last_day))
        figures = in_year.aggregate(
            n=Count("pk"), persons=Count("person", distinct=True), value=Sum("item__value_nok")
        )
        active = (
            delivered.filter(delivered_on__lte=self.last_day)
            .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=self.last_day))
            .aggregate(n=Count("person", distinct=True))["n"]
        )
        new_users = (
            delivered.values("person")
            .annotate(first=Min("delivered_on"))
            .filter(first__range=(self.first_day, self.last_day))
            .count()
        )
        returned = Loan.objects.filter(returned_on__range=(self.first_day, self.last_day)).count()
        return {
            "year": self.year,
            "active_users": active,
            "users_with_deliveries": figures["persons"],
            "new_users": new_users,
            "delivered": figures["n"],
            "returned": returned,
            "delivered_value_nok": nok(figures["value"]),
        }

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        return ["year", *KEYS], [[result["year"], *(result[key] for key in KEYS)]]


def trend(year: int, years: int = TREND_YEARS) -> list[dict[str, Any]]:
    """The figures for `year` and the years before it, oldest first (a fixed number of
    queries per year, whatever the amount of data)."""
    return [
        AssistiveDevicesReport(year=each).compute() for each in range(year - years + 1, year + 1)
    ]
