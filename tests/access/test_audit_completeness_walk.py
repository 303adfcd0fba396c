"""Audit completeness over every person URL, sub-objects included: requests against rows.

Every person URL (found from the URL configuration, with an object of each kind of the
person, tests/person_ids.py) is opened by the person's coordinator, by a colleague
without a relation, and by a user of another municipality. Each response that the guard
audits (every refusal, every audited view) must leave exactly one row, naming the person
when the user could see them; nothing else may write one. The figures are printed
(`-s`): requests, audited responses, rows.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from mestring.access.models import AuditEvent
from tests import factories
from tests.conftest import World, built_once, login
from tests.person_ids import make_person_ids, url_for
from tests.urlwalk import person_routes

pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]


@pytest.fixture(scope="module")
def setting(module_world, django_db_blocker):
    def build():
        other = factories.make_municipality("9002", "Nabokommune")
        stranger = factories.StaffFactory(municipality=other, user__username="nabo")
        factories.give_role(stranger, "koordinator")
        return make_person_ids(module_world), stranger

    yield from built_once(django_db_blocker, build)


def _expected_rows(url: str, status: int) -> int:
    func = resolve(url).func
    if getattr(func, "person_guard_exempt", False):
        return 0  # emergency access's form: nothing about the person is shown
    if status == 405:
        return 0  # a POST-only view: nothing was asked of the person
    if status in (403, 404):
        return 1  # a refusal, or an object that is not the person's, is logged
    return 1 if getattr(func, "audited", False) else 0


def test_every_person_url_leaves_one_row_per_audited_response(module_world: World, setting):
    ids, stranger = setting
    users = {
        "owner": login(Client(), module_world.owner),
        "outsider": login(Client(), module_world.outsider),
        "other_municipality": login(Client(), stranger),
    }
    requests = audited = 0
    rows_before = AuditEvent.all_objects.count()
    for name, client in users.items():
        for route in person_routes():
            url = url_for(route, ids)
            before = AuditEvent.all_objects.count()
            response = client.get(url)
            requests += 1
            expected = _expected_rows(url, response.status_code)
            new_rows = list(AuditEvent.all_objects.order_by("seq")[before:])
            assert len(new_rows) == expected, (name, url, response.status_code, len(new_rows))
            audited += expected
            if name == "owner" and expected:
                assert new_rows[0].person_id == module_world.person.pk, url
    rows = AuditEvent.all_objects.count() - rows_before
    print(f"\naudit completeness: {requests} requests, {audited} audited responses, {rows} rows")
    assert rows == audited
    assert requests >= 3 * 60
