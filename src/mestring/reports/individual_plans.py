"""Persons with an individual plan by responsible unit and age group."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from mestring.core.reporting import Report, adult_threshold
from mestring.plans.models import IndividualPlan


def plans_in_force(day: datetime.date) -> QuerySet[IndividualPlan]:
    """A plan counts when start_date <= day and (no end_date or end_date >= day)."""
    return IndividualPlan.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day
    )


class IndividualPlansReport(Report):
    name = "individual-plans"
    parameters = ("date",)
    title = _("Personer med individuell plan")
    definition = _(
        "En plan telles når den gjelder på datoen: startdato på eller før datoen, og "
        "ingen sluttdato eller sluttdato på eller etter datoen. Alder er personens alder "
        "på datoen. Fordelt på planens ansvarlige enhet."
    )

    def __init__(self, *, date: datetime.date) -> None:
        self.date = date

    def compute(self) -> dict[str, Any]:
        threshold = adult_threshold(self.date)
        rows = (
            plans_in_force(self.date)
            .values("responsible_unit__name")
            .annotate(
                under_18=Count("pk", filter=Q(person__birth_date__gt=threshold)),
                adult=Count("pk", filter=Q(person__birth_date__lte=threshold)),
                total=Count("pk"),
            )
            .order_by("responsible_unit__name")
        )
        result_rows = [
            {
                "unit": row["responsible_unit__name"],
                "under_18": row["under_18"],
                "adult": row["adult"],
                "total": row["total"],
            }
            for row in rows
        ]
        total = {
            key: sum(row[key] for row in result_rows) for key in ("under_18", "adult", "total")
        }
        return {"date": self.date.isoformat(), "rows": result_rows, "total": total}

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        header = ["unit", "under_18", "adult", "total"]
        rows = [[row[key] for key in header] for row in result["rows"]]
        rows.append(["Sum", *(result["total"][key] for key in header[1:])])
        return header, rows


def three_year_table(day: datetime.date) -> dict[str, Any]:
    """The three-year table of a municipal plan: plans per unit on 31 December of the
    two years before, and on `day` this year.

    One pass over the plans in force on any of the three days, counting each day with a
    filter (three scans of all plans took a quarter of the overview's time).
    A unit is listed when it has a plan on at least one of the days."""
    days = [datetime.date(day.year - 2, 12, 31), datetime.date(day.year - 1, 12, 31), day]
    in_force = [Q(end_date__isnull=True) | Q(end_date__gte=point) for point in days]
    on_day = [
        Count("pk", filter=condition & Q(start_date__lte=point))
        for point, condition in zip(days, in_force, strict=True)
    ]
    counts = (
        IndividualPlan.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=min(days)), start_date__lte=max(days)
        )
        .values("responsible_unit__name")
        # Named one by one, so the type checker knows each row's keys.
        .annotate(day_0=on_day[0], day_1=on_day[1], day_2=on_day[2])
        .order_by()
    )
    by_unit: dict[str, list[int]] = {}
    for row in counts:
        figures = [row["day_0"], row["day_1"], row["day_2"]]
        if any(figures):
            by_unit[row["responsible_unit__name"]] = figures
    return {
        "days": [d.isoformat() for d in days],
        "rows": [{"unit": unit, "counts": counts} for unit, counts in sorted(by_unit.items())],
    }
