from __future__ import annotations

import re

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent, CareRelation
from mestring.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_owner_sees_overview_with_relatives_and_units(world, client_for):
    factories.RelativeFactory(person=world.person, name="Synne Slektning")
    response = client_for(world.owner).get(reverse("people:overview", args=[world.person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.person.given_name in body
    assert "Synne Slektning" in body


def test_team_member_sees_through_unit_relation(world, client_for):
    response = client_for(world.team_member).get(reverse("people:overview", args=[world.person.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["outsider", "read_only", "caseworker", "admin"])
def test_users_without_relation_are_refused_and_audited(world, client_for, who):
    before = AuditEvent.all_objects.count()
    response = client_for(getattr(world, who)).get(
        reverse("people:overview", args=[world.person.pk])
    )
    assert response.status_code == 403
    assert world.person.given_name not in response.content.decode()
    event = AuditEvent.all_objects.order_by("-seq").first()
    assert AuditEvent.all_objects.count() == before + 1
    assert (event.outcome, event.person_id) == ("refused", world.person.pk)


def test_refusal_is_the_same_for_missing_and_existing_persons(world, client_for):
    client = client_for(world.outsider)
    existing = client.get(reverse("people:overview", args=[world.person.pk]))
    missing = client.get(reverse("people:overview", args=[999999]))
    garbage = client.get("/personer/abc/")
    assert existing.status_code == missing.status_code == garbage.status_code == 403

    def normalised(content: bytes) -> bytes:
        # The CSRF token varies, and the emergency link echoes the id that was asked for.
        content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
        return re.sub(rb"/personer/[^/]+/nodtilgang/", b"/personer/ID/nodtilgang/", content)

    pages = {normalised(r.content) for r in (existing, missing, garbage)}
    assert len(pages) == 1


def test_expired_relation_no_longer_gives_access(world, client_for):
    CareRelation.all_objects.filter(staff=world.owner).update(valid_to="2000-01-01T00:00Z")
    response = client_for(world.owner).get(reverse("people:overview", args=[world.person.pk]))
    assert response.status_code == 403


def test_search_by_name_birth_date_and_number(world, client_for):
    client = client_for(world.caseworker)
    person = world.person
    for query in (
        person.family_name,
        person.birth_date.strftime("%d.%m.%Y"),
        person.national_id,
    ):
        response = client.get(reverse("people:search"), {"q": query})
        assert response.status_code == 200
        assert reverse("people:overview", args=[person.pk]) in response.content.decode()


def test_search_paginates_and_sorts(world, client_for):
    for index in range(30):
        factories.PersonFactory(
            municipality=world.municipality, family_name="Sortesen", given_name=f"Navn{index:02d}"
        )
    client = client_for(world.caseworker)
    first = client.get(reverse("people:search"), {"q": "Sortesen", "sort": "navn"})
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    names = [p.given_name for p in first.context["page"].object_list]
    assert names == sorted(names)
    second = client.get(reverse("people:search"), {"q": "Sortesen", "sort": "navn", "side": 2})
    assert len(second.context["page"].object_list) == 5
    descending = client.get(reverse("people:search"), {"q": "Sortesen", "sort": "-navn"})
    assert descending.context["page"].object_list[0].given_name == "Navn29"


def test_search_query_count_does_not_grow_with_results(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.caseworker)
    factories.PersonFactory(municipality=world.municipality, family_name="Telling")
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("people:search"), {"q": "Telling"})
    for _ in range(20):
        factories.PersonFactory(municipality=world.municipality, family_name="Telling")
    with django_assert_max_num_queries(20) as large:
        client.get(reverse("people:search"), {"q": "Telling"})
    assert len(small.captured_queries) == len(large.captured_queries)


def test_register_person_keeps_input_on_error_and_refuses_duplicates(world, client_for):
    client = client_for(world.caseworker)
    data = {
        "given_name": "Tone",
        "family_name": "Testesen",
        "birth_date": "31.02.1950",
        "national_id": world.person.national_id,
        "preferred_language": "norsk",
        "language_form": "nb",
    }
    response = client.post(reverse("people:register"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Testesen"' in body
    assert "Fødselsdatoen må skrives som dd.mm.åååå." in body
    assert "Det finnes allerede en person med dette nummeret i kommunen." in body
    assert not Person.all_objects.filter(family_name="Testesen").exists()


def test_register_person_gives_registrar_access(world, client_for):
    client = client_for(world.caseworker)
    data = {
        "given_name": "Tone",
        "family_name": "Testesen",
        "birth_date": "01.02.1950",
        "national_id": "",
        "preferred_language": "norsk",
        "language_form": "nb",
    }
    response = client.post(reverse("people:register"), data)
    person = Person.all_objects.get(family_name="Testesen")
    assert response.status_code == 302
    assert client.get(reverse("people:overview", args=[person.pk])).status_code == 200
    assert AuditEvent.all_objects.filter(person=person, action="create").count() == 1


def test_outsider_cannot_register_or_search_without_permission(world, client_for):
    client = client_for(world.read_only)
    assert client.get(reverse("people:search"), {"q": "x"}).status_code == 403
    assert client.get(reverse("people:register")).status_code == 403


DUPLICATE_REF = "Det finnes allerede en person med denne referansen i kommunen."


def _person_post(person: Person | None = None, **extra: str) -> dict[str, str]:
    data = {
        "given_name": "Tone",
        "family_name": "Testesen",
        "birth_date": "01.02.1950",
        "national_id": "",
        "preferred_language": "norsk",
        "language_form": "nb",
    }
    if person is not None:
        data.update(
            given_name=person.given_name,
            family_name=person.family_name,
            birth_date=person.birth_date.strftime("%d.%m.%Y"),
            national_id=person.national_id,
        )
    return data | extra


@pytest.mark.attack
def test_duplicate_person_reference_on_register_is_a_form_error(world, client_for):
    """(L3) Registering a person with a reference another person has: a form error in
    Norwegian on the reference field, not a 500."""
    world.person.person_ref = "REF-0001"
    world.person.save()
    client = client_for(world.caseworker)
    response = client.post(reverse("people:register"), _person_post(person_ref=" REF-0001 "))
    assert response.status_code == 200
    body = response.content.decode()
    assert DUPLICATE_REF in body
    assert 'value="Testesen"' in body
    assert not Person.all_objects.filter(family_name="Testesen").exists()


@pytest.mark.attack
def test_duplicate_person_reference_on_edit_is_a_form_error(world, client_for):
    """(L3) Giving a person the reference of another: a form error, not a 500; the
    person's own reference may be kept as it is."""
    other = factories.PersonFactory(municipality=world.municipality, person_ref="REF-0002")
    client = client_for(world.owner)
    url = reverse("people:edit", args=[world.person.pk])
    response = client.post(url, _person_post(world.person, person_ref="REF-0002"))
    assert response.status_code == 200
    assert DUPLICATE_REF in response.content.decode()
    world.person.refresh_from_db()
    assert world.person.person_ref != other.person_ref
    response = client.post(url, _person_post(world.person, person_ref="REF-0003"))
    assert response.status_code == 302
    response = client.post(url, _person_post(world.person, person_ref="REF-0003"))
    assert response.status_code == 302


@pytest.mark.attack
def test_duplicate_person_reference_in_a_race_is_refused_by_the_service(world):
    """(L3) When the form's check is passed by a concurrent save, the service still
    answers with a clear refusal instead of a database error."""
    from mestring.access.actor import Actor
    from mestring.register import services
    from mestring.tenancy.context import activate

    world.person.person_ref = "REF-0004"
    world.person.save()
    actor = Actor(
        municipality=world.municipality,
        user=world.caseworker.user,
        staff=world.caseworker,
        role_codes=("saksbehandler",),
        permissions=frozenset(),
    )
    data = {
        "given_name": "Tone",
        "family_name": "Testesen",
        "birth_date": world.person.birth_date,
        "person_ref": "REF-0004",
    }
    with activate(world.municipality), pytest.raises(services.DuplicatePersonRef) as caught:
        services.person_register(actor=actor, data=data)
    assert caught.value.field == "person_ref"
    assert str(caught.value) == DUPLICATE_REF
    other = factories.PersonFactory(municipality=world.municipality)
    with activate(world.municipality), pytest.raises(services.DuplicatePersonRef):
        services.person_update(actor=actor, person=other, data={"person_ref": "REF-0004"})


@pytest.mark.attack
def test_duplicate_person_reference_through_the_api_is_a_field_error(world, client):
    """(L3) The API's person create and change answer a taken reference with a field
    error, not a 500."""
    from tests.api.helpers import bearer, make_token

    world.person.person_ref = "REF-0005"
    world.person.save()
    raw = make_token(world.caseworker)
    payload = {
        "given_name": "Ny",
        "family_name": "Person",
        "birth_date": "1950-03-04",
        "person_ref": "REF-0005",
    }
    response = client.post(
        "/api/persons/", data=payload, content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "person_ref", "message": DUPLICATE_REF}]
    factories.grant_relation(world.caseworker, world.person)
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.caseworker, other)
    response = client.patch(
        f"/api/persons/{other.pk}/",
        data={"person_ref": "REF-0005"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"field": "person_ref", "message": DUPLICATE_REF}]
