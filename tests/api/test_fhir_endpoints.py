"""FHIR R4 over the API: the person's Bundle (guarded like the web) and its import into
another municipality, idempotent; bad bundles are JSON errors."""

from __future__ import annotations

import pytest
from django.test import Client

from mestring.plans.models import IndividualPlan
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.conftest import make_staff
from tests.fhir.helpers import rich_person

pytestmark = pytest.mark.django_db


def test_export_is_guarded_and_import_is_idempotent(world):
    plan = rich_person(world)
    client = Client()
    url = f"/api/persons/{world.person.pk}/fhir/"
    bundle = client.get(url, **bearer(make_token(world.owner))).json()
    assert bundle["resourceType"] == "Bundle"
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "CarePlan", "Goal", "CareTeam", "Encounter", "Observation"} <= kinds
    refused = client.get(url, **bearer(make_token(world.outsider)))
    assert refused.status_code == 403 and "detail" in refused.json()

    other = factories.make_municipality("9002", "Mottakerkommune")
    clerk = make_staff(other, "saksbehandler", "mottaker")
    token = bearer(make_token(clerk))
    first = client.post("/api/fhir/import/", bundle, content_type="application/json", **token)
    assert first.status_code == 200 and first.json()["created"] > 0
    again = client.post("/api/fhir/import/", bundle, content_type="application/json", **token)
    assert again.status_code == 200 and again.json()["created"] == again.json()["updated"] == 0
    assert IndividualPlan.all_objects.filter(municipality=other).count() == 1
    assert plan.municipality_id != other.pk

    bad = client.post(
        "/api/fhir/import/", {"resourceType": "Patient"}, content_type="application/json", **token
    )
    assert bad.status_code == 400 and bad.json()["detail"]
