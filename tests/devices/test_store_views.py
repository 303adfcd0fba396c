"""Store pages: the technician works there, staff without DEVICES_MANAGE are refused,
the scanner search and the cleaning queue work as plain forms, bad input keeps what
was typed, junk ids and params never give a 500, lists have fixed query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent
from mestring.devices.models import (
    DeviceType,
    Item,
    ItemStatus,
    ItemStatusChange,
    Loan,
    RepairOrder,
    Store,
    StoreRoom,
)
from mestring.devices.services.status import item_status_change
from mestring.tenancy.context import activate
from tests import factories
from tests.devices.store_helpers import (
    DAY,
    actor_for,
    make_catalogue,
    make_item,
    make_technician,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech(world):
    return make_technician(world.municipality)


@pytest.fixture
def cat(world):
    return make_catalogue(world.municipality)


@pytest.fixture
def tech_client(tech, client_for):
    return client_for(tech)


@pytest.fixture
def item(tech, cat):
    return make_item(tech, cat.rullator, "HM-000123", room=cat.main_room, serial="SN-77")


def _cleaning(tech, item):
    with activate(item.municipality):
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.ON_LOAN)
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.CLEANING)
    return item


def all_urls(item, cat):
    with activate(item.municipality):
        repair = RepairOrder.objects.create(item=item, opened_on=DAY, description="x")
    return [
        reverse("devices:item_list"),
        reverse("devices:item_create"),
        reverse("devices:stock"),
        reverse("devices:cleaning_queue"),
        reverse("devices:repair_list"),
        reverse("devices:item_detail", args=[item.pk]),
        reverse("devices:item_edit", args=[item.pk]),
        reverse("devices:item_discard", args=[item.pk]),
        reverse("devices:repair_create", args=[item.pk]),
        reverse("devices:repair_close", args=[item.pk, repair.pk]),
        reverse("devices:type_list"),
        reverse("devices:type_create"),
        reverse("devices:type_edit", args=[cat.rullator.pk]),
        reverse("devices:store_list"),
        reverse("devices:store_create"),
        reverse("devices:store_edit", args=[cat.store.pk]),
        reverse("devices:room_create", args=[cat.store.pk]),
    ]


def test_technician_opens_every_store_page(tech_client, item, cat):
    for url in all_urls(item, cat):
        response = tech_client.get(url)
        assert response.status_code == 200, url
        assert b"Content-Security-Policy" not in response.content


@pytest.mark.parametrize("who", ["read_only", "team_member", "outsider", "owner", "admin"])
def test_staff_without_devices_manage_are_refused(world, client_for, item, cat, who):
    client = client_for(getattr(world, who))
    for url in all_urls(item, cat):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "X", "label": "HM-9"}).status_code == 403, url
    assert client.post(reverse("devices:item_cleaned", args=[item.pk])).status_code == 403
    assert DeviceType.all_objects.count() == 2 and Item.all_objects.count() == 1
    refused = AuditEvent.all_objects.filter(outcome="refused", object_type="page")
    assert refused.exists()


def test_anonymous_is_sent_to_login(client, item):
    response = client.get(reverse("devices:item_list"))
    assert response.status_code == 302 and "logg-inn" in response["Location"]


def test_junk_ids_and_params_never_500(tech_client, item, cat):
    for url in [
        "/hjelpemidler/999999/",
        "/hjelpemidler/99999999999999999999999/",
        "/hjelpemidler/999999/endre/",
        "/hjelpemidler/999999/kasser/",
        "/hjelpemidler/999999/reparasjon/ny/",
        f"/hjelpemidler/{item.pk}/reparasjon/999999/ferdig/",
        "/admin/hjelpemidler/typer/999999/",
        "/admin/hjelpemidler/lagre/999999/",
        "/admin/hjelpemidler/lagre/999999/rom/ny/",
    ]:
        assert tech_client.get(url).status_code == 404, url
        assert tech_client.post(url, {}).status_code in (404, 405), url
    assert tech_client.post("/hjelpemidler/999999/rengjort/").status_code == 404
    assert tech_client.get("/hjelpemidler/abc/").status_code == 404
    listing = reverse("devices:item_list")
    for params in [
        {"status": "tull", "type": "abc", "lager": "-1", "side": "x"},
        {"type": "99999999999999999999999", "side": "99999"},
        {"q": "\x00" * 3},
        {"q": "a" * 5000},
    ]:
        assert tech_client.get(listing, params).status_code == 200, params
    for url in ["devices:cleaning_queue", "devices:repair_list", "devices:type_list"]:
        assert tech_client.get(reverse(url), {"side": "-3"}).status_code == 200
    # Wrong methods
    assert tech_client.post(reverse("devices:stock")).status_code == 405
    assert tech_client.get(reverse("devices:item_cleaned", args=[item.pk])).status_code == 405


def test_scanner_search_jumps_to_the_item(tech_client, item, cat, tech):
    make_item(tech, cat.rullator, "HM-000124")
    url = reverse("devices:item_list")
    response = tech_client.get(url, {"q": "HM-000123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:item_detail", args=[item.pk])
    # Case and the scanner's stray whitespace do not matter.
    assert tech_client.get(url, {"q": " hm-000123 "})["Location"].endswith(f"/{item.pk}/")
    # A part of a label lists the matches; serial numbers are searched too.
    partial = tech_client.get(url, {"q": "HM-0001"})
    assert partial.status_code == 200
    assert partial.context["page"].paginator.count == 2
    by_serial = tech_client.get(url, {"q": "sn-77"})
    assert [i.pk for i in by_serial.context["page"].object_list] == [item.pk]
    html = tech_client.get(url).content.decode()
    assert 'type="search" id="id_q" name="q"' in html and "autofocus" in html


def test_item_list_filters(tech_client, tech, cat, item):
    chair = make_item(tech, cat.rullestol, "HM-2", room=cat.other_room)
    _cleaning(tech, make_item(tech, cat.rullator, "HM-3", room=cat.cellar))
    url = reverse("devices:item_list")

    def labels(**params):
        page = tech_client.get(url, params).context["page"]
        return sorted(i.label for i in page.object_list)

    assert labels() == ["HM-000123", "HM-2", "HM-3"]
    assert labels(status="rengjoring") == ["HM-3"]
    assert labels(type=cat.rullestol.pk) == ["HM-2"]
    assert labels(lager=cat.store.pk) == ["HM-000123", "HM-3"]
    assert labels(lager=cat.other_store.pk, type=cat.rullestol.pk) == [chair.label]


def test_item_list_query_count_is_fixed(tech_client, tech, cat, django_assert_max_num_queries):
    for number in range(30):
        room = [cat.main_room, cat.cellar, cat.other_room, None][number % 4]
        make_item(tech, [cat.rullator, cat.rullestol][number % 2], f"HM-{number:04d}", room=room)
    url = reverse("devices:item_list")
    with django_assert_max_num_queries(16):
        response = tech_client.get(url)
    assert len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(16):
        tech_client.get(url, {"status": "ledig", "lager": cat.store.pk})


def test_stock_counts_and_low_stock(tech_client, tech, cat, django_assert_max_num_queries):
    for number in range(4):
        make_item(tech, cat.rullator, f"R-{number}", room=cat.main_room)
    make_item(tech, cat.rullator, "R-9", room=cat.other_room)
    make_item(tech, cat.rullestol, "S-1", room=None)
    _cleaning(tech, Item.all_objects.get(label="R-0"))
    on_loan = Item.all_objects.get(label="R-1")
    gone = Item.all_objects.get(label="R-2")
    with activate(on_loan.municipality):
        item_status_change(actor=actor_for(tech), item=on_loan, to_status=ItemStatus.ON_LOAN)
        item_status_change(actor=actor_for(tech), item=gone, to_status=ItemStatus.DISCARDED)
    with django_assert_max_num_queries(14):
        response = tech_client.get(reverse("devices:stock"))
    stores = response.context["stores"]
    assert [s.name for s in stores] == ["Hjelpemiddellageret", "Lager sykehjemmet", ""]
    main = stores[0].rows[0]
    assert (main.type_name, main.available, main.on_loan, main.cleaning, main.total) == (
        "Rullator",
        1,
        1,
        1,
        3,
    )
    assert stores[1].rows[0].available == 1
    assert stores[2].rows[0].type_name == "Rullestol"
    # Rullator: 2 available in all, threshold 3 -> warning; Rullestol has no threshold.
    assert [t.name for t in response.context["low_stock"]] == ["Rullator"]
    html = response.content.decode()
    assert "Lite på lager" in html and "Uten lagerplass" in html
    for number in range(5, 12):
        make_item(tech, cat.rullestol, f"S-{number}", room=cat.cellar)
    with django_assert_max_num_queries(14):
        tech_client.get(reverse("devices:stock"))


def test_cleaning_queue_button_and_scanner(tech_client, tech, cat, django_assert_max_num_queries):
    first = _cleaning(tech, make_item(tech, cat.rullator, "HM-1", room=cat.main_room))
    second = _cleaning(tech, make_item(tech, cat.rullator, "HM-2"))
    make_item(tech, cat.rullator, "HM-3")
    url = reverse("devices:cleaning_queue")
    with django_assert_max_num_queries(14):
        page = tech_client.get(url)
    assert [i.label for i in page.context["page"].object_list] == ["HM-1", "HM-2"]
    html = page.content.decode()
    assert 'name="label"' in html and "autofocus" in html
    assert f'action="{reverse("devices:item_cleaned", args=[first.pk])}"' in html
    # The button in the row.
    response = tech_client.post(reverse("devices:item_cleaned", args=[first.pk]), follow=True)
    assert response.redirect_chain[-1][0] == url
    assert "er rengjort og ledig" in response.content.decode()
    first.refresh_from_db()
    assert first.status == ItemStatus.AVAILABLE
    # Pressing it again is refused with a message, not a 500.
    again = tech_client.post(reverse("devices:item_cleaned", args=[first.pk]), follow=True)
    assert "venter ikke på rengjøring" in again.content.decode()
    # The scanner field: an unknown label keeps what was typed and says so.
    bad = tech_client.post(url, {"label": "HM-404"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Fant ikke noe hjelpemiddel med merkelappen «HM-404»" in html
    assert 'value="HM-404"' in html
    empty = tech_client.post(url, {"label": ""})
    assert "Skann eller skriv merkelappen" in empty.content.decode()
    scanned = tech_client.post(url, {"label": "HM-2"})
    assert scanned.status_code == 302 and scanned["Location"] == url
    second.refresh_from_db()
    assert second.status == ItemStatus.AVAILABLE
    changes = ItemStatusChange.all_objects.filter(item=second).order_by("pk")
    assert changes.last().changed_by == tech.user
    with django_assert_max_num_queries(14):
        tech_client.get(url)


def test_item_create_keeps_input_and_refuses_a_taken_label(tech_client, cat, item):
    url = reverse("devices:item_create")
    data = {
        "device_type": cat.rullator.pk,
        "label": "HM-000123",
        "serial_number": "ABC-1",
        "room": cat.cellar.pk,
        "value_nok": "12,5x",
        "owner": "kommune",
        "acquired_on": "31.02.2025",
        "note": "Ny",
    }
    response = tech_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "allerede brukt på et annet hjelpemiddel" in html
    assert "Skriv beløpet som et tall" in html
    assert "Datoen må skrives som dd.mm.åååå." in html
    assert 'value="ABC-1"' in html and 'value="12,5x"' in html
    assert Item.all_objects.count() == 1
    good = {**data, "label": "HM-000200", "value_nok": "4 500,50", "acquired_on": "01.02.2025"}
    good["value_nok"] = "4500,50"
    response = tech_client.post(url, good)
    created = Item.all_objects.get(label="HM-000200")
    assert response["Location"] == reverse("devices:item_detail", args=[created.pk])
    assert created.value_nok == 4500.5 and created.room == cat.cellar
    assert created.acquired_on == datetime.date(2025, 2, 1)
    again = tech_client.post(url, {**good, "label": "HM-000201", "ny_til": "1"})
    assert again["Location"] == url


def test_item_detail_shows_history_loans_and_repairs(world, tech_client, tech, item):
    with activate(world.municipality):
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.ON_LOAN)
        Loan.objects.create(
            item=item,
            person=world.person,
            ordered_on=DAY,
            delivered_on=DAY,
            returned_on=DAY + datetime.timedelta(days=30),
        )
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.CLEANING)
        RepairOrder.objects.create(
            item=item,
            opened_on=DAY,
            closed_on=DAY,
            description="Bremser",
            cost_nok=850,
            repairer="Verksted",
        )
    response = tech_client.get(reverse("devices:item_detail", args=[item.pk]))
    html = response.content.decode()
    assert "Skjermesen, Gunnhild" in html
    assert "01.04.2026" in html  # returned
    assert "Bremser" in html and "850,00 kr" in html
    assert "Registrert" in html and "Venter på rengjøring" in html
    assert reverse("devices:item_cleaned", args=[item.pk]) in html
    view = AuditEvent.all_objects.filter(object_type="devices.Item", action="view").get()
    assert view.object_id == str(item.pk)
    # The page's button returns to the item.
    response = tech_client.post(
        reverse("devices:item_cleaned", args=[item.pk]), {"fra": "hjelpemiddel"}
    )
    assert response["Location"] == reverse("devices:item_detail", args=[item.pk])


def test_item_detail_query_count_is_fixed(
    world, tech_client, tech, item, django_assert_max_num_queries
):
    url = reverse("devices:item_detail", args=[item.pk])
    with django_assert_max_num_queries(20):
        tech_client.get(url)
    with activate(world.municipality):
        for _number in range(5):
            item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.ON_LOAN)
            Loan.objects.create(
                item=item, person=world.person, ordered_on=DAY, delivered_on=DAY, returned_on=DAY
            )
            item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.CLEANING)
            item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.AVAILABLE)
            RepairOrder.objects.create(item=item, opened_on=DAY, closed_on=DAY, description="x")
    with django_assert_max_num_queries(20):
        tech_client.get(url)


def test_item_edit(tech_client, item, cat):
    url = reverse("devices:item_edit", args=[item.pk])
    bad = tech_client.post(url, {"room": "999999", "value_nok": "-5", "note": "Ripe"})
    html = bad.content.decode()
    assert "Velg en lagerplass fra listen." in html and "kan ikke være negativt" in html
    assert "Ripe" in html
    ok = tech_client.post(url, {"room": cat.other_room.pk, "value_nok": "2000", "note": "Ripe"})
    assert ok["Location"] == reverse("devices:item_detail", args=[item.pk])
    item.refresh_from_db()
    assert item.room == cat.other_room and item.note == "Ripe"


def test_repair_flow_through_the_pages(tech_client, item):
    create = reverse("devices:repair_create", args=[item.pk])
    bad = tech_client.post(create, {"description": "", "repairer": "Verksted", "opened_on": "x"})
    html = bad.content.decode()
    assert "Skriv hva som er galt" in html and 'value="Verksted"' in html
    response = tech_client.post(
        create, {"description": "Hjul løst", "repairer": "Verksted", "opened_on": "02.03.2026"}
    )
    assert response["Location"] == reverse("devices:item_detail", args=[item.pk])
    repair = RepairOrder.all_objects.get()
    item.refresh_from_db()
    assert item.status == ItemStatus.REPAIR
    listing = tech_client.get(reverse("devices:repair_list")).content.decode()
    assert "Hjul løst" in listing
    close = reverse("devices:repair_close", args=[item.pk, repair.pk])
    bad = tech_client.post(close, {"cost_nok": "mye", "closed_on": "01.03.2026", "to_status": ""})
    html = bad.content.decode()
    assert "Skriv beløpet som et tall" in html and 'value="mye"' in html
    early = tech_client.post(
        close, {"cost_nok": "100", "closed_on": "01.03.2026", "to_status": "ledig"}
    )
    assert "før den ble sendt" in early.content.decode()
    today = datetime.date.today().strftime("%d.%m.%Y")
    done = tech_client.post(close, {"cost_nok": "1200", "closed_on": today, "to_status": "ledig"})
    assert done.status_code == 302
    repair.refresh_from_db()
    item.refresh_from_db()
    assert repair.cost_nok == 1200 and item.status == ItemStatus.AVAILABLE
    assert (
        "Ingen åpne reparasjoner"
        in tech_client.get(reverse("devices:repair_list")).content.decode()
    )
    # Closing twice just returns to the item.
    assert tech_client.post(close, {"cost_nok": "1"}).status_code == 302
    repair.refresh_from_db()
    assert repair.cost_nok == 1200


def test_repair_list_shows_items_sent_to_repair_without_an_order(
    world, tech_client, tech, item, django_assert_max_num_queries
):
    with activate(world.municipality):
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.ON_LOAN)
        item_status_change(actor=actor_for(tech), item=item, to_status=ItemStatus.REPAIR)
    with django_assert_max_num_queries(14):
        html = tech_client.get(reverse("devices:repair_list")).content.decode()
    assert "uten reparasjonsordre" in html
    assert reverse("devices:repair_create", args=[item.pk]) in html
    # The page's CSV holds that list too, though no repair order is open.
    response = tech_client.get(reverse("devices:repair_list"), {"format": "csv"})
    csv_text = b"".join(response.streaming_content).decode()
    assert f"{item.label};{item.device_type.name}" in csv_text


def test_discard_through_the_page(tech_client, item):
    url = reverse("devices:item_discard", args=[item.pk])
    assert "Skriv hvorfor" in tech_client.post(url, {"reason": ""}).content.decode()
    assert tech_client.post(url, {"reason": "Rustet"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DISCARDED
    page = tech_client.get(reverse("devices:item_detail", args=[item.pk])).content.decode()
    assert "Rustet" in page and url not in page
    # Discarding again is refused on the form, not a 500.
    again = tech_client.post(url, {"reason": "Igjen"})
    assert again.status_code == 200 and "Kan ikke endre status" in again.content.decode()


def test_catalogue_pages(tech_client, cat):
    response = tech_client.post(
        reverse("devices:type_create"),
        {"name": "rullator", "category": "Forflytning", "low_stock_threshold": "2"},
    )
    assert "allerede en type" in response.content.decode()
    assert 'value="rullator"' in response.content.decode()
    response = tech_client.post(
        reverse("devices:type_create"),
        {
            "name": "Gripetang",
            "category": "ADL",
            "iso_class": "24 21 03",
            "low_stock_threshold": "4",
            "is_active": "on",
        },
    )
    assert response["Location"] == reverse("devices:type_list")
    assert DeviceType.all_objects.get(name="Gripetang").low_stock_threshold == 4
    edit = reverse("devices:type_edit", args=[cat.rullestol.pk])
    assert 'value="Rullestol"' in tech_client.get(edit).content.decode()
    tech_client.post(
        edit, {"name": "Rullestol", "category": "Forflytning", "low_stock_threshold": "0"}
    )
    assert DeviceType.all_objects.get(pk=cat.rullestol.pk).is_active is False
    bad = tech_client.post(reverse("devices:store_create"), {"name": ""})
    assert "Skriv inn navnet på lageret." in bad.content.decode()
    created = tech_client.post(
        reverse("devices:store_create"), {"name": "Depot", "is_active": "on"}
    )
    assert created["Location"] == reverse("devices:store_list")
    depot = Store.all_objects.get(name="Depot")
    room_url = reverse("devices:room_create", args=[depot.pk])
    assert tech_client.post(room_url, {"name": "Rom 1"}).status_code == 302
    dup = tech_client.post(room_url, {"name": "rom 1"})
    assert "allerede et rom" in dup.content.decode()
    assert StoreRoom.all_objects.filter(store=depot).count() == 1
    listing = tech_client.get(reverse("devices:store_list")).content.decode()
    assert "Depot" in listing and "Rom 1" in listing


def test_rows_of_another_municipality_are_not_found(world, tech_client, item):
    other = factories.make_municipality("9002", "Annenkommune")
    other_tech = make_technician(other, "tekniker-b")
    other_cat = make_catalogue(other)
    foreign = make_item(other_tech, other_cat.rullator, "HM-B-1")
    with activate(other):
        repair = RepairOrder.objects.create(item=foreign, opened_on=DAY, description="x")
    for url in [
        reverse("devices:item_detail", args=[foreign.pk]),
        reverse("devices:item_edit", args=[foreign.pk]),
        reverse("devices:repair_close", args=[foreign.pk, repair.pk]),
        reverse("devices:repair_close", args=[item.pk, repair.pk]),
        reverse("devices:type_edit", args=[other_cat.rullator.pk]),
        reverse("devices:store_edit", args=[other_cat.store.pk]),
    ]:
        assert tech_client.get(url).status_code == 404, url
    assert tech_client.post(reverse("devices:item_cleaned", args=[foreign.pk])).status_code == 404
    search = tech_client.get(reverse("devices:item_list"), {"q": "HM-B-1"})
    assert search.status_code == 200 and search.context["page"].paginator.count == 0
    stores = tech_client.get(reverse("devices:stock")).context["stores"]
    assert sum(store.totals["total"] for store in stores) == 1  # only the own item
    assert Item.all_objects.filter(municipality=other).count() == 1
