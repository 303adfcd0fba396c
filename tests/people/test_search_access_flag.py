"""The person search marks access for the persons shown only: the flag must
still be right for each person, on every page, and the name order must not change."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import CareRelation
from mestring.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def _search(client, **params):
    response = client.get(reverse("people:search"), params)
    assert response.status_code == 200
    return response


def test_access_flag_per_person_on_the_page(world, client_for):
    m = world.municipality
    own, by_unit, ended, none = (
        factories.PersonFactory(municipality=m, family_name="Flaggesen", given_name=name)
        for name in ("Anne", "Berit", "Cato", "Dag")
    )
    factories.grant_relation(world.caseworker, own)
    unit = factories.UnitFactory(municipality=m, name="Flaggenheten")
    world.caseworker.units.add(unit)
    CareRelation.all_objects.create(
        municipality=m,
        person=by_unit,
        unit=unit,
        kind="tjenesteyter",
        reason="Test",
        valid_from=timezone.now() - datetime.timedelta(days=1),
    )
    factories.grant_relation(
        world.caseworker, ended, valid_to=timezone.now() - datetime.timedelta(hours=1)
    )
    # Another staff member's relation does not count for the caseworker.
    factories.grant_relation(world.owner, none)
    response = _search(client_for(world.caseworker), q="Flaggesen")
    flags = {p.given_name: p.has_access for p in response.context["page"].object_list}
    assert flags == {"Anne": True, "Berit": True, "Cato": False, "Dag": False}
    assert response.content.decode().count("Tjenstlig behov") == 2


def test_access_flag_on_a_later_page(world, client_for):
    persons = [
        factories.PersonFactory(
            municipality=world.municipality, family_name="Sidesen", given_name=f"N{i:02d}"
        )
        for i in range(27)
    ]
    factories.grant_relation(world.caseworker, persons[-1])
    client = client_for(world.caseworker)
    first = _search(client, q="Sidesen")
    assert not any(p.has_access for p in first.context["page"].object_list)
    second = _search(client, q="Sidesen", side=2)
    flags = [(p.given_name, p.has_access) for p in second.context["page"].object_list]
    assert flags == [("N25", False), ("N26", True)]


def test_name_order_is_the_columns_order(world, client_for):
    """The sort key hides the name index from the planner but sorts like the column:
    family name, given name, birth date, id, both ways."""
    m = world.municipality
    for family, given, born in (
        ("Ordensen", "Bjørn", datetime.date(1980, 1, 1)),
        ("Ordensen", "Anne", datetime.date(1990, 1, 1)),
        ("Ordensen", "Anne", datetime.date(1970, 1, 1)),
        ("Ordensenberg", "Cecilie", datetime.date(1960, 1, 1)),
        ("Kari", "Ordensen", datetime.date(1950, 1, 1)),
    ):
        factories.PersonFactory(
            municipality=m, family_name=family, given_name=given, birth_date=born
        )
    rows = [
        (p.family_name, p.given_name, p.birth_date, p.pk)
        for p in Person.all_objects.filter(municipality=m)
        if p.family_name.upper().startswith("ORDENSEN")
        or p.given_name.upper().startswith("ORDENSEN")
    ]
    expected = [row[3] for row in sorted(rows)]
    client = client_for(world.caseworker)
    ascending = _search(client, q="ordensen", sort="navn")
    assert [p.pk for p in ascending.context["page"].object_list] == expected
    descending = _search(client, q="ordensen", sort="-navn")
    assert [p.pk for p in descending.context["page"].object_list] == expected[::-1]


def test_staff_without_search_permission_is_refused(world, client_for):
    factories.PersonFactory(municipality=world.municipality, family_name="Flaggesen")
    assert (
        client_for(world.read_only).get(reverse("people:search"), {"q": "Flaggesen"}).status_code
        == 403
    )
