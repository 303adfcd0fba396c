"""The whole coordination chain in one browser session: a coordinator in the coordinating
unit registers a message of need, triages it, opens a case and grants an individual plan
and a coordinator, records consent, writes goals and a measure, schedules a
responsibility-group meeting and writes the minutes. Afterwards a user without a care
relation is refused on every person page the coordinator used. Axe runs on every page."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from mestring.casework.models import Case, Decision
from mestring.people.models import Person
from mestring.plans.models import CoordinatorProfile, Goal, IndividualPlan, Measure
from mestring.referrals.models import Referral
from mestring.teams.models import Meeting
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit


def _day(delta: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=delta)).strftime("%d.%m.%Y")


def _section(page: Page, heading: str) -> Locator:
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_message_to_minutes_and_refusal_at_each_step(page: Page, world: object) -> None:
    municipality = world.municipality
    coordinator = factories.StaffFactory(
        municipality=municipality,
        user__username="kjersti",
        user__first_name="Kjersti",
        user__last_name="Koordinator",
    )
    factories.give_role(coordinator, "leder_ke")
    CoordinatorProfile.all_objects.create(municipality=municipality, staff=coordinator)
    factories.UnitFactory(municipality=municipality, name="Koordinerende enhet")
    visited: list[str] = []

    def remember() -> None:
        if path_of(page).startswith("/personer/") and path_of(page) not in visited:
            visited.append(path_of(page))

    log_in(page, coordinator)

    # 1. Message of need, for a person not yet known.
    visit(page, "/meldinger/ny/")
    page.get_by_label("Ny person – ikke registrert fra før").check()
    page.get_by_label("Fornavn").fill("Torleif")
    page.get_by_label("Etternavn").fill("Kjedesen")
    page.get_by_label("Fødselsdato").fill("02.03.1949")
    page.get_by_label("Meldingen kom fra").select_option("helseforetak")
    page.get_by_label("Beskrivelse av behovet").fill(
        "Utskrevet etter hjerneslag, trenger mange tjenester."
    )
    click_through(page, page.get_by_role("button", name="Registrer melding"))
    expect(page.get_by_text("Meldingen er registrert.")).to_be_visible()
    person = Person.all_objects.get(family_name="Kjedesen")
    remember()

    # 2. Triage, then a case for individual plan and coordinator.
    page.get_by_label("Nivå i rehabiliteringspyramiden").select_option("4")
    page.get_by_label("Behov for spesialisert kompetanse").select_option("3")
    page.get_by_label("Kompleksitet").select_option("4")
    page.get_by_label("Behov for intensitet").select_option("2")
    click_through(page, page.get_by_role("button", name="Lagre vurdering"))
    page.get_by_text("Opprett sak fra meldingen").click()
    page.get_by_label("Personen søker individuell plan").check()
    page.get_by_label("Personen søker koordinator").check()
    page.get_by_label("Ansvarlig enhet").select_option(label="Koordinerende enhet")
    page.get_by_label("Saksbehandler").select_option(str(coordinator.pk))
    click_through(page, page.get_by_role("button", name="Opprett sak"))
    referral = Referral.all_objects.get(person=person)
    assert referral.status == "sak_opprettet" and referral.pyramid_level == 4
    click_through(page, page.get_by_role("link", name="Gå til saken"))
    remember()

    # 3. Decisions: individual plan and coordinator granted.
    for subject, reasons in (
        ("individuell plan", "Du trenger tjenester fra flere enheter over lang tid."),
        ("koordinator", "En koordinator skal holde sammen tjenestene dine."),
    ):
        section = _section(page, f"Vedtak om {subject}")
        section.get_by_label("Innvilget", exact=True).check()
        section.get_by_label("Begrunnelse").fill(reasons)
        click_through(page, section.get_by_role("button", name=f"Fatt vedtak om {subject}"))
    case = Case.all_objects.get(person=person)
    assert case.status == "vedtak"
    assert Decision.all_objects.filter(case=case, outcome="innvilget").count() == 2

    # 4. The coordinator is appointed (here: the coordinator herself).
    visit(page, f"/personer/{person.pk}/koordinator/")
    remember()
    page.get_by_label("Koordinator", exact=True).select_option(str(coordinator.pk))
    page.get_by_label("Fra").fill(_day())
    page.get_by_label("Personens ønske").fill("En som ringer meg før møtene")
    click_through(page, page.get_by_role("button", name="Oppnevn koordinator"))
    expect(page.get_by_text("Koordinatoren er oppnevnt.")).to_be_visible()

    # 5. Consent, then the plan with goals in the person's words and a measure.
    visit(page, f"/personer/{person.pk}/samtykker/")
    remember()
    page.get_by_label("Type samtykke").select_option("individuell_plan")
    page.get_by_label("Omfang").fill("Opplysninger i individuell plan og ansvarsgruppe")
    page.get_by_label("Personen selv").check()
    page.get_by_label("Dato gitt").fill(_day())
    click_through(page, page.get_by_role("button", name="Registrer samtykke"))
    visit(page, f"/personer/{person.pk}/plan/")
    remember()
    page.get_by_label("Samtykke til individuell plan").select_option(index=1)
    page.get_by_label("Ansvarlig enhet").select_option(label="Hjemmetjenesten")
    page.get_by_label("Planen gjelder fra").fill(_day())
    page.get_by_label("Neste revisjon").fill(_day(180))
    page.get_by_label("Hva er viktig for deg?").fill("Å komme hjem og klare meg selv")
    click_through(page, page.get_by_role("button", name="Opprett planen"))
    expect(page.get_by_text("Planen er opprettet.")).to_be_visible()
    remember()
    for words in ("Gå tur med hunden", "Lage frokost selv"):
        click_through(page, page.get_by_role("link", name="Nytt mål"))
        remember()
        page.get_by_label("Mål, med personens egne ord").fill(words)
        click_through(page, page.get_by_role("button", name="Lagre"))
    click_through(page, page.get_by_role("link", name="Nytt tiltak"))
    remember()
    page.get_by_label("Tiltak", exact=True).fill("Hverdagsrehabilitering")
    page.get_by_label("Omfang").fill("3 ganger i uken i 6 uker")
    page.get_by_label("Ansvarlig enhet").select_option(label="Hjemmetjenesten")
    page.get_by_label("Mål tiltaket hører til").select_option(label="Gå tur med hunden")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Tiltaket er lagt til.")).to_be_visible()
    plan = IndividualPlan.all_objects.get(person=person)
    assert Goal.all_objects.filter(plan=plan).count() == 2
    assert Measure.all_objects.get(plan=plan).goal.text == "Gå tur med hunden"

    # 6. Responsibility group, a meeting, and the minutes.
    visit(page, f"/personer/{person.pk}/ansvarsgruppe/")
    remember()
    click_through(page, page.get_by_role("button", name="Opprett ansvarsgruppe"))
    click_through(page, page.get_by_role("link", name="Nytt møte"))
    remember()
    page.get_by_label("Dato").fill(_day(-1))
    page.get_by_label("Fra klokken").fill("09:00")
    page.get_by_label("Til klokken").fill("10:00")
    page.get_by_label("Sted").fill("Helsehuset")
    page.get_by_label("Saksliste").fill("Mål og tiltak")
    click_through(page, page.get_by_role("button", name="Legg inn møtet"))
    expect(page.get_by_text("Møtet er lagt inn, og medlemmene er invitert.")).to_be_visible()
    remember()
    page.get_by_role("textbox", name="Referat", exact=True).fill("Planen ble gjennomgått.")
    page.get_by_label("Beslutninger").fill("Starter hverdagsrehabilitering.")
    click_through(page, page.get_by_role("button", name="Lagre referatet"))
    expect(page.get_by_text("Referatet er lagret.")).to_be_visible()
    meeting = Meeting.all_objects.get(group__person=person)
    assert meeting.status == "avholdt" and meeting.minutes == "Planen ble gjennomgått."

    # 7. Someone without a care relation is refused at every step.
    page.context.clear_cookies()
    log_in(page, world.outsider)
    assert len(visited) >= 8
    for url in visited:
        visit(page, url, status=403)
        expect(page.get_by_role("heading", name="Ingen tilgang")).to_be_visible()
        assert "Kjedesen" not in page.content()
