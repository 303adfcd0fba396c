"""The device order hand-off in a real browser, each role through its own menus and
pages (never emergency access): a therapist with a care relation orders «Rullator» by
type from the person's page and a free item is reserved; the device technician, whose
unit runs the store, finds the order on the store's list and delivers it (the loan
starts), finds the person through the store's person search, and takes the item back
(scanned in lower case) as worn with a note; the cleaning queue shows the condition and
note, and the item is inspected before it is available again. Axe on every page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.devices.models import DeviceOrder, Item, Loan, Store, StoreRoom
from tests import factories
from tests.browser.helpers import click_through, log_in, visit
from tests.conftest import make_staff
from tests.devices.loan_helpers import make_item


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def test_order_by_type_deliver_return_worn_inspect(page: Page, world: object) -> None:
    person = world.person
    person.street_address, person.phone = "Storgata 1", "99 99 99 99"
    person.save()
    unit = factories.UnitFactory(municipality=world.municipality, name="Hjelpemiddellageret")
    store = Store.all_objects.create(
        municipality=world.municipality, name="Hjelpemiddellageret", unit=unit
    )
    room = StoreRoom.all_objects.create(municipality=world.municipality, store=store, name="Hall")
    item = make_item(world.municipality, "HM-000004", type_name="Rullator")
    item.room = room
    item.save(update_fields=["room"])
    therapist = make_staff(world.municipality, "tjenesteyter", "terapeut")
    factories.grant_relation(therapist, person)
    technician = make_staff(world.municipality, "hjelpemiddeltekniker", "tekniker")
    technician.units.add(unit)

    # The therapist orders a rollator by type from the person's page.
    log_in(page, therapist)
    visit(page, f"/personer/{person.pk}/")
    click_through(page, page.get_by_role("link", name="Hjelpemidler", exact=True))
    click_through(page, page.get_by_role("link", name="Bestill hjelpemiddel"))
    page.get_by_label("Type hjelpemiddel").select_option(label="Rullator")
    page.get_by_label("Forventet tilbake").fill(_day(90))
    click_through(page, page.get_by_role("button", name="Bestill", exact=True))
    expect(page.get_by_text("HM-000004 er reservert")).to_be_visible()
    order = DeviceOrder.all_objects.get(person=person)
    assert order.status == "fylt" and order.loan.item == item
    click_through(page, page.get_by_role("button", name="Logg ut"))

    # The technician finds the order on the store's list and delivers it.
    log_in(page, technician)
    click_through(page, page.get_by_role("link", name="Arbeidslister"))
    click_through(page, page.get_by_role("link", name="Hjelpemidler", exact=True))
    click_through(page, page.get_by_role("link", name="Bestillinger"))
    row = page.get_by_role("row").filter(has_text="Skjermesen")
    expect(row.get_by_text("Storgata 1")).to_be_visible()
    expect(row.get_by_text("Hjelpemiddel reservert: HM-000004")).to_be_visible()
    click_through(page, row.get_by_role("button", name="Levert HM-000004"))
    expect(page.get_by_text("utlånet er startet")).to_be_visible()
    loan = Loan.all_objects.get(item=item)
    assert loan.delivered_on == timezone.localdate() and loan.delivered_by == technician

    # The technician finds the person through the store's search and opens the devices
    # page (the store's unit sees the person while the loan is open).
    click_through(page, page.get_by_role("link", name="Finn person"))
    page.get_by_label("Navn eller fødselsdato").fill("skjermesen")
    click_through(page, page.get_by_role("button", name="Søk"))
    click_through(page, page.get_by_role("link", name="Skjermesen, Gunnhild"))
    expect(page.get_by_role("cell", name="HM-000004")).to_be_visible()

    # Later the rollator comes back worn, with a note; the label is typed in lower case.
    visit(page, "/hjelpemidler/retur/")
    page.get_by_label("Merkelapp (strekkode)").fill("hm-000004")
    click_through(page, page.get_by_role("button", name="Finn utlånet"))
    page.get_by_label("Slitt").check()
    page.get_by_label("Merknad").fill("Bremsen tar dårlig")
    click_through(page, page.get_by_role("button", name="Registrer retur"))
    item.refresh_from_db()
    assert item.status == "rengjoring"

    # The cleaning queue shows the condition and the note; cleaned, it goes to inspection.
    click_through(page, page.get_by_role("link", name="Rengjøring og kontroll"))
    row = page.get_by_role("row").filter(has_text="HM-000004")
    expect(row.get_by_text("Slitt")).to_be_visible()
    expect(row.get_by_text("Bremsen tar dårlig")).to_be_visible()
    click_through(page, row.get_by_role("button", name="Rengjort"))
    row = page.get_by_role("row").filter(has_text="HM-000004")
    expect(row.get_by_text("Til kontroll")).to_be_visible()
    expect(row.get_by_text("Bremsen tar dårlig")).to_be_visible()
    assert Item.all_objects.get(pk=item.pk).status == "kontroll"
    click_through(page, row.get_by_role("button", name="Kontrollert, klar til utlån"))
    expect(page.get_by_text("er kontrollert og ledig")).to_be_visible()
    assert Item.all_objects.get(pk=item.pk).status == "ledig"
    # With nothing open at the store any more, the person is closed to the technician.
    visit(page, f"/personer/{person.pk}/hjelpemidler/", status=403)
