"""The catalogue in a real browser: the administrator sets a unit's capacity for a
service, the allocation office assigns one granted decision and puts the next on the
waiting list, then takes that person off the list with a reason. Every page is
checked with axe."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.casework.models import CaseStatus
from mestring.catalogue.models import Assignment, ServiceProvider, WaitingListEntry
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit
from tests.catalogue.helpers import service, service_decision


def test_capacity_assignment_and_waiting_list(page: Page, world: object) -> None:
    municipality = world.municipality
    unit = factories.UnitFactory(municipality=municipality, name="Dagsenteret")
    dagplass = service(municipality, "dagplass")

    # The administrator describes the service and gives the day centre its places.
    log_in(page, world.admin)
    visit(page, "/tjenester/")
    click_through(page, page.get_by_role("link", name="Dagplass / dagaktivitet"))
    click_through(page, page.get_by_role("link", name="Endre tjenesten"))
    page.get_by_label("Beskrivelse").fill("Aktivitet og fellesskap på dagtid.")
    click_through(page, page.get_by_role("button", name="Lagre tjenesten"))
    expect(page.get_by_text("Tjenesten er lagret.")).to_be_visible()
    page.get_by_label("Enhet", exact=True).select_option(label="Dagsenteret")
    page.get_by_label("Kapasitet (valgfritt)").fill("2")
    click_through(page, page.get_by_role("button", name="Legg til enhet"))
    expect(page.get_by_text("Enheten er lagt til.")).to_be_visible()
    page.get_by_label("Kapasitet for Dagsenteret").fill("1")
    click_through(page, page.get_by_role("button", name="Lagre kapasitet for Dagsenteret"))
    expect(page.get_by_text("Kapasiteten for Dagsenteret er lagret.")).to_be_visible()
    assert ServiceProvider.all_objects.get(service=dagplass, unit=unit).capacity == 1
    dagplass.refresh_from_db()
    assert dagplass.description == "Aktivitet og fellesskap på dagtid."

    # The caseworker assigns the first granted decision: one place, free.
    first_person = world.person
    second_person = factories.PersonFactory(
        municipality=municipality, given_name="Vilde", family_name="Ventersen"
    )
    for person in (first_person, second_person):
        factories.grant_relation(world.caseworker, person, kind="saksbehandler")
    first = service_decision(first_person, dagplass, world.caseworker)
    second = service_decision(second_person, dagplass, world.caseworker)
    today = timezone.localdate().strftime("%d.%m.%Y")
    page.context.clear_cookies()
    log_in(page, world.caseworker)
    visit(page, f"/personer/{first_person.pk}/vedtak/{first.pk}/tildeling/")
    page.get_by_label("Enhet", exact=True).select_option(label="Dagsenteret")
    page.get_by_label("Fra dato").fill(today)
    click_through(page, page.get_by_role("button", name="Tildel"))
    expect(page.get_by_text(f"Vedtaket er tildelt Dagsenteret fra {today}.")).to_be_visible()
    assert Assignment.all_objects.get().decision == first

    # The second finds the unit full and goes on the waiting list with high priority.
    visit(page, f"/personer/{second_person.pk}/vedtak/{second.pk}/tildeling/")
    page.get_by_label("Enhet", exact=True).select_option(label="Dagsenteret")
    page.get_by_label("Fra dato").fill(today)
    page.get_by_label("Høy").check()
    click_through(page, page.get_by_role("button", name="Tildel"))
    expect(
        page.get_by_text("Dagsenteret har ikke ledig kapasitet. Personen er satt på venteliste.")
    ).to_be_visible()
    second.case.refresh_from_db()
    assert second.case.status == CaseStatus.WAITING

    # The waiting list shows her; she is taken off it with a reason.
    visit(page, "/venteliste/")
    expect(page.get_by_role("link", name="Vilde Ventersen", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Høy")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Ta Vilde Ventersen av listen"))
    click_through(page, page.get_by_role("button", name="Ta av ventelisten"))
    expect(page.get_by_text("Velg hvorfor personen tas av ventelisten.").first).to_be_visible()
    page.get_by_label("Takket nei").check()
    page.get_by_label("Merknad").fill("Ønsker plass fra høsten.")
    click_through(page, page.get_by_role("button", name="Ta av ventelisten"))
    expect(page.get_by_text("Personen er tatt av ventelisten.")).to_be_visible()
    assert path_of(page) == f"/personer/{second_person.pk}/vedtak/{second.pk}/tildeling/"
    entry = WaitingListEntry.all_objects.get()
    assert (entry.removal_reason, entry.removal_note) == ("takket_nei", "Ønsker plass fra høsten.")
    visit(page, "/venteliste/")
    expect(page.get_by_text("Ingen står på ventelisten.")).to_be_visible()

    # The planner sees the figures.
    page.context.clear_cookies()
    log_in(page, world.read_only)
    visit(page, "/kapasitet/")
    row = page.get_by_role("row").filter(has_text="Dagsenteret")
    expect(row.get_by_role("cell")).to_have_text(
        ["Dagplass / dagaktivitet", "Dagsenteret", "Plasser", "1", "1", "0", "0", "–"]
    )
