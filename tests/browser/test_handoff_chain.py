"""The hand-offs of the allocation chain, each role using only its own pages and never
emergency access: an application the citizen sent (nobody assigned) waits in the
allocation office's queue; a caseworker without any relation to the person takes it,
assesses, decides and assigns hverdagsrehabilitering to the therapy unit; a therapist of
that unit finds the person on the programme's waiting list, assesses the referral,
starts the episode, measures SPPB at the start and at the end and ends it as completed;
the unit leader finds it in the everyday-rehab report from her menu. Axe runs on every
HTML page."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.access.actor import system_actor
from mestring.access.models import EmergencyAccess
from mestring.assessments.models import FunctionVariable
from mestring.casework import services as casework_services
from mestring.casework.models import Case, Decision
from mestring.catalogue.models import Assignment, Service, ServiceProvider
from mestring.outcomes.models import Observation
from mestring.outcomes.reports import EverydayRehabReport
from mestring.rehab.models import EVERYDAY_REHAB, Episode, Programme
from mestring.tenancy.context import activate
from tests import factories
from tests.browser.helpers import click_through, log_in, visit
from tests.referrals.helpers import make_referral


def _day(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d.%m.%Y")


def _record_sppb(page: Page, link: str, points: tuple[str, str, str]) -> None:
    click_through(page, page.get_by_role("link", name=link))
    page.get_by_label("Dato for målingen").fill(_day())
    page.get_by_label("Eller poeng for balanse").select_option(points[0])
    page.get_by_label("Eller poeng for ganghastighet").select_option(points[1])
    page.get_by_label("Eller poeng for reise seg fra stol").select_option(points[2])
    click_through(page, page.get_by_role("button", name="Lagre måling"))
    expect(page.get_by_text("Målingen er lagret.", exact=False)).to_be_visible()


def _figure(page: Page, table: str, label: str) -> int:
    """The count in the report table's row `label`."""
    row = (
        page.get_by_role("region", name=table)
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=label, exact=True))
    )
    return int(row.get_by_role("cell").first.inner_text())


