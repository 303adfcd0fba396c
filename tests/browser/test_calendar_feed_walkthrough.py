"""The private calendar feed in a real browser: a provider makes the address, copies it,
the feed answers with their meeting; a new address stops the old; stopping ends it.
Every page gets axe."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.browser.helpers import click_through, log_in, visit
from tests.conftest import make_staff
from tests.teams.helpers import add_provider, make_coordinator, make_group, make_meeting


def test_make_rotate_and_stop_the_calendar_feed(page: Page, world: object) -> None:
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    provider = make_staff(world.municipality, "tjenesteyter", "fysio")
    add_provider(world, group, provider)
    meeting = make_meeting(world, group, timezone.now() + datetime.timedelta(days=2))

    log_in(page, provider)
    visit(page, f"/personer/{world.person.pk}/moter/{meeting.pk}/")
    click_through(page, page.get_by_role("link", name="Abonner på alle møtene dine i kalenderen"))
    expect(page.get_by_text("Du har ikke kalenderabonnement.")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Lag kalenderadresse"))
    address = page.get_by_label("Adresse til kalenderen").input_value()
    assert address.endswith(".ics")

    feed = page.request.get(address)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    events = list(Calendar.from_ical(feed.body()).walk("VEVENT"))
    assert [str(event["UID"]) for event in events] == [f"{meeting.uid}@mestring"]
    assert world.person.family_name not in feed.text()

    # Reloading does not show the address again.
    visit(page, "/profil/kalender/")
    expect(page.get_by_label("Adresse til kalenderen")).to_have_count(0)
    click_through(page, page.get_by_role("button", name="Lag ny adresse"))
    expect(page.get_by_text("Den gamle virker ikke lenger.")).to_be_visible()
    assert page.request.get(address).status == 404
    new_address = page.get_by_label("Adresse til kalenderen").input_value()
    assert page.request.get(new_address).status == 200

    click_through(page, page.get_by_role("button", name="Stopp abonnementet"))
    expect(page.get_by_text("Kalenderabonnementet er stoppet.")).to_be_visible()
    assert page.request.get(new_address).status == 404
