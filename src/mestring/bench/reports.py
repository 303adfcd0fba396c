"""Each yearly report timed, beside the same figures from one hand-written SQL query.

`mestring.bench.sql.HAND_WRITTEN` maps a report name to a function that computes the
report's figures with one SQL statement; the benchmark checks that both agree and
prints the ratio of their times.
"""

from __future__ import annotations

import datetime
from typing import Any

from mestring.bench.measure import ReportFigure, report_year, timed
from mestring.core.reporting import REPORTS, report_class
from mestring.institutions.models import BedCapacity, PurchaseAgreement
from mestring.tenancy.context import activate
from mestring.tenancy.models import Municipality


def report_parameters(name: str, year: int) -> dict[str, Any]:
    cls = report_class(name)
    params: dict[str, Any] = {}
    for parameter in cls.parameters:
        if parameter == "year":
            params["year"] = year
        elif parameter == "date":
            params["date"] = datetime.date(year, 12, 31)
        elif parameter == "unit":
            capacity = BedCapacity.objects.select_related("unit").order_by("unit__name").first()
            params["unit"] = capacity.unit if capacity else ""
        elif parameter == "agreement":
            params["agreement"] = PurchaseAgreement.objects.filter(year=year).first() or (
                PurchaseAgreement.objects.order_by("-year").first()
            )
    return params


def measure_reports(municipality: Municipality, year: int | None = None) -> list[ReportFigure]:
    from mestring.bench.sql import HAND_WRITTEN

    year = year or report_year()
    figures = []
    with activate(municipality):
        for name in REPORTS:
            params = report_parameters(name, year)
            if any(value in (None, "") for value in params.values()):
                continue  # nothing in the database for this report's unit or agreement
            report = report_class(name)(**params)
            seconds, result = timed(report.compute)
            sql_seconds, equal = None, None
            hand = HAND_WRITTEN.get(name)
            if hand is not None:
                sql_seconds, sql_result = timed(lambda: hand(municipality.pk, params))  # noqa: B023
                equal = sql_result == hand.comparable(result)
            figures.append(
                ReportFigure(
                    name=name,
                    seconds=round(seconds, 3),
                    sql_seconds=None if sql_seconds is None else round(sql_seconds, 3),
                    equal=equal,
                )
            )
    return figures
