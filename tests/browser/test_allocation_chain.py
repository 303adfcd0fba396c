"""The allocation walk-through in one browser session: an application for
hverdagsrehabilitering and korttidsopphold is assessed (all functional variables
scored in the form), decided, assigned, and put on the waiting list because the
short-stay unit is full; the decision letter opens as a PDF; afterwards a user without a
care relation is refused on every person page used. Axe runs on every HTML page."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from mestring.assessments.models import FunctionVariable
from mestring.casework.models import Case, CaseKind, Decision, LegalBasis
from mestring.catalogue.models import Assignment, Service, ServiceProvider, WaitingListEntry
from mestring.people.models import Unit
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit


def _day(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d.%m.%Y")


def _section(page: Page, heading: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _occupy_the_only_short_stay_place(world: object, service: Service, unit: Unit) -> None:
    """Another person already holds the unit's one place."""
    other = factories.PersonFactory(municipality=world.municipality)
    case = Case.all_objects.create(
        municipality=world.municipality,
        person=other,
        kind=CaseKind.SERVICE,
        received_on=timezone.localdate(),
        status="tildelt",
    )
    decision = Decision.all_objects.create(
        municipality=world.municipality,
        case=case,
        subject="tjeneste",
        service=service,
        outcome="innvilget",
        reasons="x",
        days=14,
        legal_basis=LegalBasis.all_objects.filter(municipality=world.municipality).first(),
        decided_on=timezone.localdate(),
        valid_from=timezone.localdate(),
        decided_by=world.caseworker,
    )
    Assignment.all_objects.create(
        municipality=world.municipality,
        decision=decision,
        unit=unit,
        starts_on=timezone.localdate(),
    )


def test_application_assessed_decided_assigned_and_waiting(page: Page, world: object) -> None:
    municipality, person, worker = world.municipality, world.person, world.caseworker
    factories.grant_relation(worker, person)
    services = {s.code: s for s in Service.all_objects.filter(municipality=municipality)}
    rehab_unit = factories.UnitFactory(municipality=municipality, name="Fysio- og ergoterapi")
    stay_unit = factories.UnitFactory(municipality=municipality, name="Lokalmedisinsk senter")
    ServiceProvider.all_objects.create(
        municipality=municipality,
        service=services["hverdagsrehabilitering"],
        unit=rehab_unit,
        capacity=Decimal(5),
    )
    ServiceProvider.all_objects.create(
        municipality=municipality,
        service=services["korttidsopphold"],
        unit=stay_unit,
        capacity=Decimal(1),
    )
    _occupy_the_only_short_stay_place(world, services["korttidsopphold"], stay_unit)
    visited: list[str] = []

    def remember() -> None:
        if path_of(page).startswith("/personer/") and path_of(page) not in visited:
            visited.append(path_of(page))

    log_in(page, worker)

    # The application.
    visit(page, f"/personer/{person.pk}/saker/")
    remember()
    click_through(page, page.get_by_role("link", name="Søknad om tjenester"))
    remember()
    page.get_by_label("Personen selv").first.check()
    page.get_by_label("Hverdagsrehabilitering", exact=True).check()
    page.get_by_label("Korttidsopphold (utredning/behandling)").check()
    click_through(page, page.get_by_role("button", name="Registrer søknaden"))
    remember()
    case = Case.all_objects.get(person=person, kind=CaseKind.SERVICE)
    click_through(page, page.get_by_role("button", name="Start kartlegging"))

    # The assessment, every variable scored in the form.
    visit(page, f"/personer/{person.pk}/kartlegging/ny/")
    remember()
    page.get_by_label("Dato for kartleggingen").fill(_day())
    page.get_by_label("Dato for neste kartlegging").fill(_day(180))
    page.get_by_label("Hva er viktig for deg?").fill("Å komme hjem og klare meg selv")
    for variable in FunctionVariable.all_objects.filter(municipality=municipality, is_active=True):
        group = page.get_by_role("group", name=variable.name, exact=True)
        group.get_by_role("radio").nth(2).check()
    click_through(page, page.get_by_role("button", name="Lagre kartlegging"))
    remember()
    expect(page.get_by_text("Fullstendig").first).to_be_visible()

    # Decisions on both services.
    visit(page, f"/personer/{person.pk}/saker/{case.pk}/")
    for service, scope_label, scope in (
        ("Hverdagsrehabilitering", "Timer per uke", "5"),
        ("Korttidsopphold (utredning/behandling)", "Antall døgn", "14"),
    ):
        section = _section(page, f"Vedtak om {service}")
        section.get_by_label("Innvilget", exact=True).check()
        section.get_by_label(scope_label).fill(scope)
        section.get_by_label("Begrunnelse").fill("Kartleggingen viser at du trenger tjenesten.")
        click_through(page, section.get_by_role("button", name=f"Fatt vedtak om {service}"))
    rehab = Decision.all_objects.get(case=case, service=services["hverdagsrehabilitering"])
    stay = Decision.all_objects.get(case=case, service=services["korttidsopphold"])

    # The letter opens as a PDF.
    letter = page.request.get(f"/personer/{person.pk}/vedtak/{rehab.pk}/brev.pdf")
    assert letter.status == 200 and letter.headers["content-type"] == "application/pdf"

    # Assignment: a place is free for the everyday rehabilitation; the stay unit is full.
    for decision, unit in ((rehab, "Fysio- og ergoterapi"), (stay, "Lokalmedisinsk senter")):
        visit(page, f"/personer/{person.pk}/vedtak/{decision.pk}/tildeling/")
        remember()
        page.get_by_label("Enhet", exact=True).select_option(label=unit)
        page.get_by_label("Fra dato").fill(_day())
        click_through(page, page.get_by_role("button", name="Tildel"))
    assert Assignment.all_objects.filter(decision=rehab, unit=rehab_unit).exists()
    entry = WaitingListEntry.all_objects.get(decision=stay)
    assert entry.unit == stay_unit and entry.removed_on is None
    visit(page, "/venteliste/")
    expect(page.get_by_role("cell", name="Korttidsopphold (utredning/behandling)")).to_be_visible()

    # Refused without a care relation, at every step.
    page.context.clear_cookies()
    log_in(page, world.outsider)
    assert len(visited) >= 6
    for url in visited:
        visit(page, url, status=403)
        assert "Skjermesen" not in page.content()
