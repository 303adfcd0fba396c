"""The decisions report page (figures only, no persons) and its CSV download."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.decorators import staff_required
from mestring.access.permissions import STATISTICS_VIEW
from mestring.core.downloads import content_disposition
from mestring.reports.decisions import TREND_YEARS, DecisionsReport, trend

FIRST_YEAR = 2000


def chosen_year(request: HttpRequest) -> tuple[int, str]:
    """The year in ?ar=, or this year; a bad value gives this year and a message."""
    this_year = timezone.localdate().year
    raw = request.GET.get("ar", "").strip()
    if not raw:
        return this_year, ""
    if not raw.isdigit() or len(raw) != 4:
        message = _("«%(value)s» er ikke et årstall. Skriv året med fire sifre, som %(year)s.")
        return this_year, message % {"value": raw, "year": this_year}
    year = int(raw)
    if not FIRST_YEAR <= year <= this_year:
        message = _("Velg et år fra %(first)s til %(last)s.")
        return this_year, message % {"first": FIRST_YEAR, "last": this_year}
    return year, ""


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
