"""The staff's view of what citizens wrote: the person page "Fra innbygger" with
answers, and the worklist of unanswered input for the staff member's persons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mestring.access.decorators import staff_required
from mestring.access.guard import audited_view, person_view
from mestring.access.request import StaffRequest
from mestring.core import csvexport
from mestring.people.models import Person
from mestring.portal import selectors, services
from mestring.portal.forms import StaffAnswerForm
from mestring.portal.models import SenderKind


def _act(request: StaffRequest, person: Person, data: dict[str, Any]) -> object:
    """Run the one service the posted action names; raise PortalError on a broken rule."""
    action, text, actor = data["action"], data["text"] or "", request.actor
    item: int | None = data["item"]  # the answered row; none when writing a message
    if action == "melding":
        link = request.build_absolute_uri(reverse("portal:messages"))
        return services.message_send_staff(actor=actor, person=person, body=text, link=link)
    if action == "sperring":
        block_request = (
            selectors.person_block_request(person, item).first() if item is not None else None
        )
        if block_request is None:
            raise services.PortalError(_("Fant ikke ønsket om sperring."))
        return services.block_request_handle(actor=actor, request=block_request, note=text)
    comment = selectors.person_comment(person, item).first() if item is not None else None
    if comment is None:
        raise services.PortalError(_("Fant ikke innspillet."))
    if action == "godta":
        return services.proposal_accept(actor=actor, comment=comment, answer=text)
    if action == "avsla":
        return services.proposal_decline(actor=actor, comment=comment, reason=text)
    return services.comment_answer(actor=actor, comment=comment, answer=text)


SUCCESS = {
    "melding": gettext_lazy("Meldingen er sendt. Innbyggeren får beskjed på e-post."),
    "sperring": gettext_lazy("Ønsket om sperring er merket som behandlet."),
    "godta": gettext_lazy("Målet er tatt inn i planen."),
    "avsla": gettext_lazy("Svaret er sendt."),
    "svar": gettext_lazy("Svaret er sendt."),
}


@staff_required()
@person_view(object_type="citizen_input")
@require_http_methods(["GET", "POST"])
def citizen_input(request: StaffRequest, person: Person) -> HttpResponse:
    error, failed_item, failed_action, typed = "", None, "", ""
    if request.method == "POST":
        form = StaffAnswerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                _act(request, person, data)
            except services.PortalError as exc:
                error = str(exc)
                failed_item, failed_action, typed = data["item"], data["action"], data["text"]
            else:
                messages.success(request, SUCCESS[data["action"]])
                return redirect("portal:staff_citizen_input", person_id=person.pk)
        else:
            error = _("Skjemaet kunne ikke leses. Prøv igjen.")
    else:
        services.messages_mark_read(person=person, sender_kind=SenderKind.CITIZEN)
    context = {
        "person": person,
        "input": selectors.citizen_input(person),
        "error": error,
        "failed_item": failed_item,
        "failed_action": failed_action,
        "typed": typed,
    }
    return render(request, "portal/pages/staff_citizen_input.html", context)


@staff_required()
@audited_view(object_type="citizen_inbox")
@require_GET
def inbox(request: StaffRequest) -> HttpResponseBase:
    staff = request.actor.staff
    rows = selectors.staff_inbox(staff) if staff is not None else Person.objects.none()
    page = csvexport.page_or_all(request, rows)
    return csvexport.render_or_csv(request, "portal/pages/staff_inbox.html", {"page": page})
