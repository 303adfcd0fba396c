"""Frisklivsresept and courses in a real browser: a caseworker registers a
frisklivsresept, records the health conversation and ends it completed; then creates a
course with one place and a session, enrols two persons (the second goes on the waiting
list) and records attendance. Every page is checked with axe."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.courses.models import Attendance, Enrolment
from mestring.friskliv.models import Prescription
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def test_prescription_and_course_walkthrough(page: Page, world: object) -> None:
    person = world.person
    second = factories.PersonFactory(
        municipality=world.municipality, given_name="Torstein", family_name="Ventesen"
    )
    factories.grant_relation(world.caseworker, person)
    factories.grant_relation(world.caseworker, second)
    log_in(page, world.caseworker)

    # Frisklivsresept: register, start with the health conversation, end completed.
    visit(page, f"/personer/{person.pk}/frisklivsresept/")
    expect(page.get_by_text("Personen har ingen frisklivsresept.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Ny frisklivsresept"))
    page.get_by_label("Henvist dato").fill(_day(-100))
    page.get_by_label("Årsak").select_option(label="Muskel/skjelett")
    page.get_by_label("Henvist av").select_option(label="Fastlege")
    page.get_by_label("Navn på henviser").fill("Legesenteret")
    click_through(page, page.get_by_role("button", name="Registrer frisklivsresept"))
    expect(page.get_by_text("Frisklivsresepten er registrert.")).to_be_visible()
    prescription = Prescription.all_objects.get(person=person)
    assert path_of(page) == f"/personer/{person.pk}/frisklivsresept/{prescription.pk}/"

    page.get_by_label("Dato for helsesamtalen").fill(_day(-90))
    click_through(page, page.get_by_role("button", name="Start reseptperioden"))
    expect(page.get_by_text("reseptperioden har startet")).to_be_visible()
    page.get_by_label("Avsluttet dato").fill(_day(-6))
    page.get_by_label("Ja, gjennomført").check()
    click_through(page, page.get_by_role("button", name="Avslutt resepten"))
    expect(page.get_by_text("Frisklivsresepten er avsluttet.")).to_be_visible()
    prescription.refresh_from_db()
    assert (prescription.status, prescription.completed) == ("avsluttet", True)

    visit(page, "/frisklivssentral/resepter/")
    expect(page.get_by_text("Ingen frisklivsresepter pågår.")).to_be_visible()
    visit(page, f"/rapporter/frisklivsresept/?ar={timezone.localdate().year}")
    expect(page.get_by_role("row", name="Muskel/skjelett 1 100 %")).to_be_visible()

    # A course with one place and a session.
    visit(page, "/kurs/")
    click_through(page, page.get_by_role("link", name="Nytt kurs"))
    page.get_by_label("Tittel").fill("Sterk og stødig 65+")
    page.get_by_label("Type").select_option(label="Gruppetrening")
    page.get_by_label("Målgruppe").select_option(label="Fallforebygging 65+")
    page.get_by_label("Enhet").select_option(label="Hjemmetjenesten")
    page.get_by_label("Antall plasser").fill("1")
    page.get_by_label("Starter").fill(_day())
    click_through(page, page.get_by_role("button", name="Lagre kurset"))
    expect(page.get_by_text("Kurset er lagret.")).to_be_visible()
    course_path = path_of(page)
    click_through(page, page.get_by_role("link", name="Ny samling"))
    page.get_by_label("Dato").fill(_day())
    page.get_by_label("Fra klokken").fill("10:00")
    page.get_by_label("Til klokken").fill("11:30")
    page.get_by_label("Sted").fill("Helsehuset, sal 2")
    page.get_by_label("Tema").fill("Balanse")
    click_through(page, page.get_by_role("button", name="Lagre samlingen"))
    expect(page.get_by_text("Samlingen er lagret.")).to_be_visible()

    # Two persons enrolled from their own pages: the second goes on the waiting list.
    for who, message in (
        (person, "Personen er meldt på kurset."),
        (second, "Kurset er fullt. Personen står som nummer 1 på ventelisten."),
    ):
        visit(page, f"/personer/{who.pk}/kurs/")
        page.get_by_label("Kurs", exact=True).select_option(index=1)
        click_through(page, page.get_by_role("button", name="Meld på"))
        expect(page.get_by_text(message)).to_be_visible()
    assert set(Enrolment.all_objects.values_list("status", flat=True)) == {"pameldt", "venteliste"}

    visit(page, course_path)
    waiting = page.get_by_role("region", name="Tabell over ventelisten")
    expect(waiting.get_by_role("row", name="1 Ventesen, Torstein")).to_be_visible()
    click_through(page, page.get_by_role("link", name=f"Registrer oppmøte {_day()}"))
    page.get_by_label("Skjermesen, Gunnhild").check()
    click_through(page, page.get_by_role("button", name="Lagre oppmøte"))
    expect(page.get_by_text("Oppmøtet er lagret.")).to_be_visible()
    matrix = page.get_by_role("region", name="Oppmøte per deltaker og samling")
    expect(matrix.get_by_role("row", name="Skjermesen, Gunnhild Ja 1")).to_be_visible()
    assert Attendance.all_objects.get().present is True
