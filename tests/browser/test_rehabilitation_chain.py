"""The rehabilitation chain in one browser session: refer a person to hverdagsrehabilitering,
assess, start, record SPPB and COPM at the start from the episode page, record visits,
record SPPB and COPM at the end, end the episode as fullført; then admit the person to
a short-term stay and discharge home. Axe checks every page on the way."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.institutions.models import Stay
from mestring.outcomes.models import Observation
from mestring.rehab.models import Episode
from tests.browser.helpers import click_through, log_in, visit
from tests.institutions.helpers import make_unit


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def _record_sppb(page: Page, link: str, day: str, points: tuple[str, str, str]) -> None:
    click_through(page, page.get_by_role("link", name=link))
    page.get_by_label("Dato for målingen").fill(day)
    page.get_by_label("Eller poeng for balanse").select_option(points[0])
    page.get_by_label("Eller poeng for ganghastighet").select_option(points[1])
    page.get_by_label("Eller poeng for reise seg fra stol").select_option(points[2])
    click_through(page, page.get_by_role("button", name="Lagre måling"))


def _record_copm(page: Page, link: str, day: str, performance: str, satisfaction: str) -> None:
    click_through(page, page.get_by_role("link", name=link))
    page.get_by_label("Dato for målingen").fill(day)
    page.get_by_label(re.compile("^Aktivitet 1")).fill("Lage middag selv")
    page.get_by_label("Utførelse, aktivitet 1").fill(performance)
    page.get_by_label("Tilfredshet, aktivitet 1").fill(satisfaction)
    click_through(page, page.get_by_role("button", name="Lagre måling"))


def test_episode_with_measures_then_a_stay(page: Page, world: object) -> None:
    person = world.person
    make_unit(world.municipality, beds=11, valid_from=datetime.date(2015, 1, 1))
    log_in(page, world.team_member)  # tjenesteyter: care relation through the unit

    visit(page, f"/personer/{person.pk}/forlop/")
    click_through(page, page.get_by_role("link", name="Ny henvisning"))
    page.get_by_label("Henvist dato").fill(_day(-30))
    page.get_by_label("Henvist fra", exact=True).select_option("fastlege")
    click_through(page, page.get_by_role("button", name="Lagre"))
    click_through(page, page.get_by_role("link", name="Vurder henvisningen"))
    page.get_by_label("Vurdert dato").fill(_day(-28))
    page.get_by_label("Aktuell", exact=True).check()
    click_through(page, page.get_by_role("button", name="Lagre"))
    click_through(page, page.get_by_role("link", name="Start forløpet"))
    page.get_by_label("Startdato").fill(_day(-25))
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Forløpet er startet.")).to_be_visible()

    _record_sppb(page, "Registrer SPPB ved oppstart", _day(-25), ("2", "2", "1"))
    expect(page.get_by_role("heading", name="Målinger i forløpet")).to_be_visible()
    _record_copm(page, "Registrer COPM ved oppstart", _day(-25), "3", "2")

    for offset in (-24, -20, -15):
        click_through(page, page.get_by_role("link", name="Registrer besøk"))
        page.get_by_label("Dato for besøket").fill(_day(offset))
        page.get_by_label("Varighet i minutter").fill("45")
        click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Antall besøk: 3. Minutter i alt: 135.")).to_be_visible()

    _record_sppb(page, "Registrer SPPB ved avslutning", _day(-5), ("3", "3", "2"))
    _record_copm(page, "Registrer COPM ved avslutning", _day(-5), "7", "6")
    measures = page.get_by_role("region", name="Tabell over målinger i forløpet")
    expect(measures.get_by_role("row")).to_have_count(5)  # header and four measures

    click_through(page, page.get_by_role("link", name="Avslutt forløpet"))
    page.get_by_label("Fullført").check()
    page.get_by_label("Sluttdato").fill(_day(-5))
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Forløpet er avsluttet.")).to_be_visible()

    episode = Episode.all_objects.get(person=person)
    assert episode.outcome == "fullfort"
    totals = dict(
        Observation.all_objects.filter(episode=episode, instrument="sppb").values_list(
            "time_point", "total"
        )
    )
    assert (totals["start"], totals["slutt"]) == (5, 8)

    visit(page, f"/personer/{person.pk}/malinger/")
    expect(page.get_by_role("img", name="Linjediagram over SPPB", exact=False)).to_be_visible()

    visit(page, f"/personer/{person.pk}/opphold/")
    click_through(page, page.get_by_role("link", name="Nytt opphold"))
    page.get_by_label("Enhet", exact=True).select_option(label="Lokalmedisinsk senter")
    page.get_by_label("Type opphold").select_option(label="Korttidsopphold")
    page.get_by_label("Innlagt dato").fill(_day(-3))
    click_through(page, page.get_by_role("button", name="Legg inn"))
    expect(page.get_by_text("er lagt inn på Lokalmedisinsk senter")).to_be_visible()
    page.get_by_label("Utskrevet dato").fill(_day())
    page.get_by_label("Utskrevet til", exact=True).select_option(label="Hjem")
    click_through(page, page.get_by_role("button", name="Skriv ut"))
    expect(page.get_by_text("Oppholdet er avsluttet.")).to_be_visible()
    stay = Stay.all_objects.get(person=person)
    assert stay.stay_type == "korttid" and stay.discharged_to == "hjem"
