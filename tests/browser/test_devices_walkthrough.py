"""The device store in a real browser: the therapist orders a device for a person by its type;
the device technician delivers it, takes it back by scanning the label (a scanner
types the label and presses Enter), and marks it cleaned by scanning again; the item
is available. The technician is refused the person's record. Axe on every page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.devices.models import Item, ItemStatusChange, Loan
from tests.browser.helpers import click_through, log_in, visit
from tests.conftest import make_staff
from tests.devices.loan_helpers import make_item


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def _scan(page: Page, label: str) -> None:
    """What a barcode scanner does: type the label into the focused field, then Enter."""
    page.keyboard.type(label)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_lend_deliver_return_clean(page: Page, world: object) -> None:
    person = world.person
    person.street_address, person.phone = "Storgata 1", "99 99 99 99"
    person.save()
    item = make_item(world.municipality, "HM-004711", type_name="Rullator")
    technician = make_staff(world.municipality, "hjelpemiddeltekniker", "tekniker")

    # The therapist with a care relation orders the loan from the person's page.
    log_in(page, world.owner)
    visit(page, f"/personer/{person.pk}/hjelpemidler/")
    click_through(page, page.get_by_role("link", name="Bestill hjelpemiddel"))
    page.get_by_label("Type hjelpemiddel").select_option(label="Rullator")
    page.get_by_label("Forventet tilbake").fill(_day(60))
    click_through(page, page.get_by_role("button", name="Bestill", exact=True))
    expect(page.get_by_text("Venter på utlevering")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Logg ut"))

    # The technician sees what the delivery needs and delivers it.
    log_in(page, technician)
    visit(page, "/hjelpemidler/utlevering/")
    expect(page.get_by_text("Storgata 1")).to_be_visible()
    expect(page.get_by_text("99 99 99 99")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Levert HM-004711"))
    loan = Loan.all_objects.get(item=item)
    assert loan.delivered_on == timezone.localdate() and loan.delivered_by == technician

    # Back at the store: scan the label, register the return.
    visit(page, "/hjelpemidler/retur/")
    _scan(page, "HM-004711")
    expect(page.get_by_text("Skjermesen")).to_be_visible()
    page.get_by_label("God").check()
    click_through(page, page.get_by_role("button", name="Registrer retur"))
    item.refresh_from_db()
    assert item.status == "rengjoring"

    # Cleaning: the queue shows the item; scanning the label makes it available.
    visit(page, "/hjelpemidler/rengjoring/")
    expect(page.get_by_role("link", name="HM-004711")).to_be_visible()
    _scan(page, "HM-004711")
    expect(page.get_by_text("er rengjort og ledig")).to_be_visible()
    item.refresh_from_db()
    assert item.status == "ledig"
    steps = list(
        ItemStatusChange.all_objects.filter(item=item)
        .order_by("pk")
        .values_list("to_status", flat=True)
    )
    assert steps[-3:] == ["utlant", "rengjoring", "ledig"]

    # The item page shows the history; the person's record stays closed to the technician.
    visit(page, "/hjelpemidler/")
    _scan(page, "HM-004711")
    expect(page.get_by_role("heading", name="HM-004711", exact=False).first).to_be_visible()
    visit(page, f"/personer/{person.pk}/", status=403)
    assert Item.all_objects.get(pk=item.pk).status == "ledig"
