"""Every audited response writes exactly one audit row; person pages name the person.

A run of requests by users of each kind (owner, team member through the unit,
read-only, outsider, caseworker, administrator, emergency user) over every person
page and the lists that show persons. For each response the test knows from the view
whether it is audited (the guard marks its views) and checks the row count itself.
"""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from mestring.access.models import AuditEvent
from tests.urlwalk import person_routes

pytestmark = pytest.mark.django_db


def is_audited(url: str, data: dict[str, str], status: int) -> bool:
    if status == 403:
        return True  # every refusal is logged
    if getattr(resolve(url).func, "audited", False):
        return True
    return url.startswith(reverse("people:search")) and bool(data.get("q"))


def test_one_row_per_audited_response(world, client_for):
    person_pages = [
        reverse(route.name, args=[world.person.pk])
        for route in person_routes()
        if route.params == ("person_id",) and route.name != "access:emergency"
    ]
    users = {
        name: client_for(getattr(world, name))
        for name in ("owner", "team_member", "read_only", "outsider", "caseworker", "admin")
    }
    requests = []
    for name, client in users.items():
        for url in [*person_pages, reverse("core:home"), reverse("access:my_persons")]:
            requests.append((name, client, "get", url, {}))
        requests.append((name, client, "get", reverse("people:search"), {"q": "Skjermesen"}))
    owner = users["owner"]
    requests += [
        (
            "owner",
            owner,
            "post",
            reverse("people:relative_add", args=[world.person.pk]),
            {"name": "Ny Pårørende", "relation": "barn"},
        ),
        (
            "owner",
            owner,
            "post",
            reverse("people:relative_add", args=[world.person.pk]),
            {"name": ""},
        ),  # a form shown again with errors is a read
        (
            "outsider",
            users["outsider"],
            "post",
            reverse("access:emergency", args=[world.person.pk]),
            {"reason": "akutt_helsehjelp", "explanation": "Legevakt"},
        ),
        (
            "outsider",
            users["outsider"],
            "get",
            reverse("people:overview", args=[world.person.pk]),
            {},
        ),
    ]

    audited_responses = 0
    total_rows_before = AuditEvent.all_objects.count()
    for name, client, method, url, data in requests:
        before = AuditEvent.all_objects.count()
        response = getattr(client, method)(url, data)
        new_rows = list(AuditEvent.all_objects.order_by("pk")[before:])
        expected = 1 if is_audited(url, data, response.status_code) else 0
        if url.endswith("/nodtilgang/"):
            expected = 1  # the emergency access itself is the audited event
        assert len(new_rows) == expected, (name, method, url, response.status_code, len(new_rows))
        audited_responses += expected
        if resolve(url).func.__dict__.get("person_guarded") or url.endswith("/nodtilgang/"):
            assert all(row.person_id == world.person.pk for row in new_rows), (name, url)
    total_new = AuditEvent.all_objects.count() - total_rows_before
    print(f"audit completeness: {len(requests)} requests, {audited_responses} audited,", end=" ")
    print(f"{total_new} new rows")
    assert total_new == audited_responses
    assert audited_responses >= 40
    assert (
        not AuditEvent.all_objects.filter(
            object_type__in=["person", "relative", "consents", "care_relations", "access_log"],
            person__isnull=True,
        )
        .exclude(outcome="refused", object_id="")
        .exists()
    )
