"""The public face on a phone: a citizen opens the service catalogue and a service, an
organisation registers (one mistake first), staff approve it, and the personal link
from the e-mail lets the organisation add an event, which the catalogue then shows.
Every page, public or not, is checked with axe."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.catalogue.models import Service
from mestring.public.models import OrganisationStatus, UserOrganisation
from tests.browser.helpers import click_through, log_in, path_of, visit

LINK = re.compile(r"https?://[^/\s]+(/kommune/9001/brukerorganisasjoner/endre/[A-Za-z0-9_-]+/)")


def test_citizen_finds_services_and_an_organisation_keeps_its_entry(
    page: Page, world: object, settings: object, mailoutbox: list
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    service = Service.all_objects.get(
        municipality=world.municipality, code="hverdagsrehabilitering"
    )
    service.description = "Trening i hverdagen, hjemme hos deg."
    service.save()
    page.set_viewport_size({"width": 375, "height": 800})

    # A citizen, not logged in, on a phone.
    visit(page, "/kommune/9001/tjenester/")
    expect(
        page.get_by_role("heading", name="Habilitering og rehabilitering i Testkommune")
    ).to_be_visible()
    click_through(page, page.get_by_role("link", name="Hverdagsrehabilitering"))
    expect(page.get_by_text("Trening i hverdagen, hjemme hos deg.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Registrer en organisasjon"))

    # The organisation registers, with a mistake in the e-mail address first.
    page.get_by_label("Navn på organisasjonen").fill("Afasiforeningen Testkommune")
    page.get_by_label("Kontaktperson").fill("Alf Språkstad")
    page.get_by_label("E-post").fill("afasi-demo.invalid")
    page.get_by_label("Formål og tilbud").fill("Samtalegrupper for personer med afasi.")
    click_through(page, page.get_by_role("button", name="Send registreringen"))
    expect(page.get_by_role("heading", name="Rett opp dette før du går videre:")).to_be_visible()
    expect(page.get_by_label("Navn på organisasjonen")).to_have_value("Afasiforeningen Testkommune")
    page.get_by_label("E-post").fill("afasi@demo.invalid")
    click_through(page, page.get_by_role("button", name="Send registreringen"))
    expect(page.get_by_role("heading", name="Takk for registreringen")).to_be_visible()
    organisation = UserOrganisation.all_objects.get()
    assert organisation.status == OrganisationStatus.PENDING

    # Staff approve it.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, world.admin)
    visit(page, "/admin/brukerorganisasjoner/")
    click_through(page, page.get_by_role("link", name="Afasiforeningen Testkommune"))
    click_through(page, page.get_by_role("button", name="Godkjenn og publiser"))
    expect(
        page.get_by_text("Afasiforeningen Testkommune er godkjent og publisert.")
    ).to_be_visible()
    click_through(page, page.get_by_role("button", name="Logg ut"))
    assert len(mailoutbox) == 1
    link = LINK.search(mailoutbox[0].body)
    assert link, mailoutbox[0].body

    # The organisation follows its link on the phone and adds an event.
    page.set_viewport_size({"width": 375, "height": 800})
    visit(page, link.group(1))
    click_through(page, page.get_by_role("link", name="Legg til kurs eller arrangement"))
    day = (timezone.localdate() + datetime.timedelta(days=21)).strftime("%d.%m.%Y")
    page.get_by_label("Tittel").fill("Samtalekafé")
    page.get_by_label("Dato").fill(day)
    page.get_by_label("Sted").fill("Biblioteket")
    click_through(page, page.get_by_role("button", name="Lagre"))
    assert path_of(page) == link.group(1)
    expect(page.get_by_text("Arrangementet er lagret og publisert.")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Se oppføringen på tjenestesiden"))
    expect(page.get_by_role("heading", name="Afasiforeningen Testkommune")).to_be_visible()
    expect(page.get_by_text("Samtalekafé")).to_be_visible()

    # A link that does not work says so plainly.
    visit(page, "/kommune/9001/brukerorganisasjoner/endre/ugyldig/", status=404)
    expect(page.get_by_role("heading", name="Lenken virker ikke")).to_be_visible()
