"""The citizen's own pages on a phone-sized screen: the person logs in with the
development provider, reads the plan, comments on a goal, sends a message to the
coordinator, gives a consent, opens the access log and proposes a goal; then the
coordinator answers on the staff page and takes the goal into the plan. Every page is
checked with axe."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from mestring.plans.models import Goal
from mestring.portal import oidc
from mestring.portal.models import CitizenComment, Message
from tests.browser.helpers import click_through, log_in, path_of, visit
from tests.portal.pages_helpers import make_plan_world


@pytest.fixture(autouse=True)
def _dev_provider(settings):
    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = ""
    settings.MESTRING_OIDC_MIN_ACR = "idporten-loa-high"
    oidc.clear_cache()


def _log_in(page: Page, name: str) -> None:
    visit(page, "/min-side/logg-inn/?kommune=9001")
    click_through(page, page.get_by_role("link", name="Logg inn med ID-porten"))
    page.get_by_label("Høyt (BankID)").check()
    click_through(page, page.get_by_role("button", name=f"Logg inn som {name}"))
    if path_of(page) == "/min-side/velg/":
        click_through(page, page.get_by_role("button", name=f"Se sidene til {name}"))


def test_person_uses_her_pages_on_a_phone(page: Page, world: object) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    pw = make_plan_world(world)
    person = world.person

    _log_in(page, person.full_name)
    assert path_of(page) == "/min-side/"
    expect(page.get_by_role("heading", name=f"Hei, {person.given_name}")).to_be_visible()
    expect(page.get_by_text("eier@example.org").first).to_be_visible()

    # My plan: the goal in my own words, the measure and who is responsible.
    nav = page.get_by_role("navigation", name="Meny for min side")
    click_through(page, nav.get_by_role("link", name="Min plan"))
    expect(page.get_by_role("heading", name="Jeg vil handle selv")).to_be_visible()
    expect(page.get_by_text("Gåtrening", exact=True)).to_be_visible()

    # Comment on the goal.
    click_through(page, page.get_by_role("link", name="Kommenter målet"))
    page.get_by_label("Din kommentar").fill("Kan vi begynne med nærbutikken?")
    click_through(page, page.get_by_role("button", name="Send kommentaren"))
    assert path_of(page) == "/min-side/plan/"
    expect(page.get_by_text("Kommentaren er sendt til koordinatoren din.")).to_be_visible()
    expect(page.get_by_text("Kan vi begynne med nærbutikken?")).to_be_visible()
    assert CitizenComment.all_objects.get().goal == pw.goal

    # Send a message; the coordinator's e-mail says only that there is a message.
    click_through(page, nav.get_by_role("link", name="Meldinger"))
    page.get_by_role("textbox", name="Melding").fill("Kan møtet flyttes til etter klokka 12?")
    click_through(page, page.get_by_role("button", name="Send meldingen"))
    expect(page.get_by_text("Meldingen er sendt.")).to_be_visible()
    expect(page.get_by_text("Kan møtet flyttes til etter klokka 12?")).to_be_visible()
    assert Message.all_objects.get().sender_kind == "innbygger"
    assert all("klokka 12" not in m.body for m in mail.outbox)

    # Give a consent.
    click_through(page, nav.get_by_role("link", name="Samtykke og sperring"))
    page.get_by_label("Samtykke til å dele opplysninger med de som deltar i planen").check()
    page.get_by_label("Hva gjelder samtykket?").fill("Dele med fysioterapeuten")
    click_through(page, page.get_by_role("button", name="Gi samtykket"))
    expect(page.get_by_text("Samtykket er registrert.")).to_be_visible()

    # The access log shows my own use as "Du selv", and staff by name.
    click_through(page, nav.get_by_role("link", name="Hvem har sett mine opplysninger"))
    log = page.get_by_role("region", name="Tilgangslogg")
    expect(log.get_by_text("Du selv").first).to_be_visible()
    expect(log.get_by_text(world.owner.user.get_full_name()).first).to_be_visible()

    # Decisions and the application form; what matters and a proposed goal.
    click_through(page, nav.get_by_role("link", name="Vedtak og søknader"))
    expect(page.get_by_text("Du har ingen vedtak.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Søk om plan, koordinator"))
    expect(page.get_by_role("group", name="Hva vil du søke om?")).to_be_visible()
    click_through(page, nav.get_by_role("link", name="Min plan"))
    click_through(page, page.get_by_role("link", name="Foreslå et nytt mål"))
    page.get_by_label("Målet du foreslår").fill("Jeg vil gå til postkassen selv.")
    click_through(page, page.get_by_role("button", name="Send forslaget"))
    expect(page.get_by_text("Forslaget er sendt.")).to_be_visible()

    click_through(page, page.get_by_role("button", name="Logg ut"))
    assert path_of(page) == "/min-side/logg-inn/"

    # The coordinator answers on the person's page "Fra innbygger" and takes the goal in.
    log_in(page, world.owner)
    visit(page, "/innbyggere/innboks/")
    click_through(page, page.get_by_role("link", name=person.full_name))
    assert path_of(page) == f"/personer/{person.pk}/fra-innbygger/"
    expect(page.get_by_text("Kan vi begynne med nærbutikken?")).to_be_visible()
    comment = CitizenComment.all_objects.get(kind="kommentar")
    page.locator(f"#svar-{comment.pk}").fill("Ja, vi starter på mandag.")
    click_through(page, page.get_by_role("button", name="Send svar"))
    expect(page.get_by_text("Svaret er sendt.")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Ta målet inn i planen"))
    expect(page.get_by_text("Målet er tatt inn i planen.")).to_be_visible()
    assert Goal.all_objects.filter(text="Jeg vil gå til postkassen selv.").exists()
