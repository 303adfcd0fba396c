from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from mestring.access import selectors as access_selectors
from mestring.access.permissions import ACCESS_REVIEW, PERSON_REGISTER
from mestring.casework import selectors as casework_selectors
from mestring.core.decorators import staff_required
from mestring.core.hubs import HUBS
from mestring.people.forms import PersonSearchForm
from mestring.referrals import selectors as referral_selectors
from mestring.teams import selectors as team_selectors


@staff_required()
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what waits for this user, in counts (no person data)."""
    actor = request.actor
    today = timezone.localdate()
    waiting = {
        "follow_ups": team_selectors.open_follow_ups_for_staff(actor.staff, today).count(),
        "my_persons": access_selectors.staff_relations(actor.staff).count(),
    }
    if actor.has_perm(PERSON_REGISTER):
        waiting["messages"] = referral_selectors.waiting_count()
        waiting["cases_overdue"] = casework_selectors.overdue_count()
    if actor.has_perm(ACCESS_REVIEW):
        waiting["reviews"] = access_selectors.open_emergency_reviews().count()
        waiting["relation_reviews"] = access_selectors.relations_awaiting_review().count()
    context = {"search_form": PersonSearchForm(), "waiting": waiting}
    return render(request, "core/home.html", context)


@staff_required()
def hub(request: HttpRequest, slug: str) -> HttpResponse:
    """A menu section: the links this user may use, with a line about each."""
    section = HUBS.get(slug)
    links = section.visible_links(request.actor) if section else []
    if not links:
        raise Http404
    return render(request, "core/hub.html", {"hub": section, "links": links})


def health(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the database answers and no migration is pending."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        return JsonResponse({"status": "error", "database": False}, status=503)
    if pending:
        return JsonResponse({"status": "error", "database": True, "migrations": False}, status=503)
    return JsonResponse({"status": "ok", "database": True, "migrations": True})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The same page whatever the reason; on a person's page, the way to emergency access."""
    match = getattr(request, "resolver_match", None)
    person_id = match.kwargs.get("person_id") if match else None
    emergency_url = None
    if person_id is not None and getattr(request, "actor", None) is not None:
        emergency_url = reverse("access:emergency", kwargs={"person_id": person_id})
    return render(request, "403.html", {"emergency_url": emergency_url}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)
