"""The allocation office in a real browser: an application for two services, the
assessment, a decision on each with its scope, the letter, and an appeal through to
its outcome. Every HTML page reached is checked with axe; the PDF is fetched."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from mestring.casework.models import Appeal, Case, Decision
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit
from tests.casework.service_helpers import make_assessment


def _section(page: Page, heading: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _card(page: Page, heading: str) -> Locator:
    return page.locator("article").filter(has=page.get_by_role("heading", name=heading))


def _decide(page: Page, service: str, scope_label: str, scope: str) -> None:
    section = _section(page, f"Vedtak om {service}")
    section.get_by_label("Innvilget", exact=True).check()
    section.get_by_label(scope_label).fill(scope)
    section.get_by_label("Begrunnelse").fill("Kartleggingen viser at du trenger tjenesten.")
    click_through(page, section.get_by_role("button", name=f"Fatt vedtak om {service}"))
    expect(page.get_by_text("Vedtaket er fattet. Husk å sende vedtaksbrevet.")).to_be_visible()


def test_service_application_assessment_decisions_letter_and_appeal(page: Page, world) -> None:
    person, worker = world.person, world.caseworker  # role saksbehandler
    factories.grant_relation(worker, person)
    # The assessment pages belong to another app: the complete assessment is made here.
    make_assessment(worker, person, assessed_on=timezone.localdate())
    log_in(page, worker)

    visit(page, f"/personer/{person.pk}/saker/")
    click_through(page, page.get_by_role("link", name="Søknad om tjenester"))
    click_through(page, page.get_by_role("button", name="Registrer søknaden"))
    expect(page.get_by_text("Kryss av for minst én tjeneste.").first).to_be_visible()
    page.get_by_label("Pårørende / verge").check()
    page.get_by_label("Hverdagsrehabilitering", exact=True).check()
    page.get_by_label("Korttidsopphold (utredning/behandling)").check()
    click_through(page, page.get_by_role("button", name="Registrer søknaden"))
    case = Case.all_objects.get()
    assert path_of(page) == f"/personer/{person.pk}/saker/{case.pk}/"
    assert (case.kind, case.applicant, case.caseworker) == ("tjeneste", "parorende", worker)

    click_through(page, page.get_by_role("button", name="Start kartlegging"))
    expect(page.get_by_text("Kartleggingen er startet.")).to_be_visible()
    expect(page.locator(".page-heading").get_by_text("Under utredning")).to_be_visible()

    _decide(page, "Hverdagsrehabilitering", "Timer per uke", "5")
    _decide(page, "Korttidsopphold (utredning/behandling)", "Antall døgn", "14")
    expect(page.locator(".page-heading").get_by_text("Vedtak fattet", exact=True)).to_be_visible()
    decisions = Decision.all_objects.filter(case=case).order_by("pk")
    assert [(d.hours_per_week, d.days) for d in decisions] == [(5, None), (None, 14)]

    card = _card(page, "Hverdagsrehabilitering: Innvilget")
    link = card.get_by_role("link", name="Vedtaksbrev (PDF): Hverdagsrehabilitering")
    letter = page.request.get(link.get_attribute("href"))
    assert letter.status == 200
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")

    card.get_by_text("Registrer klage på vedtaket om Hverdagsrehabilitering").click()
    card.get_by_label("Hva klagen gjelder").fill("Jeg trenger flere timer.")
    click_through(page, card.get_by_role("button", name="Registrer klage"))
    expect(page.get_by_text("Klagen er registrert.")).to_be_visible()

    visit(page, "/frister/?vis=klager")
    expect(page.get_by_role("link", name="Hverdagsrehabilitering")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Hverdagsrehabilitering"))

    card = _card(page, "Hverdagsrehabilitering: Innvilget")
    card.get_by_text("Registrer utfall av klagen").click()
    card.get_by_label("Sendt til Statsforvalteren").check()
    click_through(page, card.get_by_role("button", name="Lagre utfall"))
    expect(page.get_by_text("Klagen er oppdatert.")).to_be_visible()
    card = _card(page, "Hverdagsrehabilitering: Innvilget")
    card.get_by_text("Registrer utfall av klagen").click()
    card.get_by_label("Stadfestet av Statsforvalteren").check()
    card.get_by_label("Utfall").fill("Statsforvalteren stadfestet vedtaket.")
    click_through(page, card.get_by_role("button", name="Lagre utfall"))
    expect(page.get_by_text("Klagen er oppdatert.")).to_be_visible()
    appeal = Appeal.all_objects.get()
    assert (appeal.status, appeal.sent_on) == ("stadfestet", timezone.localdate())

    visit(page, "/frister/")
    expect(page.get_by_text("Ingen i denne listen.")).to_be_visible()
