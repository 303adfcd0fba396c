from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_menu_sections_show_only_permitted_links(world, client_for):
    admin = client_for(world.admin)
    page = admin.get(reverse("core:hub", args=["administrasjon"]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("people:unit_list") in body and reverse("access:role_list") in body
    # Every staff member has the citizens' inbox (filled only by their own care
    # relations), but none of the office's work lists without the permission.
    work = admin.get(reverse("core:hub", args=["arbeidslister"])).content.decode()
    assert reverse("portal:staff_inbox") in work and reverse("referrals:inbox") not in work
    home = admin.get(reverse("core:home")).content.decode()
    assert reverse("core:hub", args=["administrasjon"]) in home
    assert reverse("core:hub", args=["oversikter"]) not in home


def test_caseworker_sees_work_lists_not_administration(world, client_for):
    client = client_for(world.caseworker)
    page = client.get(reverse("core:hub", args=["arbeidslister"]))
    body = page.content.decode()
    assert reverse("referrals:inbox") in body and reverse("catalogue:waiting_list") in body
    assert reverse("plans:coordinator_list") not in body
    assert client.get(reverse("core:hub", args=["administrasjon"])).status_code == 404
    assert client.get(reverse("core:hub", args=["ukjent"])).status_code == 404
