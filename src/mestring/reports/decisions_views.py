"""The decisions report page (figures only, no persons) and its CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mestring.access.decorators import staff_required
from mestring.access.permissions import STATISTICS_VIEW
from mestring.core.downloads import content_disposition
from mestring.core.reporting import chosen_year
from mestring.reports.decisions import TREND_YEARS, DecisionsReport, trend


@staff_required(STATISTICS_VIEW)
def decisions_report(request: HttpRequest) -> HttpResponse:
    year, year_error = chosen_year(request)
    report = DecisionsReport(year=year)
    result = report.compute()
    if request.GET.get("format") == "csv" and not year_error:
        # The same CSV as `mestring report decisions --format csv`.
        response = HttpResponse(report.as_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(f"vedtak-{year}.csv")
        return response
    context = {
        "report": report,
        "year": year,
        "year_input": request.GET.get("ar", "").strip() if year_error else str(year),
        "year_error": year_error,
        "result": result,
        "day_rows": [
            (_("Saksbehandlingstid"), result["processing_days"]),
            (_("Ventetid på venteliste"), result["waiting_days"]),
        ],
        "application_rows": [
            {"service": service, "count": count}
            for service, count in result["applications_by_service"].items()
        ],
        "trend": trend(year),
        "trend_years": TREND_YEARS,
    }
    return render(request, "reports/decisions.html", context)
