"""The loan pages: the person's tab and its forms, the store's lists (name, address,
phone and item only, audited), return by scanning, who is refused, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.devices.models import (
    DeviceOrder,
    Inquiry,
    Item,
    ItemStatusChange,
    Loan,
    NavApplication,
)
from tests import factories
from tests.conftest import make_staff
from tests.devices.loan_helpers import DAY, apply_nav, deliver, make_item, order

pytestmark = pytest.mark.django_db


def d(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


@pytest.fixture
def technician(world):
    return make_staff(world.municipality, "hjelpemiddeltekniker", "tekniker")


@pytest.fixture
def reachable(world):
    """world.person with a delivery address and phone."""
    person = world.person
    person.street_address, person.postal_code, person.postal_town = "Storgata 5", "9001", "Byen"
    person.phone = "99887766"
    person.save()
    return person


def test_person_tab_shows_current_loans_history_nav_and_inquiries(world, client_for):
    make_item(world.municipality, "HM-1")
    make_item(world.municipality, "HM-2")
    deliver(world.owner, order(world.owner, world.person, "HM-1"))
    order(world.owner, world.person, "HM-2")
    apply_nav(world.owner, world.person)
    response = client_for(world.owner).get(
        reverse("devices:person_devices", args=[world.person.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "HM-1" in html and "HM-2" in html and "Venter på utlevering" in html
    assert "Elektrisk rullestol" in html and "Sendt" in html


def test_ordering_by_type_from_the_person_page(world, client_for):
    """The person's page orders a type (no item's label): a free item is reserved."""
    item = make_item(world.municipality, "HM-10")
    client = client_for(world.owner)
    url = reverse("devices:loan_create", args=[world.person.pk])
    empty = client.get(url)
    assert empty.status_code == 200
    today = timezone.localdate()
    assert f'value="{d(today)}"' in empty.content.decode()  # dd.mm.åååå, not ISO
    assert "Rullator" in empty.content.decode()
    response = client.post(
        url,
        {
            "device_type": item.device_type_id,
            "ordered_on": d(DAY),
            "expected_return_on": d(DAY + datetime.timedelta(days=60)),
            "decision": "",
            "measure": "",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(
        "devices:person_devices", args=[world.person.pk]
    )
    assert "er bestilt, og HM-10 er reservert" in response.content.decode()
    assert Item.all_objects.get(pk=item.pk).status == "utlant"
    loan = Loan.all_objects.get()
    assert loan.person == world.person
    assert DeviceOrder.all_objects.get().loan == loan


def test_too_long_municipal_loan_points_to_nav_and_keeps_input(world, client_for):
    item = make_item(world.municipality, "HM-11")
    url = reverse("devices:loan_create", args=[world.person.pk])
    response = client_for(world.owner).post(
        url,
        {
            "device_type": item.device_type_id,
            "ordered_on": d(DAY),
            "expected_return_on": d(DAY + datetime.timedelta(days=800)),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kommunen låner bare ut hjelpemidler for behov under to år" in html
    assert reverse("devices:nav_create", args=[world.person.pk]) in html
    assert f'value="{item.device_type_id}" selected' in html
    assert not Loan.all_objects.exists()
    assert not DeviceOrder.all_objects.exists()


def test_bad_input_is_explained_and_kept(world, client_for):
    url = reverse("devices:loan_create", args=[world.person.pk])
    response = client_for(world.owner).post(
        url,
        {"device_type": "", "ordered_on": "31.02.2026", "expected_return_on": "", "note": "Høy"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Datoen må skrives som dd.mm.åååå." in html
    assert "Skriv inn når hjelpemiddelet ventes tilbake." in html
    assert "Velg hvilken type hjelpemiddel som trengs." in html
    assert 'value="Høy"' in html


def test_nav_application_and_delivery_from_the_person_page(world, client_for):
    client = client_for(world.owner)
    response = client.post(
        reverse("devices:nav_create", args=[world.person.pk]),
        {"description": "Personløfter", "sent_on": d(DAY), "nav_reference": "HMS-1"},
    )
    assert response.status_code == 302
    application = NavApplication.all_objects.get()
    url = reverse("devices:nav_status", args=[world.person.pk, application.pk])
    assert client.post(url, {"to_status": "innvilget", "changed_on": d(DAY)}).status_code == 302
    make_item(world.municipality, "type-maker")  # creates the device type "Rullator"
    page = client.get(url).content.decode()
    assert "Merkelapp på hjelpemiddelet fra NAV" in page
    missing = client.post(url, {"to_status": "levert", "changed_on": d(DAY)})
    assert "Skriv inn merkelappen på hjelpemiddelet NAV leverte." in missing.content.decode()
    type_id = Item.all_objects.get(label="type-maker").device_type_id
    response = client.post(
        url,
        {
            "to_status": "levert",
            "changed_on": d(DAY),
            "label": "NAV-55",
            "serial_number": "X1",
            "device_type": type_id,
            "value_nok": "32000",
        },
    )
    assert response.status_code == 302
    loan = Loan.all_objects.get(item__label="NAV-55")
    assert loan.nav_application == application and loan.delivered_on == DAY
    tab = client.get(reverse("devices:person_devices", args=[world.person.pk])).content.decode()
    assert "NAV-55" in tab and "Levert" in tab


def test_inquiry_for_the_person(world, client_for):
    url = reverse("devices:inquiry_create_for_person", args=[world.person.pk])
    response = client_for(world.owner).post(
        url, {"received_on": d(DAY), "topic": "tilrettelegging"}
    )
    assert response.status_code == 302
    assert Inquiry.all_objects.get().person == world.person


def test_technician_sees_delivery_contact_but_not_the_record(
    world, reachable, technician, client_for
):
    make_item(world.municipality, "HM-20")
    order(world.owner, reachable, "HM-20")
    client = client_for(technician)
    before = AuditEvent.all_objects.count()
    response = client.get(reverse("devices:deliveries"))
    html = response.content.decode()
    assert response.status_code == 200
    for shown in ("Skjermesen", "Gunnhild", "Storgata 5", "99887766", "HM-20", "Rullator"):
        assert shown in html
    assert reachable.national_id not in html
    assert AuditEvent.all_objects.count() == before + 1
    assert AuditEvent.all_objects.order_by("-seq").first().object_type == "devices.deliveries"
    for name in ("people:overview", "devices:person_devices"):
        refused = client.get(reverse(name, args=[reachable.pk]))
        assert refused.status_code == 403
        assert b"Storgata" not in refused.content
        event = AuditEvent.all_objects.order_by("-seq").first()
        assert (event.outcome, event.person_id) == ("refused", reachable.pk)


def test_delivering_from_the_list(world, technician, client_for):
    make_item(world.municipality, "HM-21")
    loan = order(world.owner, world.person, "HM-21")
    client = client_for(technician)
    url = reverse("devices:deliveries")
    bad = client.post(url, {"loan": loan.pk, f"l{loan.pk}-delivered_on": "i går"})
    assert "Datoen må skrives som dd.mm.åååå." in bad.content.decode()
    assert 'value="i går"' in bad.content.decode()
    response = client.post(url, {"loan": loan.pk, f"l{loan.pk}-delivered_on": d(DAY)})
    assert response.status_code == 302
    loan.refresh_from_db()
    assert (loan.delivered_on, loan.delivered_by) == (DAY, technician)
    assert client.get(url).context["rows"] == []


def test_return_by_scanning_sends_the_item_to_cleaning(world, technician, client_for):
    item = make_item(world.municipality, "HM-30")
    loan = deliver(world.owner, order(world.owner, world.person, "HM-30"))
    client = client_for(technician)
    url = reverse("devices:return_scan")
    assert client.get(url).status_code == 200
    unknown = client.get(url, {"merkelapp": "HM-99"}).content.decode()
    assert "Ingen åpne utlån" in unknown
    found = client.get(url, {"merkelapp": "HM-30"}).content.decode()
    assert "Skjermesen, Gunnhild" in found and "Registrer retur" in found
    back = DAY + datetime.timedelta(days=10)
    response = client.post(
        url, {"loan": loan.pk, "returned_on": d(back), "condition": "god"}, follow=True
    )
    assert "står i køen for rengjøring" in response.content.decode()
    loan.refresh_from_db()
    assert loan.returned_on == back and loan.received_by == technician
    assert Item.all_objects.get(pk=item.pk).status == "rengjoring"


def test_overdue_and_nav_items_lists(world, reachable, technician, client_for):
    make_item(world.municipality, "HM-40")
    make_item(world.municipality, "HM-41")
    make_item(world.municipality, "NAV-40", owner="nav")
    deliver(world.owner, order(world.owner, reachable, "HM-40", expected=DAY))
    deliver(
        world.owner, order(world.owner, reachable, "HM-41", expected=datetime.date(2026, 12, 31))
    )
    deliver(world.owner, order(world.owner, reachable, "NAV-40"))
    client = client_for(technician)
    overdue = client.get(reverse("devices:overdue")).content.decode()
    assert "HM-40" in overdue and "HM-41" not in overdue and "99887766" in overdue
    nav = client.get(reverse("devices:nav_items")).content.decode()
    assert "NAV-40" in nav and "HM-40" not in nav and "Storgata 5" in nav


def test_inquiries_without_person_counted_per_year(world, technician, client_for):
    client = client_for(technician)
    url = reverse("devices:inquiry_create")
    bad = client.post(url, {"received_on": d(DAY)})
    assert "Velg hva henvendelsen gjelder." in bad.content.decode()
    for day in (DAY, DAY, datetime.date(2025, 5, 1)):
        assert client.post(url, {"received_on": d(day), "topic": "hjelpemiddel"}).status_code == 302
    assert Inquiry.all_objects.filter(person__isnull=True).count() == 3
    listing = client.get(reverse("devices:inquiry_list"))
    assert listing.context["per_year"] == [{"year": 2025, "count": 1}, {"year": 2026, "count": 2}]
    assert 'class="bar"' in listing.content.decode()


@pytest.mark.parametrize(
    "name", ["deliveries", "return_scan", "overdue", "nav_items", "inquiry_list"]
)
def test_each_store_list_is_audited_and_refused_without_permission(
    world, technician, client_for, name
):
    url = reverse(f"devices:{name}")
    before = AuditEvent.all_objects.count()
    assert client_for(technician).get(url).status_code == 200
    assert AuditEvent.all_objects.count() == before + 1
    event = AuditEvent.all_objects.order_by("-seq").first()
    assert (event.action, event.outcome) == ("view", "allowed")
    for staff in (world.outsider, world.owner):
        response = client_for(staff).get(url)
        assert response.status_code == 403


def test_inquiry_create_refused_without_permission(world, client_for):
    response = client_for(world.outsider).post(
        reverse("devices:inquiry_create"), {"received_on": d(DAY), "topic": "annet"}
    )
    assert response.status_code == 403
    assert not Inquiry.all_objects.exists()


@pytest.mark.parametrize("name", ["deliveries", "overdue", "nav_items"])
def test_lists_have_a_fixed_number_of_queries(
    world, technician, client_for, django_assert_max_num_queries, name
):
    client = client_for(technician)
    url = reverse(f"devices:{name}")

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = factories.PersonFactory(municipality=world.municipality)
            make_item(world.municipality, f"Q-{i}", owner="nav" if i % 2 else "kommune")
            loan = order(world.owner, person, f"Q-{i}", expected=DAY + datetime.timedelta(days=5))
            if name != "deliveries":
                deliver(world.owner, loan)

    add(2, 0)
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    add(10, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_an_order_not_delivered_can_be_cancelled(world, client_for):
    item = make_item(world.municipality, "HM-CANCEL")
    loan = order(world.owner, world.person, "HM-CANCEL", on=timezone.localdate())
    url = reverse("devices:loan_cancel", args=[world.person.pk, loan.pk])
    assert client_for(world.outsider).post(url).status_code == 403
    response = client_for(world.owner).post(url, follow=True)
    assert "Bestillingen er avbestilt" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "ledig"
    assert not Loan.all_objects.filter(pk=loan.pk).exists()
    last = ItemStatusChange.all_objects.filter(item=item).order_by("-pk").first()
    assert (last.to_status, last.reason) == ("ledig", "Bestillingen ble avbestilt før utlevering.")
    assert AuditEvent.all_objects.filter(
        action="devices.loan.cancel", object_id=str(loan.pk)
    ).exists()


def test_a_delivered_loan_cannot_be_cancelled(world, client_for):
    make_item(world.municipality, "HM-DELIVERED")
    loan = deliver(world.owner, order(world.owner, world.person, "HM-DELIVERED"))
    url = reverse("devices:loan_cancel", args=[world.person.pk, loan.pk])
    response = client_for(world.owner).post(url, follow=True)
    assert "Registrer retur i stedet" in response.content.decode()
    assert Loan.all_objects.filter(pk=loan.pk, returned_on=None).exists()
