"""Taking a case from the intake queue ("Ta saken") or giving it to a colleague
("Fordel til"). The taker becomes the caseworker, which opens the person's record for
as long as the case is open; nobody needs emergency access for normal work."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mestring.access.decorators import staff_required
from mestring.access.forms import HandOutForm
from mestring.access.permissions import PERSON_REGISTER
from mestring.access.request import StaffRequest
from mestring.casework import selectors, services
from mestring.casework.models import Case
from mestring.kernel.errors import DomainError

# The other lists a case may be taken from (a row the user cannot open offers "Ta
# saken"): the name the form sends, the list's URL name and its tabs.
BACK_DEADLINES = "frister"
BACK_ASSESSMENTS_DUE = "kartlegging"
_OTHER_LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    BACK_DEADLINES: ("casework:deadlines", tuple(selectors.DeadlineTab.VALUES)),
    BACK_ASSESSMENTS_DUE: ("assessments:due", ("ufullstendige",)),
}


def _back_to_list(request: StaffRequest) -> HttpResponseRedirect:
    """Back to the list as it was filtered (only a known list and filter: never a free
    URL)."""
    show = request.POST.get("vis", "")
    url_name, filters = _OTHER_LISTS.get(
        request.POST.get("tilbake", ""),
        ("casework:case_list", tuple(selectors.CaseFilter.VALUES)),
    )
    url = reverse(url_name)
    if show in filters:
        url += "?" + urlencode({"vis": show})
    return HttpResponseRedirect(url)


@staff_required(PERSON_REGISTER)
@require_POST
def case_take(request: StaffRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("person", "caseworker__user"), pk=case_id)
    back = _back_to_list(request)
    form = HandOutForm(request.POST, permission=PERSON_REGISTER)
    if not form.is_valid():
        messages.error(request, form.error_text())
        return back
    try:
        case = services.case_take(
            actor=request.actor, case=case, caseworker=form.cleaned_data["staff"]
        )
    except DomainError as error:
        messages.error(request, str(error))
        return back
    if case.caseworker_id == request.actor.staff.pk:
        messages.success(request, _("Du er nå saksbehandler for saken."))
        return redirect("casework:case_detail", case.person_id, case.pk)
    messages.success(request, _("Saken er fordelt til %(name)s.") % {"name": case.caseworker})
    return back
