"""(I6) The person search keeps identity numbers out of addresses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.attack
def test_search_by_identity_number_keeps_the_number_out_of_the_url(world, client_for):
    """(I6) The search form is posted: a search by identity number is answered without
    the number ever standing in an address (no redirect, no pushed URL, no GET form)."""
    client = client_for(world.caseworker)
    number = world.person.national_id
    url = reverse("people:search")
    page = client.get(url).content.decode()
    form = page[page.index('<form role="search"') :]
    form = form[: form.index(">")]
    assert 'method="post"' in form and "hx-get" not in form and "hx-push-url" not in form
    response = client.post(url, {"q": number})
    assert response.status_code == 200
    assert "1 person funnet." in response.content.decode()
    assert AuditEvent.all_objects.filter(object_type="person_search").exists()
    # htmx as the user types: the results, and an address without the number.
    partial = client.post(url, {"q": number}, HTTP_HX_REQUEST="true")
    assert "1 person funnet." in partial.content.decode()
    assert partial["HX-Push-Url"] == url
    # The start page's search form posts too.
    home = client.get(reverse("core:home")).content.decode()
    home_form = home[home.index('<form role="search"') :]
    assert 'method="post"' in home_form[: home_form.index(">")]


def test_search_by_name_still_works_and_goes_on_to_a_linkable_address(world, client_for):
    client = client_for(world.caseworker)
    url = reverse("people:search")
    response = client.post(url, {"q": "Skjermesen", "sort": "-navn"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?q=Skjermesen&sort=-navn"
    assert "1 person funnet." in client.get(response["Location"]).content.decode()
    partial = client.post(url, {"q": "Skjermesen"}, HTTP_HX_REQUEST="true")
    assert "1 person funnet." in partial.content.decode()
    assert partial["HX-Push-Url"] == f"{url}?q=Skjermesen"
