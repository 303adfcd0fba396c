"""Messages of need in a real browser: the coordinating unit's lead registers a message for
a new person, finds it in the inbox, triages it (overruling the suggestion) and opens a
case. Every page reached is checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from mestring.casework.models import Case
from mestring.people.models import Person
from mestring.referrals.models import Referral
from tests import factories
from tests.browser.helpers import click_through, htmx_swap, log_in, path_of, visit


def test_lead_registers_triages_and_opens_a_case(page: Page, world: object) -> None:
    lead = factories.StaffFactory(municipality=world.municipality, user__username="ke-leder")
    factories.give_role(lead, "leder_ke")
    factories.UnitFactory(municipality=world.municipality, name="Koordinerende enhet")
    log_in(page, lead)

    # A message for a person not registered before. A failed submit keeps what was typed.
    visit(page, "/meldinger/ny/")
    page.get_by_label("Ny person – ikke registrert fra før").check()
    page.get_by_label("Fornavn").fill("Turid")
    page.get_by_label("Etternavn").fill("Trappesen")
    page.get_by_label("Beskrivelse av behovet").fill("Svimmel og redd for å falle, bor alene.")
    click_through(page, page.get_by_role("button", name="Registrer melding"))
    expect(page.get_by_text("Skriv inn fødselsdato.").first).to_be_visible()
    expect(page.get_by_text("Velg hvem meldingen kom fra.").first).to_be_visible()
    expect(page.get_by_label("Etternavn")).to_have_value("Trappesen")
    page.get_by_label("Fødselsdato").fill("14.08.1938")
    page.get_by_label("Meldingen kom fra").select_option("fastlege")
    page.get_by_label("Haster").check()
    click_through(page, page.get_by_role("button", name="Registrer melding"))
    expect(page.get_by_text("Meldingen er registrert.")).to_be_visible()
    person = Person.all_objects.get(family_name="Trappesen")
    referral = Referral.all_objects.get(person=person)
    assert path_of(page) == f"/personer/{person.pk}/meldinger/{referral.pk}/"

    # The inbox shows it as new and urgent.
    visit(page, "/meldinger/")
    row = page.get_by_role("row").filter(has_text="Trappesen, Turid")
    expect(row.get_by_text("Ny", exact=True)).to_be_visible()
    expect(row.get_by_text("Haster")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Nye (1)"))
    click_through(page, row.get_by_role("link"))

    # Triage: the suggestion follows the scores as they are chosen; the lead overrules it.
    page.get_by_label("Nivå i rehabiliteringspyramiden").select_option("2")
    for label, score in (
        ("Behov for spesialisert kompetanse", "1"),
        ("Kompleksitet", "2"),
        ("Behov for intensitet", "3"),
    ):
        htmx_swap(
            page,
            lambda label=label, score=score: page.get_by_label(label).select_option(score),
            "/meldinger/forslag/",
        )
    expect(page.locator("#forslag")).to_contain_text("Forslag: Kommunen")
    expect(page.locator("#forslag")).to_contain_text("2,00")
    page.get_by_label("Felles (i samarbeid)").check()
    click_through(page, page.get_by_role("button", name="Lagre vurdering"))
    expect(page.get_by_text("Forslaget er overstyrt")).to_be_visible()
    expect(page.get_by_role("cell", name="Under vurdering")).to_be_visible()

    # Open a case: individual plan, with a caseworker.
    page.get_by_text("Opprett sak fra meldingen").click()
    page.get_by_label("Personen søker individuell plan").check()
    page.get_by_label("Ansvarlig enhet").select_option(label="Koordinerende enhet")
    page.get_by_label("Saksbehandler").select_option(str(world.caseworker.pk))
    click_through(page, page.get_by_role("button", name="Opprett sak"))
    expect(page.get_by_role("heading", name="Sak opprettet")).to_be_visible()

    referral.refresh_from_db()
    assert (referral.status, referral.suggested_place, referral.care_place) == (
        "sak_opprettet",
        "kommune",
        "felles",
    )
    case = Case.all_objects.get(referral=referral)
    assert (case.person, case.requests_individual_plan, case.caseworker) == (
        person,
        True,
        world.caseworker,
    )

    # The person's list of messages.
    visit(page, f"/personer/{person.pk}/meldinger/")
    expect(page.get_by_role("cell", name="Sak opprettet")).to_be_visible()
