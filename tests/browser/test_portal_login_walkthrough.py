"""The citizen login on a phone-sized screen: a parent logs in with the development
provider, chooses their child's pages, and logs out; a second login on the
"betydelig" assurance level is refused. Every page is checked with axe."""

from __future__ import annotations

import datetime

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.people.models import ActingBasis, RelationType
from mestring.portal import oidc
from tests import factories
from tests.browser.helpers import assert_no_axe_violations, click_through, path_of, visit


@pytest.fixture(autouse=True)
def _dev_provider(settings):
    settings.MESTRING_DEV_OIDC = True
    settings.MESTRING_OIDC_ISSUER = ""
    settings.MESTRING_OIDC_MIN_ACR = "idporten-loa-high"
    oidc.clear_cache()


def _home_url() -> str | None:
    try:
        return reverse("portal:home")
    except NoReverseMatch:  # the pages part of the portal is not there yet
        return None


def _log_in_on_provider(page: Page, name: str, *, level: str = "Høyt (BankID)", status=200):
    visit(page, "/min-side/logg-inn/?kommune=9001")
    expect(page.get_by_role("heading", name="Logg inn på Min side")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Logg inn med ID-porten"))
    assert path_of(page) == "/dev-oidc/authorize"
    page.get_by_label(level).check()
    return click_through(
        page, page.get_by_role("button", name=f"Logg inn som {name}"), status=status
    )


def test_parent_logs_in_chooses_the_child_and_logs_out(page: Page, world: object) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    today = timezone.localdate()
    parent = factories.PersonFactory(
        municipality=world.municipality, given_name="Siri", family_name="Forelder"
    )
    child = factories.PersonFactory(
        municipality=world.municipality,
        given_name="Mia",
        family_name="Forelder",
        birth_date=today - datetime.timedelta(days=9 * 365),
    )
    factories.RelativeFactory(
        person=child,
        name="Siri Forelder",
        relation=RelationType.PARENT,
        acting_basis=ActingBasis.PARENTAL_RESPONSIBILITY,
        national_id=parent.national_id,
    )

    home = _home_url()
    _log_in_on_provider(page, "Siri Forelder")
    assert path_of(page) == "/min-side/velg/"
    expect(page.get_by_role("heading", name="Hvem vil du se sidene til?")).to_be_visible()
    expect(page.get_by_text("Du har foreldreansvar")).to_be_visible()
    expect(page.get_by_text("Deg selv")).to_be_visible()

    chosen = page.get_by_role("button", name="Se sidene til Mia Forelder")
    chosen.focus()
    expect(chosen).to_be_focused()
    # Enter on the focused button chooses; the person's pages are helper "pages"' part.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)
    if home is not None:
        assert path_of(page) == home

    visit(page, "/min-side/velg/")
    click_through(page, page.get_by_role("button", name="Logg ut"))
    assert path_of(page) == "/min-side/logg-inn/"
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()

    # A second login on the "betydelig" level is refused, and nobody is logged in.
    _log_in_on_provider(page, "Siri Forelder", level="Betydelig (MinID)", status=403)
    expect(page.get_by_text("Innloggingen må være på høyt sikkerhetsnivå").first).to_be_visible()
    visit(page, "/min-side/velg/")
    assert path_of(page) == "/min-side/logg-inn/"


def test_unknown_relative_is_not_found(page: Page, world: object) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    factories.RelativeFactory(
        person=world.person,
        name="Nina Nabo",
        relation=RelationType.FRIEND,
        acting_basis="",
        national_id=factories.PersonFactory.build().national_id,
    )
    _log_in_on_provider(page, "Nina Nabo")
    expect(page.get_by_role("heading", name="Vi fant deg ikke")).to_be_visible()
