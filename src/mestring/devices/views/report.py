"""The assistive-devices report page (figures only, no persons) and its CSV download."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mestring.access.decorators import staff_required
from mestring.access.permissions import STATISTICS_VIEW
from mestring.access.request import StaffRequest
from mestring.core.downloads import content_disposition
from mestring.core.reporting import chosen_year
from mestring.devices.reports import TREND_YEARS, AssistiveDevicesReport, trend
from mestring.devices.selectors.loans import inquiries_per_year


@staff_required(STATISTICS_VIEW)
@require_GET
def report(request: StaffRequest) -> HttpResponse:
    year, year_error = chosen_year(request)
    report = AssistiveDevicesReport(year=year)
    result = report.compute()
    if request.GET.get("format") == "csv" and not year_error:
        # The same CSV as `mestring report assistive-devices --format csv`.
        response = HttpResponse(report.as_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition(f"hjelpemidler-{year}.csv")
        return response
    count_rows = [
        {"label": _("Brukere ved årsslutt"), "count": result["active_users"]},
        {"label": _("Brukere med utlevering i året"), "count": result["users_with_deliveries"]},
        {"label": _("Nye brukere"), "count": result["new_users"]},
        {"label": _("Hjelpemidler utlevert"), "count": result["delivered"]},
        {"label": _("Hjelpemidler levert tilbake"), "count": result["returned"]},
    ]
    inquiries = inquiries_per_year(year - TREND_YEARS + 1, year)
    context = {
        "report": report,
        "year": year,
        "year_input": request.GET.get("ar", "").strip() if year_error else str(year),
        "year_error": year_error,
        "result": result,
        "count_rows": count_rows,
        "trend": trend(year),
        "trend_years": TREND_YEARS,
        "inquiries": inquiries,
        "inquiries_largest": max((row["count"] for row in inquiries), default=0),
    }
    return render(request, "devices/loans/report.html", context)
