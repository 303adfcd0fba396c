"""The access pages in a real browser: emergency access with review, sperring, consent,
the person's access log and roles. Every page reached is checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from mestring.access.models import Block, Consent, EmergencyAccess
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit


def test_emergency_access_review_and_access_log(page: Page, world: object) -> None:
    person = world.person
    log_in(page, world.outsider)
    visit(page, f"/personer/{person.pk}/", status=403)
    expect(page.get_by_role("heading", name="Ingen tilgang")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Bruk nødtilgang"))
    click_through(page, page.get_by_role("button", name="Åpne med nødtilgang"))
    expect(page.get_by_text("Velg en årsak.").first).to_be_visible()
    page.get_by_label("Årsak").select_option("akutt_helsehjelp")
    page.get_by_label("Kort forklaring").fill("Ringt fra legevakten, trenger medisinliste.")
    click_through(page, page.get_by_role("button", name="Åpne med nødtilgang"))
    assert path_of(page) == f"/personer/{person.pk}/"
    expect(page.get_by_text("Du har nødtilgang til denne personen.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Tilgangslogg"))
    expect(page.get_by_text("Nødtilgang: Akutt behov for helsehjelp").first).to_be_visible()

    lead = factories.StaffFactory(municipality=world.municipality, user__username="ke-leder")
    factories.give_role(lead, "leder_ke")
    page.context.clear_cookies()
    log_in(page, lead)
    click_through(page, page.get_by_role("link", name="Arbeidslister", exact=True))
    click_through(page, page.get_by_role("link", name="Nødtilgang til gjennomgang"))
    access = EmergencyAccess.all_objects.get()
    click_through(
        page,
        page.get_by_role("link", name=access.started_at.astimezone().strftime("%d.%m.%Y")).first,
    )
    page.get_by_label("Begrunnet", exact=True).check()
    click_through(page, page.get_by_role("button", name="Lagre gjennomgang"))
    expect(page.get_by_text("Ingen åpne saker.")).to_be_visible()
    access.refresh_from_db()
    assert access.verdict == "begrunnet"


def test_sperring_and_consent_pages(page: Page, world: object) -> None:
    person = world.person
    log_in(page, world.owner)
    visit(page, f"/personer/{person.pk}/")
    click_through(page, page.get_by_role("link", name="Samtykker"))
    page.get_by_label("Omfang").fill("Opplysninger i individuell plan")
    page.get_by_label("Personen selv").check()
    page.get_by_label("Dato gitt").fill("01.03.2026")
    click_through(page, page.get_by_role("button", name="Registrer samtykke"))
    expect(page.get_by_text("Samtykket er registrert.")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Trekk tilbake"))
    assert Consent.all_objects.get().withdrawn_on is not None

    click_through(page, page.get_by_role("link", name="Tilganger og sperring"))
    page.get_by_text("Registrer sperring").first.click()
    page.locator("#id_staff").select_option(str(world.outsider.pk))
    click_through(page, page.get_by_role("button", name="Registrer sperring"))
    expect(page.get_by_text("Sperringen er registrert.")).to_be_visible()
    assert Block.all_objects.get().staff == world.outsider


def test_roles_and_my_persons(page: Page, world: object) -> None:
    log_in(page, world.admin)
    click_through(page, page.get_by_role("link", name="Administrasjon", exact=True))
    click_through(page, page.get_by_role("link", name="Roller", exact=True))
    click_through(page, page.get_by_role("link", name="Planlegger / enhetsleder"))
    page.get_by_label("Søke etter personer").check()
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Rettighetene for Planlegger / enhetsleder er lagret.")).to_be_visible()
    page.context.clear_cookies()
    log_in(page, world.owner)
    click_through(page, page.get_by_role("link", name="Mine personer"))
    expect(page.get_by_role("link", name="Skjermesen, Gunnhild")).to_be_visible()
