"""Institution stays in a real browser: a provider admits a person to a rehabilitation
stay, writes the rehabilitation plan, sees the person on the bed board, and discharges
the person home. Every page is checked with axe."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.access.models import CareRelation
from mestring.institutions.models import RehabilitationPlan, Stay
from tests.browser.helpers import click_through, log_in, path_of, visit
from tests.institutions.helpers import make_unit


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def test_provider_admits_plans_and_discharges(page: Page, world: object) -> None:
    person = world.person
    unit = make_unit(world.municipality, beds=11, valid_from=datetime.date(2015, 1, 1))
    log_in(page, world.team_member)

    visit(page, f"/personer/{person.pk}/opphold/")
    expect(page.get_by_text("Personen har ingen registrerte opphold.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Nytt opphold"))
    assert path_of(page) == f"/personer/{person.pk}/opphold/ny/"
    page.get_by_label("Enhet", exact=True).select_option(label="Lokalmedisinsk senter")
    page.get_by_label("Type opphold").select_option(label="Rehabilitering")
    page.get_by_label("Innlagt dato").fill("juks")
    click_through(page, page.get_by_role("button", name="Legg inn"))
    expect(page.get_by_text("Datoen må skrives som dd.mm.åååå.").first).to_be_visible()
    page.get_by_label("Innlagt dato").fill(_day(-7))
    click_through(page, page.get_by_role("button", name="Legg inn"))
    expect(page.get_by_text("er lagt inn på Lokalmedisinsk senter")).to_be_visible()
    stay = Stay.all_objects.get(person=person)
    assert CareRelation.all_objects.filter(unit=unit, person=person, valid_to=None).exists()

    click_through(page, page.get_by_role("link", name="Skriv rehabiliteringsplan"))
    page.get_by_label("Mål", exact=True).fill("Gå trappen hjemme uten hjelp\nLage frokost selv")
    page.get_by_label("Daglig trening").fill("Gangtrening morgen og kveld")
    page.get_by_label("Minutter fysioterapi per dag").fill("45")
    click_through(page, page.get_by_role("button", name="Lagre plan"))
    expect(page.get_by_text("Rehabiliteringsplanen er lagret.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Lage frokost selv")).to_be_visible()
    assert RehabilitationPlan.all_objects.get(stay=stay).physio_minutes_per_day == 45

    visit(page, "/institusjoner/sengeoversikt/")
    board = page.get_by_role("region", name="Pasienter på Lokalmedisinsk senter")
    expect(board.get_by_role("row", name="Skjermesen, Gunnhild Rehabilitering")).to_be_visible()
    expect(page.get_by_text("ledige")).to_be_visible()
    click_through(page, board.get_by_role("link", name="Skjermesen, Gunnhild"))

    page.get_by_label("Utskrevet dato").fill(_day())
    page.get_by_label("Utskrevet til", exact=True).select_option(label="Hjem")
    click_through(page, page.get_by_role("button", name="Skriv ut"))
    expect(page.get_by_text("Oppholdet er avsluttet.")).to_be_visible()
    stay.refresh_from_db()
    assert stay.discharged_on == timezone.localdate() and stay.discharged_to == "hjem"
    assert not CareRelation.all_objects.filter(unit=unit, person=person, valid_to=None).exists()

    visit(page, "/institusjoner/sengeoversikt/")
    expect(page.get_by_text("Ingen pasienter.")).to_be_visible()
