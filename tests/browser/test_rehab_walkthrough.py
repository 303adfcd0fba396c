"""Hverdagsrehabilitering in a real browser: refer, assess as aktuell, see the waiting
list, start, record two visits, add a goal and end as fullført. Axe on every page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.rehab.models import Episode, Visit
from tests.browser.helpers import click_through, log_in, visit


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def test_provider_walks_an_episode(page: Page, world: object) -> None:
    person = world.person
    log_in(page, world.team_member)  # tjenesteyter: care via the unit, REHAB_REGISTER

    visit(page, f"/personer/{person.pk}/forlop/")
    expect(page.get_by_text("Personen har ingen rehabiliteringsforløp.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Ny henvisning"))
    page.get_by_label("Henvist dato").fill(_day(-20))
    page.get_by_label("Henvist fra", exact=True).select_option("sykehus")
    page.get_by_label("Henviser (navn)").fill("Ortopedisk avdeling")
    page.get_by_label("Grunn til henvisning").fill("Hoftebrudd, trenger trening hjemme.")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Henvisningen er registrert.")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Vurder henvisningen"))
    page.get_by_label("Vurdert dato").fill(_day(-18))
    page.get_by_label("Aktuell", exact=True).check()
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Vurderingen er registrert.")).to_be_visible()

    visit(page, "/rehabilitering/venteliste/")
    row = page.get_by_role("row", name="Skjermesen, Gunnhild")
    expect(row.get_by_role("cell", name="20", exact=True)).to_be_visible()
    click_through(page, row.get_by_role("link", name="Skjermesen, Gunnhild"))

    click_through(page, page.get_by_role("link", name="Start forløpet"))
    page.get_by_label("Startdato").fill(_day(-14))
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Forløpet er startet.")).to_be_visible()

    for offset, minutes in ((-13, "45"), (-10, "60")):
        click_through(page, page.get_by_role("link", name="Registrer besøk"))
        page.get_by_label("Dato for besøket").fill(_day(offset))
        page.get_by_label("Varighet i minutter").fill(minutes)
        click_through(page, page.get_by_role("button", name="Lagre"))
        expect(page.get_by_text("Besøket er registrert.")).to_be_visible()
    expect(page.get_by_text("Antall besøk: 2. Minutter i alt: 105.")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Nytt mål"))
    page.get_by_label("Mål, med personens egne ord").fill("Gå til butikken selv")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("«Gå til butikken selv»")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Avslutt forløpet"))
    page.get_by_label("Fullført").check()
    page.get_by_label("Sluttdato").fill(_day(-1))
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Forløpet er avsluttet.")).to_be_visible()

    episode = Episode.all_objects.get(person=person)
    assert episode.status == "fullfort" and episode.outcome == "fullfort"
    assert Visit.all_objects.filter(episode=episode).count() == 2
    click_through(page, page.get_by_role("link", name="Tilbake til alle forløp"))
    expect(page.get_by_role("cell", name="Fullført")).to_be_visible()
