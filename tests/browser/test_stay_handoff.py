"""The hand-off of a stay, each role using only its own pages and never emergency
access: a citizen's application for korttidsopphold waits in the allocation office's
queue; a caseworker without any relation to the person takes it, assesses, grants the
stay and assigns it to the short-term ward; a nurse of the ward finds the planned
arrival on the bed board and admits the person («Skriv inn»). Axe runs on every HTML
page."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.access.actor import system_actor
from mestring.access.models import EmergencyAccess
from mestring.assessments.models import FunctionVariable
from mestring.casework import services as casework_services
from mestring.casework.models import Decision
from mestring.catalogue.models import Assignment, Service, ServiceProvider
from mestring.institutions.models import PlannedStay, Stay
from mestring.tenancy.context import activate
from tests import factories
from tests.browser.helpers import click_through, log_in, visit
from tests.browser.test_handoff_chain import _day
from tests.institutions.helpers import make_unit

SHORT_TERM = "korttidsopphold"
WARD = "Korttidsavdelingen"


def test_a_granted_stay_reaches_the_ward(page: Page, world: object) -> None:
    municipality, person, worker = world.municipality, world.person, world.caseworker
    stay_service = Service.all_objects.get(municipality=municipality, code=SHORT_TERM)
    ward = make_unit(municipality, name=WARD, beds=4)
    ServiceProvider.all_objects.create(
        municipality=municipality, service=stay_service, unit=ward, capacity=Decimal(4)
    )
    nurse = factories.StaffFactory(
        municipality=municipality, user__first_name="Siri", user__last_name="Sykepleier"
    )
    nurse.units.add(ward)
    factories.give_role(nurse, "tjenesteyter")
    with activate(municipality):
        case = casework_services.service_application_register(
            actor=system_actor(municipality, label="innbygger"),
            person=person,
            applicant="personen",
            received_on=timezone.localdate(),
            services=[stay_service],
        )

    # The allocation office: take the case from the queue, assess, grant, assign.
    log_in(page, worker)
    visit(page, "/saker/?vis=ufordelt_tjenester")
    row = page.get_by_role("row").filter(has_text="Skjermesen, Gunnhild")
    click_through(page, row.get_by_role("button", name="Ta saken"))
    expect(page.get_by_text("Du er nå saksbehandler for saken.")).to_be_visible()
    click_through(page, page.get_by_role("button", name="Start kartlegging"))
    visit(page, f"/personer/{person.pk}/kartlegging/ny/")
    page.get_by_label("Dato for kartleggingen").fill(_day())
    page.get_by_label("Dato for neste kartlegging").fill(_day(180))
    page.get_by_label("Hva er viktig for deg?").fill("Å komme meg hjem igjen")
    for variable in FunctionVariable.all_objects.filter(municipality=municipality, is_active=True):
        group = page.get_by_role("group", name=variable.name, exact=True)
        group.get_by_role("radio").nth(2).check()
    click_through(page, page.get_by_role("button", name="Lagre kartlegging"))
    visit(page, f"/personer/{person.pk}/saker/{case.pk}/")
    heading = f"Vedtak om {stay_service.name}"
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )
    section.get_by_label("Innvilget", exact=True).check()
    section.get_by_label("Antall døgn").fill("14")
    section.get_by_label("Begrunnelse").fill("Du trenger opptrening før du kan bo hjemme.")
    click_through(page, section.get_by_role("button", name=f"Fatt vedtak om {stay_service.name}"))
    decision = Decision.all_objects.get(case=case)
    visit(page, f"/personer/{person.pk}/vedtak/{decision.pk}/tildeling/")
    page.get_by_label("Enhet", exact=True).select_option(label=WARD)
    page.get_by_label("Fra dato").fill(_day())
    click_through(page, page.get_by_role("button", name="Tildel"))
    assert Assignment.all_objects.filter(decision=decision, unit=ward).exists()
    planned = PlannedStay.all_objects.get(decision=decision)
    assert not Stay.all_objects.filter(person=person).exists()

    # The nurse finds the planned arrival on the bed board and admits the person.
    page.context.clear_cookies()
    log_in(page, nurse)
    visit(page, "/institusjoner/sengeoversikt/")
    table = page.get_by_role("table", name=f"Planlagte innleggelser på {WARD}")
    row = table.get_by_role("row").filter(has_text="Skjermesen, Gunnhild")
    expect(row.get_by_role("cell", name="Korttidsopphold", exact=True)).to_be_visible()
    expect(row.get_by_text(stay_service.name)).to_be_visible()
    click_through(page, row.get_by_role("link", name="Skriv inn"))
    expect(page.get_by_label("Innlagt dato")).to_have_value(_day())
    click_through(page, page.get_by_role("button", name="Skriv inn"))
    expect(page.get_by_text(f"Gunnhild Skjermesen er lagt inn på {WARD}.")).to_be_visible()

    stay = Stay.all_objects.get(person=person)
    assert (stay.unit, stay.decision, stay.stay_type) == (ward, decision, "korttid")
    assert page.url.endswith(f"/personer/{person.pk}/opphold/{stay.pk}/")
    planned.refresh_from_db()
    assert (planned.status, planned.stay) == ("innskrevet", stay)
    # On the board the person is now in a bed, no longer planned.
    visit(page, "/institusjoner/sengeoversikt/")
    expect(page.get_by_role("table", name=f"Planlagte innleggelser på {WARD}")).to_have_count(0)
    expect(page.get_by_role("link", name="Skjermesen, Gunnhild")).to_be_visible()
    assert not EmergencyAccess.all_objects.exists()
