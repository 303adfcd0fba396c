"""Outcome measures in a real browser: a coordinator with a care relation records an
SPPB from the timed tests (comma decimals) and a COPM with two activities, then sees
each instrument's chart with the numbers beside it. Every page is checked with axe."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.outcomes.models import Observation
from tests.browser.helpers import click_through, log_in, visit


def test_owner_records_sppb_and_copm_and_sees_the_chart(page: Page, world: object) -> None:
    person = world.person
    today = timezone.localdate().strftime("%d.%m.%Y")
    log_in(page, world.owner)

    visit(page, f"/personer/{person.pk}/malinger/")
    expect(page.get_by_text("Ingen målinger er registrert for personen.")).to_be_visible()
    click_through(page, page.get_by_role("link", name=re.compile("^SPPB")))
    page.get_by_label("Dato for målingen").fill(today)
    page.get_by_label("Tidspunkt").select_option("start")
    page.get_by_label("Balanse: stå med samlede føtter").fill("10")
    page.get_by_label("Balanse: semi-tandem").fill("10")
    page.get_by_label("Balanse: tandem").fill("4,5")
    page.get_by_label("Gange 4 meter").fill("7,5")
    click_through(page, page.get_by_role("button", name="Lagre måling"))
    # Forgot the chair stands: the error is shown and what was typed is kept.
    expect(page.get_by_text("Skriv tiden for fem reisninger").first).to_be_visible()
    expect(page.get_by_label("Gange 4 meter")).to_have_value("7,5")
    page.get_by_label("Reise seg fra stol fem ganger").fill("14,2")
    click_through(page, page.get_by_role("button", name="Lagre måling"))
    expect(page.get_by_text("Målingen er lagret. Skår: 7.")).to_be_visible()
    parts = page.get_by_role("region", name="Tabell over delene av målingen")
    expect(parts.get_by_role("row", name="Ganghastighet, 4 meter 7,5 2")).to_be_visible()
    expect(parts.get_by_role("row", name="Balanse i alt – 3")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Tilbake til alle målinger"))
    click_through(page, page.get_by_role("link", name=re.compile("^COPM")))
    page.get_by_label("Dato for målingen").fill(today)
    page.get_by_label("Tidspunkt").select_option("start")
    page.get_by_label(re.compile("^Aktivitet 1")).fill("Lage middag selv")
    page.get_by_label(re.compile("^Utførelse, aktivitet 1")).fill("3")
    page.get_by_label(re.compile("^Tilfredshet, aktivitet 1")).fill("2")
    page.get_by_label(re.compile("^Aktivitet 2")).fill("Gå til butikken")
    page.get_by_label(re.compile("^Utførelse, aktivitet 2")).fill("6")
    page.get_by_label(re.compile("^Tilfredshet, aktivitet 2")).fill("5")
    click_through(page, page.get_by_role("button", name="Lagre måling"))
    expect(page.get_by_text("Målingen er lagret. Skår: 4,5.")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Tilbake til alle målinger"))
    expect(page.get_by_role("img", name=re.compile("Linjediagram over SPPB"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Linjediagram over COPM"))).to_be_visible()
    copm_table = page.get_by_role("region", name=re.compile("Tabell over COPM"))
    expect(copm_table.get_by_role("row", name=re.compile(r"Oppstart 4,5 3,5"))).to_be_visible()
    sppb_table = page.get_by_role("region", name=re.compile("Tabell over SPPB"))
    expect(sppb_table.get_by_role("row", name=re.compile(r"Oppstart 7"))).to_be_visible()
    assert Observation.all_objects.filter(person=person).count() == 2
