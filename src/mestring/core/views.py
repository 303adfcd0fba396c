from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse


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