def test_citizens_application_reaches_the_therapist(page: Page, world: object) -> None:
    municipality, person, worker = world.municipality, world.person, world.caseworker
    rehab_service = Service.all_objects.get(municipality=municipality, code=EVERYDAY_REHAB)
    therapy = factories.UnitFactory(municipality=municipality, name="Fysio- og ergoterapi")
    ServiceProvider.all_objects.create(
        municipality=municipality, service=rehab_service, unit=therapy, capacity=Decimal(5)
    )
    Programme.all_objects.filter(municipality=municipality, code=EVERYDAY_REHAB).update(
        unit=therapy
    )
    therapist = factories.StaffFactory(
        municipality=municipality, user__first_name="Tora", user__last_name="Terapeut"
    )
    therapist.units.add(therapy)
    factories.give_role(therapist, "tjenesteyter")
    # Sent from Min side: the same service the citizen's form calls, nobody assigned.
    with activate(municipality):
        case = casework_services.service_application_register(
            actor=system_actor(municipality, label="innbygger"),
            person=person,
            applicant="personen",
            received_on=timezone.localdate(),
            services=[rehab_service],
        )
    assert case.caseworker is None
    # The unit leader who reads the report (statistics, no care relation to anyone).
    leader = factories.StaffFactory(
        municipality=municipality, user__first_name="Eli", user__last_name="Enhetsleder"
    )
    factories.give_role(leader, "planlegger")
    # The report's figures before the chain, as its own query counts them.
    year = timezone.localdate().year
    with activate(municipality):
        before = EverydayRehabReport(year=year).compute()
    before_source = before["by_source"]["tjenestekontor"]

    # The allocation office's queue: the caseworker takes the case.
    log_in(page, worker)
    visit(page, f"/personer/{person.pk}/", status=403)
    visit(page, "/saker/?vis=ufordelt_tjenester")
    row = page.get_by_role("row").filter(has_text="Skjermesen, Gunnhild")
    click_through(page, row.get_by_role("button", name="Ta saken"))
    expect(page.get_by_text("Du er nå saksbehandler for saken.")).to_be_visible()
    assert page.url.endswith(f"/personer/{person.pk}/saker/{case.pk}/")
    click_through(page, page.get_by_role("button", name="Start kartlegging"))

    # Assessment, decision and assignment, as the caseworker of the case.
    visit(page, f"/personer/{person.pk}/kartlegging/ny/")
    page.get_by_label("Dato for kartleggingen").fill(_day())
    page.get_by_label("Dato for neste kartlegging").fill(_day(180))
    page.get_by_label("Hva er viktig for deg?").fill("Å klare meg selv hjemme")
    for variable in FunctionVariable.all_objects.filter(municipality=municipality, is_active=True):
        group = page.get_by_role("group", name=variable.name, exact=True)
        group.get_by_role("radio").nth(2).check()
    click_through(page, page.get_by_role("button", name="Lagre kartlegging"))
    visit(page, f"/personer/{person.pk}/saker/{case.pk}/")
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name="Vedtak om Hverdagsrehabilitering", exact=True)
    )
    section.get_by_label("Innvilget", exact=True).check()
    section.get_by_label("Timer per uke").fill("5")
    section.get_by_label("Begrunnelse").fill("Kartleggingen viser at du trenger tjenesten.")
    click_through(page, section.get_by_role("button", name="Fatt vedtak om Hverdagsrehabilitering"))
    decision = Decision.all_objects.get(case=case)
    visit(page, f"/personer/{person.pk}/vedtak/{decision.pk}/tildeling/")
    page.get_by_label("Enhet", exact=True).select_option(label="Fysio- og ergoterapi")
    page.get_by_label("Fra dato").fill(_day())
    click_through(page, page.get_by_role("button", name="Tildel"))
    assert Assignment.all_objects.filter(decision=decision, unit=therapy).exists()

    # The therapist finds the person on the programme's waiting list and starts.
    page.context.clear_cookies()
    log_in(page, therapist)
    visit(page, "/rehabilitering/venteliste/")
    row = page.get_by_role("row").filter(has_text="Skjermesen, Gunnhild")
    expect(row.get_by_role("cell", name="Tjenestekontoret")).to_be_visible()
    click_through(page, row.get_by_role("link", name="Skjermesen, Gunnhild"))
    click_through(page, page.get_by_role("link", name="Vurder henvisningen"))
    page.get_by_label("Vurdert dato").fill(_day())
    page.get_by_label("Aktuell", exact=True).check()
    click_through(page, page.get_by_role("button", name="Lagre"))
    click_through(page, page.get_by_role("link", name="Start forløpet"))
    page.get_by_label("Startdato").fill(_day())
    click_through(page, page.get_by_role("button", name="Lagre"))
    episode = Episode.all_objects.get(decision=decision)
    assert episode.status == "pagar" and episode.start_date == timezone.localdate()
    assert Case.all_objects.get(pk=case.pk).caseworker == worker

    # SPPB at the start and at the end, from the episode page; then the episode ends.
    _record_sppb(page, "Registrer SPPB ved oppstart", ("2", "2", "1"))
    _record_sppb(page, "Registrer SPPB ved avslutning", ("3", "3", "2"))
    totals = dict(
        Observation.all_objects.filter(episode=episode, instrument="sppb").values_list(
            "time_point", "total"
        )
    )
    assert (totals["start"], totals["slutt"]) == (5, 8)
    click_through(page, page.get_by_role("link", name="Avslutt forløpet"))
    page.get_by_label("Fullført").check()
    page.get_by_label("Sluttdato").fill(_day())
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Forløpet er avsluttet.")).to_be_visible()
    assert Episode.all_objects.get(pk=episode.pk).outcome == "fullfort"

    # The unit leader opens the everyday-rehab report from her menu: one more referral
    # from the allocation office, completed, with SPPB better (5 to 8 points).
    page.context.clear_cookies()
    log_in(page, leader)
    click_through(page, page.get_by_role("link", name="Oversikter"))
    click_through(page, page.get_by_role("link", name="Hverdagsrehabilitering"))
    expect(page.get_by_role("heading", name=f"Hverdagsrehabilitering {year}")).to_be_visible()
    flow = "Henvisninger og utfall"
    assert _figure(page, flow, "Henvist") == before["referrals"] + 1
    assert _figure(page, flow, "Vurdert aktuell") == before["relevant"] + 1
    assert _figure(page, flow, "Fullført") == before["completed"] + 1
    assert _figure(page, "Henvist fra", "Tjenestekontoret") == before_source + 1
    assert _figure(page, "Endring i SPPB", "Bedre") == before["sppb"]["improved"] + 1
    assert _figure(page, "Endring i SPPB", "Ikke målt") == before["sppb"]["not_measured"]
    assert not EmergencyAccess.all_objects.exists()


def test_a_message_is_given_to_a_colleague_who_opens_it(page: Page, world: object) -> None:
    """The coordinating unit's lead gives an unassigned message to a caseworker with the
    keyboard ("Fordel til …"); the caseworker finds it and opens it."""
    lead = factories.StaffFactory(
        municipality=world.municipality, user__first_name="Liv", user__last_name="Leder"
    )
    factories.give_role(lead, "leder_ke")
    referral = make_referral(world.person)
    log_in(page, lead)
    visit(page, "/meldinger/?vis=ufordelte")
    row = page.get_by_role("row").filter(has_text="Skjermesen, Gunnhild")
    summary = row.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    row.get_by_label("Fordel til", exact=True).select_option(label=str(world.caseworker))
    click_through(page, row.get_by_role("button", name="Fordel", exact=True))
    expect(page.get_by_text(f"Meldingen er fordelt til {world.caseworker}.")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, world.caseworker)
    visit(page, "/meldinger/")
    row = page.get_by_role("row").filter(has_text="Skjermesen, Gunnhild")
    expect(row.get_by_role("cell", name=str(world.caseworker))).to_be_visible()
    click_through(page, row.get_by_role("link", name=referral.received_on.strftime("%d.%m.%Y")))
    assert page.url.endswith(f"/personer/{world.person.pk}/meldinger/{referral.pk}/")
