"""The coordinating unit's case in a real browser: an application for individual plan
and coordinator, a provisional reply, two decisions, the letter and its sending.
Every HTML page reached is checked with axe; the PDF is fetched, not visited."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from mestring.casework.models import Case, Decision
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit
from tests.casework.helpers import make_lead


def _section(page: Page, heading: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _day(delta: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d.%m.%Y")


def _decide(page: Page, subject: str, reasons: str) -> None:
    section = _section(page, f"Vedtak om {subject}")
    section.get_by_label("Innvilget", exact=True).check()
    section.get_by_label("Begrunnelse").fill(reasons)
    click_through(page, section.get_by_role("button", name=f"Fatt vedtak om {subject}"))
    expect(page.get_by_text("Vedtaket er fattet. Husk å sende vedtaksbrevet.")).to_be_visible()


def test_application_provisional_reply_decisions_and_letter(page: Page, world: object) -> None:
    person = world.person
    lead = make_lead(world.municipality)
    factories.grant_relation(lead, person)
    factories.UnitFactory(municipality=world.municipality, name="Koordinerende enhet")
    log_in(page, lead)

    visit(page, f"/personer/{person.pk}/saker/")
    expect(page.get_by_text("Personen har ingen saker.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Registrer søknad"))
    click_through(page, page.get_by_role("button", name="Registrer søknad"))
    expect(
        page.get_by_text("Kryss av for individuell plan, koordinator eller begge.").first
    ).to_be_visible()
    page.get_by_label("Søknaden ble mottatt").fill(_day(-40))
    page.get_by_label("Søker individuell plan").check()
    page.get_by_label("Søker koordinator").check()
    page.get_by_label("Ansvarlig enhet").select_option(label="Koordinerende enhet")
    click_through(page, page.get_by_role("button", name="Registrer søknad"))
    case = Case.all_objects.get()
    assert path_of(page) == f"/personer/{person.pk}/saker/{case.pk}/"
    assert case.caseworker == lead

    # The coordinating unit's list shows the case as overdue, without a provisional reply.
    visit(page, "/saker/")
    row = page.get_by_role("row").filter(has_text="Skjermesen, Gunnhild")
    expect(row.get_by_text("Forfalt")).to_be_visible()
    expect(row.get_by_text("Send foreløpig svar")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Mangler foreløpig svar (1)"))
    click_through(page, page.get_by_role("link", name="Skjermesen, Gunnhild"))

    reply = _section(page, "Foreløpig svar")
    expect(reply.get_by_text("Send foreløpig svar:")).to_be_visible()
    reply.get_by_label("Svar kan ventes innen").fill(_day(14))
    click_through(page, reply.get_by_role("button", name="Registrer foreløpig svar"))
    expect(page.get_by_text("Foreløpig svar er registrert.")).to_be_visible()
    expect(page.get_by_text(f"svar kan ventes innen {_day(14)}")).to_be_visible()

    _decide(page, "individuell plan", "Du trenger tjenester fra flere enheter over lang tid.")
    _decide(page, "koordinator", "En koordinator skal holde sammen tjenestene dine.")
    expect(page.locator(".page-heading").get_by_text("Vedtak fattet", exact=True)).to_be_visible()
    case.refresh_from_db()
    assert case.status == "vedtak" and case.decided_on == timezone.localdate()

    decisions = _section(page, "Vedtak i saken")
    click_through(page, decisions.get_by_role("link", name="Koordinator", exact=True))
    expect(page.get_by_role("heading", name="Neste steg")).to_be_visible()
    expect(page.get_by_text("Oppnevn en koordinator for personen.", exact=False)).to_be_visible()

    # The letter is a PDF: fetched with the session's cookies, not opened as a page.
    letter_url = page.get_by_role("link", name="Åpne vedtaksbrevet (PDF)").get_attribute("href")
    letter = page.request.get(letter_url)
    assert letter.status == 200
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.headers["content-disposition"].startswith('inline; filename="vedtak-')
    assert letter.body().startswith(b"%PDF")

    page.get_by_label("Brevet ble sendt").fill(_day(0))
    click_through(page, page.get_by_role("button", name="Registrer brevet som sendt"))
    expect(page.get_by_text("Brevet er registrert som sendt.")).to_be_visible()
    expect(page.get_by_text(_day(21)).first).to_be_visible()  # the appeal deadline
    decision = Decision.all_objects.get(case=case, subject="koordinator")
    assert decision.letter_sent_on == timezone.localdate()


def test_administrator_edits_the_legal_texts(page: Page, world: object) -> None:
    log_in(page, world.admin)
    visit(page, "/admin/hjemler/")
    click_through(page, page.get_by_role("link", name="Ny hjemmel"))
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Skriv inn teksten til vedtaksbrevet.").first).to_be_visible()
    page.get_by_label("Kode").fill("hol-7-2-ny")
    page.get_by_label("Hjemmel").fill("Helse- og omsorgstjenesteloven § 7-2 (ny nummerering)")
    page.get_by_label("Tekst i vedtaksbrevet").fill("Kommunen skal tilby koordinator.")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Hjemmelen er lagret.")).to_be_visible()
    click_through(
        page, page.get_by_role("link", name="Helse- og omsorgstjenesteloven § 7-2", exact=True)
    )
    page.get_by_label("I bruk").uncheck()
    click_through(page, page.get_by_role("button", name="Lagre"))
    row = page.get_by_role("row").filter(has_text="hol-7-2-ny")
    expect(row.get_by_role("cell", name="Ja")).to_be_visible()
    old = page.get_by_role("row").filter(
        has=page.get_by_role("cell", name="koordinator", exact=True)
    )
    expect(old.get_by_role("cell", name="Nei")).to_be_visible()
