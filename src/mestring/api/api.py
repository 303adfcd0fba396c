"""The NinjaAPI instance: `/api/`, its OpenAPI document and its documentation page."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from mestring.api import errors
from mestring.api.auth import TokenAuth


class LocalSwagger(DocsBase):
    """Swagger UI from our own static files, started by a script file (strict CSP)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        context = {"api": api, "swagger_settings": json.dumps(settings)}
        return render(request, "api/docs.html", context)


api = NinjaAPI(
    title="Mestring API",
    version="1",
    description=(
        "REST-grensesnittet til Mestring. Bruk en personlig API-nøkkel: "
        "`Authorization: Bearer mst_…`. Nøkkelen er bundet til én ansatt i én kommune og har "
        "tilganger (scopes) per område. Personopplysninger krever tjenstlig behov som i "
        "nettløsningen, og hver forespørsel logges. Feil er JSON: "
        '`{"detail": "…", "errors": [{"field": "…", "message": "…"}]}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)


def _routers() -> None:
    from mestring.api.routers import (
        cases,
        decisions,
        devices,
        fhir,
        institutions,
        outcomes,
        persons,
        plans,
        referrals,
        rehab,
        teams,
    )

    api.add_router("/persons/", persons.router)
    api.add_router("/persons/", referrals.person_router)
    api.add_router("/persons/", cases.router)
    api.add_router("/persons/", decisions.router)
    api.add_router("/persons/", plans.router)
    api.add_router("/referrals/", referrals.inbox_router)
    api.add_router("/persons/", fhir.person_router)
    api.add_router("/fhir/", fhir.import_router)
    # Each module's router holds its own paths (per person and, where the web has a
    # work list, across persons), so they are mounted at the root.
    for module in (teams, rehab, outcomes, institutions, devices):
        api.add_router("/", module.router)


_routers()
