"""(M6) Ending and correcting a relative's right to act in a real browser: the
caseworker corrects and ends it from the person's overview; the person ends a power of
attorney from Min side. Every page reached is checked with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mestring.people.models import Relative
from mestring.portal import oidc
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit
from tests.portal.pages_helpers import make_attorney


@pytest.fixture(autouse=True)
def _dev_provider(settings):
    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = ""
    settings.MESTRING_OIDC_MIN_ACR = "idporten-loa-high"
    oidc.clear_cache()


def test_caseworker_corrects_and_ends_a_right_to_act(page: Page, world: object) -> None:
    person = world.person
    attorney = make_attorney(person, name="Fred Fullmektig")
    factories.grant_relation(world.caseworker, person)
    log_in(page, world.caseworker)
    visit(page, f"/personer/{person.pk}/")
    click_through(page, page.get_by_role("link", name="Rett opp"))
    click_through(page, page.get_by_role("button", name="Lagre rettelsen"), status=400)
    expect(page.get_by_text("Skriv en begrunnelse.").first).to_be_visible()
    page.get_by_label("Rett til å handle på vegne av personen").select_option("vergemål")
    page.get_by_label("Begrunnelse").fill("Feilregistrert: det er vergemål.")
    click_through(page, page.get_by_role("button", name="Lagre rettelsen"))
    assert path_of(page) == f"/personer/{person.pk}/"
    expect(page.get_by_text("Retten til å handle er rettet.")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Avslutt retten"))
    expect(page.get_by_text("Feilregistrert: det er vergemål.")).to_be_visible()
    page.get_by_label("Begrunnelse").fill("Vergemålet er opphevet.")
    click_through(page, page.get_by_role("button", name="Avslutt retten"))
    expect(
        page.get_by_text("Retten til å handle på vegne av personen er avsluttet.")
    ).to_be_visible()
    attorney.refresh_from_db()
    assert attorney.acting_ended_at is not None and attorney.acting_basis == "vergemål"


def test_person_ends_a_power_of_attorney_on_min_side(page: Page, world: object) -> None:
    person = world.person
    attorney = make_attorney(person, name="Fred Fullmektig")
    visit(page, "/min-side/logg-inn/?kommune=9001")
    click_through(page, page.get_by_role("link", name="Logg inn med ID-porten"))
    page.get_by_label("Høyt (BankID)").check()
    click_through(page, page.get_by_role("button", name=f"Logg inn som {person.full_name}"))
    nav = page.get_by_role("navigation", name="Meny for min side")
    click_through(page, nav.get_by_role("link", name="Samtykke"))
    click_through(page, page.get_by_role("link", name="Avslutt fullmakten"))
    page.get_by_label("Hvorfor avslutter du fullmakten?").fill("Jeg klarer meg selv nå.")
    click_through(page, page.get_by_role("button", name="Avslutt fullmakten"))
    assert path_of(page) == "/min-side/samtykke/"
    expect(page.get_by_text("Fullmakten er avsluttet.")).to_be_visible()
    assert not Relative.all_objects.get(pk=attorney.pk).may_act_on_behalf
