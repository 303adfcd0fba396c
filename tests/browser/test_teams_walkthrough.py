"""A responsibility group in a real browser: the coordinator builds the group, calls a
meeting, hands out the invitation, writes the minutes with a follow-up item; the
provider finds the item on their worklist and marks it done. Every page gets axe."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from mestring.people.models import Relative
from mestring.plans.models import CoordinatorAssignment
from mestring.teams.models import Attendance, FollowUpItem, GroupMember, Meeting
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit


def test_group_meeting_minutes_and_follow_up(page: Page, world: object) -> None:
    person = world.person
    CoordinatorAssignment.all_objects.create(
        municipality=world.municipality,
        person=person,
        coordinator=world.owner,
        started_on=datetime.date(2026, 1, 2),
    )
    Relative.all_objects.create(
        municipality=world.municipality, person=person, name="Rita Datter", relation="barn"
    )
    provider = factories.StaffFactory(
        municipality=world.municipality,
        user__username="fysio",
        user__first_name="Frida",
        user__last_name="Fysio",
    )
    factories.give_role(provider, "tjenesteyter")
    coordinator_name = world.owner.user.get_full_name()

    # The coordinator creates the group: the person is in it and the coordinator chairs.
    log_in(page, world.owner)
    visit(page, f"/personer/{person.pk}/moter/ny/")
    expect(page.get_by_text("Personen har ingen aktiv ansvarsgruppe.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Gå til ansvarsgruppen"))
    click_through(page, page.get_by_role("button", name="Opprett ansvarsgruppe"))
    expect(page.get_by_text("Ansvarsgruppen er opprettet.")).to_be_visible()
    members = page.get_by_role("region", name="Medlemmer")
    expect(members.get_by_role("row", name=f"{coordinator_name} Leder")).to_be_visible()
    expect(members.get_by_role("cell", name="Gunnhild Skjermesen")).to_be_visible()

    # An internal provider, with a mistake first: the form says what is missing.
    click_through(page, page.get_by_role("link", name="Legg til medlem"))
    page.get_by_role("radio", name="Kommunal tjenesteyter").check()
    click_through(page, page.get_by_role("button", name="Legg til medlem"))
    expect(page.get_by_text("Velg en ansatt eller en enhet.").first).to_be_visible()
    expect(page.get_by_text("Skriv hvilken rolle medlemmet har i gruppen.").first).to_be_visible()
    page.get_by_label("Ansatt (kommunal tjenesteyter)").select_option(str(provider.pk))
    page.get_by_label("Rolle i gruppen").fill("Fysioterapeut")
    click_through(page, page.get_by_role("button", name="Legg til medlem"))
    expect(page.get_by_text("Medlemmet er lagt til.")).to_be_visible()

    # A relative.
    click_through(page, page.get_by_role("link", name="Legg til medlem"))
    page.get_by_role("radio", name="Pårørende / verge").check()
    page.get_by_role("combobox", name="Pårørende eller verge").select_option(label="Rita Datter")
    page.get_by_label("Rolle i gruppen").fill("Datter")
    click_through(page, page.get_by_role("button", name="Legg til medlem"))
    expect(members.get_by_role("cell", name="Rita Datter", exact=True)).to_be_visible()
    assert GroupMember.all_objects.filter(ended_on__isnull=True).count() == 4
    # Ending a membership asks for the date and checks it (not done here: Avbryt).
    click_through(page, members.get_by_role("link", name="Avslutt Rita Datter"))
    page.get_by_label("Medlem til og med").fill("01.01.2000")
    click_through(page, page.get_by_role("button", name="Avslutt medlemskapet"))
    expect(page.get_by_text("Sluttdatoen kan ikke være før medlemskapet startet.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Avbryt"))

    # A meeting yesterday (so the minutes can be written now); a bad time first.
    click_through(page, page.get_by_role("link", name="Nytt møte"))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Dato").fill(yesterday.strftime("%d.%m.%Y"))
    page.get_by_label("Fra klokken").fill("9:75")
    page.get_by_label("Til klokken").fill("11:00")
    page.get_by_label("Sted").fill("Rådhuset, møterom 2")
    page.get_by_label("Saksliste").fill("1. Mål og tiltak\n2. Hjelpemidler")
    click_through(page, page.get_by_role("button", name="Legg inn møtet"))
    expect(page.get_by_text("Klokkeslettet må skrives som tt:mm").first).to_be_visible()
    expect(page.get_by_label("Sted")).to_have_value("Rådhuset, møterom 2")
    page.get_by_label("Fra klokken").fill("09:30")
    click_through(page, page.get_by_role("button", name="Legg inn møtet"))
    expect(page.get_by_text("Møtet er lagt inn, og medlemmene er invitert.")).to_be_visible()
    meeting = Meeting.all_objects.get()
    assert path_of(page) == f"/personer/{person.pk}/moter/{meeting.pk}/"
    assert Attendance.all_objects.filter(meeting=meeting).count() == 4

    # A change of time raises the invitation's SEQUENCE.
    click_through(page, page.get_by_role("link", name="Endre møtet"))
    expect(page.get_by_label("Fra klokken")).to_have_value("09:30")
    page.get_by_label("Til klokken").fill("11:30")
    click_through(page, page.get_by_role("button", name="Lagre endringene"))
    expect(page.get_by_text("endret én gang")).to_be_visible()
    meeting.refresh_from_db()

    # The invitation: a calendar file with the time and place and nothing about the person.
    href = page.get_by_role("link", name="Last ned invitasjon (.ics)").get_attribute("href")
    download = page.request.get(href)
    assert download.status == 200
    assert download.headers["content-type"] == "text/calendar; charset=utf-8"
    event = Calendar.from_ical(download.body()).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.uid}@mestring"
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == meeting.starts_at
    assert "Skjermesen" not in download.text() and "Gunnhild" not in download.text()

    # Attendance and minutes, then a follow-up item for the provider.
    page.get_by_label("Gunnhild Skjermesen (Personen selv)").check()
    page.get_by_label(f"{coordinator_name} (Koordinator)").check()
    page.get_by_label("Frida Fysio (Fysioterapeut)").check()
    minutes = page.get_by_role("textbox", name="Referat", exact=True)
    minutes.fill("Gjennomgikk målene. Trening to ganger i uken.")
    page.get_by_label("Beslutninger").fill("Søke om rullator.")
    click_through(page, page.get_by_role("button", name="Lagre referatet"))
    expect(page.get_by_text("Referatet er lagret.")).to_be_visible()
    page.get_by_text("Legg til oppfølgingspunkt").first.click()
    page.get_by_label("Hva skal gjøres").fill("Søke om rullator hos NAV")
    page.get_by_label("Ansvarlig").select_option(label="Frida Fysio (Fysioterapeut)")
    page.get_by_label("Frist").fill((yesterday + datetime.timedelta(days=14)).strftime("%d.%m.%Y"))
    click_through(page, page.get_by_role("button", name="Legg til oppfølgingspunkt"))
    expect(page.get_by_text("Oppfølgingspunktet er lagt til.")).to_be_visible()
    attended = dict(
        Attendance.all_objects.filter(meeting=meeting).values_list("member__kind", "attended")
    )
    assert attended["parorende"] is False and attended["personen"] is True

    # The provider finds the item on their worklist and marks it done.
    page.context.clear_cookies()
    log_in(page, provider)
    visit(page, "/oppfolging/")
    row = page.get_by_role("row", name="Søke om rullator hos NAV")
    expect(row).to_be_visible()
    expect(row.get_by_role("link", name="Skjermesen, Gunnhild")).to_be_visible()
    click_through(page, row.get_by_role("button", name="Marker som utført"))
    assert path_of(page) == "/oppfolging/"
    expect(page.get_by_text("Oppfølgingspunktet er markert som utført.")).to_be_visible()
    expect(page.get_by_text("Du har ingen åpne oppfølgingspunkter.")).to_be_visible()
    assert FollowUpItem.all_objects.get().done_on == timezone.localdate()
