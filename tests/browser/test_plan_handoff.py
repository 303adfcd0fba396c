"""The hand-offs of the individual-plan chain, each role using only its own menu and pages
and never emergency access: a relative phones the allocation office, whose caseworker
registers a message of need (nobody handles it yet); the coordinating unit's lead takes
it from "Ikke fordelt", opens a case for individual plan and coordinator, grants both
and appoints a coordinator from the coordinator group; the coordinator finds the person
from her start page ("Mine personer"), records the consent, creates the plan and writes
a goal in the person's words. Axe runs on every HTML page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from mestring.access.models import CareRelation, EmergencyAccess
from mestring.casework.models import Case, Decision
from mestring.people.models import Person
from mestring.plans.models import CoordinatorAssignment, CoordinatorProfile, Goal, IndividualPlan
from mestring.referrals.models import Referral
from tests import factories
from tests.browser.helpers import click_through, log_in, visit

NAME = "Planesen, Torvald"


def _day(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d.%m.%Y")


def _section(page: Page, heading: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_message_of_need_reaches_the_coordinator_who_makes_the_plan(
    page: Page, world: object
) -> None:
    municipality = world.municipality
    factories.UnitFactory(municipality=municipality, name="Koordinerende enhet")
    lead = factories.StaffFactory(
        municipality=municipality, user__first_name="Liv", user__last_name="Leder"
    )
    factories.give_role(lead, "leder_ke")
    coordinator = factories.StaffFactory(
        municipality=municipality, user__first_name="Kari", user__last_name="Koordinator"
    )
    factories.give_role(coordinator, "koordinator")
    CoordinatorProfile.all_objects.create(municipality=municipality, staff=coordinator)

    # 1. A relative phones the allocation office: the caseworker registers the message.
    log_in(page, world.caseworker)
    visit(page, "/meldinger/ny/")
    page.get_by_label("Ny person – ikke registrert fra før").check()
    page.get_by_label("Fornavn").fill("Torvald")
    page.get_by_label("Etternavn").fill("Planesen")
    page.get_by_label("Fødselsdato").fill("14.05.1951")
    page.get_by_label("Meldingen kom fra").select_option("parorende")
    page.get_by_label("Beskrivelse av behovet").fill(
        "Datteren ringer: far trenger mange tjenester etter hjerneslaget og en som samordner."
    )
    click_through(page, page.get_by_role("button", name="Registrer melding"))
    expect(page.get_by_text("Meldingen er registrert.")).to_be_visible()
    person = Person.all_objects.get(family_name="Planesen")
    referral = Referral.all_objects.get(person=person)
    assert referral.handler is None

    # 2. The coordinating unit's lead takes it from the queue nobody has taken.
    page.context.clear_cookies()
    log_in(page, lead)
    visit(page, f"/personer/{person.pk}/", status=403)
    visit(page, "/")
    click_through(page, page.get_by_role("link", name="meldinger som ingen har tatt"))
    row = page.get_by_role("row").filter(has_text=NAME)
    click_through(page, row.get_by_role("button", name="Ta meldingen"))
    expect(page.get_by_text("Du behandler nå meldingen.")).to_be_visible()
    assert page.url.endswith(f"/personer/{person.pk}/meldinger/{referral.pk}/")

    # A case for individual plan and coordinator, with the lead as its caseworker.
    page.get_by_text("Opprett sak fra meldingen").click()
    page.get_by_label("Personen søker individuell plan").check()
    page.get_by_label("Personen søker koordinator").check()
    page.get_by_label("Ansvarlig enhet").select_option(label="Koordinerende enhet")
    page.get_by_label("Saksbehandler").select_option(str(lead.pk))
    click_through(page, page.get_by_role("button", name="Opprett sak"))
    click_through(page, page.get_by_role("link", name="Gå til saken"))
    for subject, reasons in (
        ("individuell plan", "Du trenger tjenester fra flere enheter over lang tid."),
        ("koordinator", "En koordinator skal holde sammen tjenestene dine."),
    ):
        section = _section(page, f"Vedtak om {subject}")
        section.get_by_label("Innvilget", exact=True).check()
        section.get_by_label("Begrunnelse").fill(reasons)
        click_through(page, section.get_by_role("button", name=f"Fatt vedtak om {subject}"))
    case = Case.all_objects.get(person=person)
    assert case.caseworker == lead
    assert Decision.all_objects.filter(case=case, outcome="innvilget").count() == 2

    # The coordinator is appointed from the granted decision ("Oppnevn koordinator").
    decisions = page.get_by_role("region", name="Tabell over vedtak")
    click_through(page, decisions.get_by_role("link", name="Koordinator", exact=True))
    click_through(page, page.get_by_role("link", name="Oppnevn koordinator"))
    page.get_by_label("Koordinator", exact=True).select_option(str(coordinator.pk))
    page.get_by_label("Fra").fill(_day())
    page.get_by_label("Personens ønske").fill("En som ringer datteren før møtene")
    click_through(page, page.get_by_role("button", name="Oppnevn koordinator"))
    expect(page.get_by_text("Koordinatoren er oppnevnt.")).to_be_visible()
    assert CoordinatorAssignment.all_objects.get(person=person).coordinator == coordinator

    # 3. The coordinator finds the person from her start page and makes the plan.
    page.context.clear_cookies()
    log_in(page, coordinator)
    visit(page, "/")
    click_through(page, page.get_by_role("link", name="personer du har tjenstlig behov for"))
    row = page.get_by_role("row").filter(has_text=NAME)
    expect(row).to_contain_text("Koordinator")
    click_through(page, row.get_by_role("link", name=NAME))
    about = page.get_by_role("navigation", name="Om personen")
    click_through(page, about.get_by_role("link", name="Samtykker"))
    page.get_by_label("Type samtykke").select_option("individuell_plan")
    page.get_by_label("Omfang").fill("Opplysninger i individuell plan og ansvarsgruppe")
    page.get_by_label("Personen selv").check()
    page.get_by_label("Dato gitt").fill(_day())
    click_through(page, page.get_by_role("button", name="Registrer samtykke"))
    expect(page.get_by_text("Samtykket er registrert.")).to_be_visible()
    about = page.get_by_role("navigation", name="Om personen")
    click_through(page, about.get_by_role("link", name="Individuell plan"))
    page.get_by_label("Samtykke til individuell plan").select_option(index=1)
    page.get_by_label("Ansvarlig enhet").select_option(label="Koordinerende enhet")
    page.get_by_label("Planen gjelder fra").fill(_day())
    page.get_by_label("Neste revisjon").fill(_day(180))
    page.get_by_label("Hva er viktig for deg?").fill("Å bo hjemme og gå på kafé med datteren")
    click_through(page, page.get_by_role("button", name="Opprett planen"))
    expect(page.get_by_text("Planen er opprettet.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Nytt mål"))
    page.get_by_label("Mål, med personens egne ord").fill("Gå alene til kafeen på torget")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Målet er lagt til.")).to_be_visible()

    plan = IndividualPlan.all_objects.get(person=person)
    assert [g.text for g in Goal.all_objects.filter(plan=plan)] == ["Gå alene til kafeen på torget"]
    assert CareRelation.all_objects.filter(
        person=person, staff=coordinator, valid_to__isnull=True
    ).exists()
    assert not EmergencyAccess.all_objects.exists()
