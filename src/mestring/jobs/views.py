"""The staff member's own reminders and notification choice (one page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view
from mestring.access.request import StaffRequest
from mestring.core.csvexport import page_or_all, render_or_csv
from mestring.core.flow import submit
from mestring.jobs import selectors, services
from mestring.jobs.forms import PreferenceForm

UNSEEN = "nye"


@staff_required()
@audited_view(object_type="reminder_list")
@require_http_methods(["GET", "POST"])
def reminders(request: StaffRequest) -> HttpResponseBase:
    staff = request.actor.staff
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        saved = submit(
            request,
            form,
            lambda data: services.preference_set(actor=request.actor, channel=data["channel"]),
            success=_("Valget ditt er lagret."),
            rule_errors=(services.ReminderRuleError,),
        )
        if saved is not None:
            return redirect("jobs:reminders")
    else:
        form = PreferenceForm(initial={"channel": selectors.channel_for(staff)})
    # "Nye" (from the start page): only those not yet seen.
    only_unseen = request.GET.get("vis") == UNSEEN
    rows = selectors.unseen_for(staff) if only_unseen else selectors.reminders_for(staff)
    context = {
        "form": form,
        "page": page_or_all(request, rows),
        "only_unseen": only_unseen,
        "unseen": selectors.unseen_count(staff),
        "has_email": bool(request.user.email),
    }
    return render_or_csv(request, "jobs/reminders.html", context)


@staff_required()
@require_POST
def mark_seen(request: StaffRequest, reminder_id: int) -> HttpResponse:
    try:
        services.reminder_mark_seen(actor=request.actor, reminder_id=reminder_id)
    except services.ReminderRuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Påminnelsen er merket som sett."))
    return redirect("jobs:reminders")
