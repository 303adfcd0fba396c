"""Walkthroughs in a real browser: login with the second factor, search, overview,
refusal, keyboard use and administration. Every page reached is checked with axe."""

from __future__ import annotations

import base64
import datetime
import re
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from mestring.accounts.services import issue_enrolment_code
from mestring.people.models import Person, Unit, UnitInvolvement
from tests import factories
from tests.browser.helpers import (
    click_through,
    code_from_secret,
    confirmed_device,
    htmx_swap,
    log_in,
    path_of,
    submit_code,
    submit_password,
    visit,
    wrong_totp_code,
)

SEARCH_LABEL = "Navn, fødselsdato eller fødselsnummer"
WRONG_CODE = "Koden stemmer ikke. Sjekk appen og prøv igjen."
CODE_THROTTLED = "Du har skrevet feil kode flere ganger. Vent noen sekunder og prøv igjen."


def _name_person(person: Person, given: str, family: str, **fields: object) -> Person:
    """Fixed names, so a search or a text check cannot collide with Faker's staff names."""
    Person.all_objects.filter(pk=person.pk).update(given_name=given, family_name=family, **fields)
    person.refresh_from_db()
    return person


def _nav(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name=name, exact=True
    )


def _section(page: Page, heading: str) -> Locator:
    """A <section> by its heading (its scrollable table carries the same accessible name)."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def _search(page: Page, text: str) -> None:
    """Type in the search page's field; htmx fetches the results as the user types."""
    field = page.get_by_role("searchbox", name=SEARCH_LABEL)
    htmx_swap(page, lambda: field.fill(text), "/personer/")


def _focus_state(page: Page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          const box = el.getBoundingClientRect();
          return {
            id: el.id, tag: el.tagName, text: el.textContent.trim(),
            className: el.className, href: el.getAttribute('href'),
            focusVisible: el.matches(':focus-visible'),
            inMain: document.querySelector('main').contains(el),
            outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
            boxShadow: style.boxShadow, width: box.width, height: box.height,
          };
        }"""
    )


def test_login_search_and_person_overview(page: Page, world: object) -> None:
    person = _name_person(
        world.person,
        "Solveig",
        "Fjellheim",
        phone="41234567",
        street_address="Storgata 1",
        postal_code="0155",
        postal_town="Oslo",
    )
    factories.RelativeFactory(person=person, name="Synne Slektning", phone="98765432")
    unit = Unit.all_objects.get(municipality=world.municipality, name="Hjemmetjenesten")
    UnitInvolvement.all_objects.create(
        municipality=world.municipality,
        person=person,
        unit=unit,
        role="Hjemmesykepleie",
        started_on=datetime.date(2025, 1, 6),
    )

    log_in(page, world.owner)  # password, then the code from the authenticator app

    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page).to_have_title("Start – Mestring – Testkommune")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hei, {world.owner.user.first_name}")
    expect(page.get_by_text("Du arbeider i Testkommune.")).to_be_visible()
    expect(page.locator(".site-logo")).to_contain_text("Testkommune")
    expect(page.get_by_role("button", name="Logg ut")).to_be_visible()

    click_through(page, _nav(page, "Personer"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer")
    expect(page.get_by_text("Skriv inn et søk for å finne personer.")).to_be_visible()
    _search(page, "Solveig Fjellheim")
    pushed = urlsplit(page.url)  # htmx pushes the search into the address bar
    assert (pushed.path, parse_qs(pushed.query)) == ("/personer/", {"q": ["Solveig Fjellheim"]})
    results = page.get_by_role("region", name="Søkeresultat")
    expect(page.get_by_text("1 person funnet.")).to_be_visible()
    expect(results.get_by_role("row")).to_have_count(2)  # header and one person
    expect(results.get_by_text("Tjenstlig behov")).to_be_visible()

    click_through(page, results.get_by_role("link", name="Fjellheim, Solveig"))
    assert path_of(page) == f"/personer/{person.pk}/"
    expect(page).to_have_title("Solveig Fjellheim – Mestring – Testkommune")
    expect(page.get_by_role("heading", level=1)).to_have_text("Solveig Fjellheim")
    identity = _section(page, "Identitet")
    expect(identity).to_contain_text(person.national_id)
    expect(identity).to_contain_text("norsk")
    contact = _section(page, "Kontakt")
    expect(contact).to_contain_text("Storgata 1, 0155 Oslo")
    expect(contact).to_contain_text("41234567")
    relatives = _section(page, "Pårørende og verger")
    expect(relatives.get_by_role("cell", name="Synne Slektning")).to_be_visible()
    expect(relatives).to_contain_text("98765432")
    units = _section(page, "Involverte enheter")
    expect(units.get_by_role("cell", name="Hjemmetjenesten")).to_be_visible()
    expect(units).to_contain_text("Hjemmesykepleie")
    expect(units).to_contain_text("06.01.2025")


def test_first_login_enrols_the_authenticator_app(page: Page, world: object) -> None:
    user = world.caseworker.user
    assert not TOTPDevice.objects.filter(user=user).exists()
    enrolment_code = issue_enrolment_code(user)  # from the administrator, shown once

    submit_password(page, user.username)

    assert path_of(page) == "/logg-inn/ny-app/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer autentiseringsapp")
    expect(page.locator(".qr svg title")).to_have_text("QR-kode for autentiseringsappen")
    secret = page.get_by_test_id("totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret), secret
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    raw = secret.replace(" ", "")
    assert base64.b32decode(raw + "=" * (-len(raw) % 8)) == device.bin_key

    page.get_by_label("Registreringskode").fill(enrolment_code)
    page.get_by_label("Engangskode").fill(code_from_secret(secret))
    click_through(page, page.get_by_role("button", name="Bekreft og logg inn"))

    assert path_of(page) == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hei, {user.first_name}")
    device.refresh_from_db()
    assert device.confirmed


def test_wrong_codes_show_an_error_and_then_lock_the_account(page: Page, world: object) -> None:
    user = world.owner.user
    device = confirmed_device(world.owner)
    limit = settings.MESTRING_LOGIN_MAX_FAILURES
    submit_password(page, user.username)
    assert path_of(page) == "/logg-inn/kode/"

    for attempt in range(1, limit):
        submit_code(page, wrong_totp_code(device))
        assert path_of(page) == "/logg-inn/kode/"
        # The first wrong code gets the plain message. A user typing again at once meets
        # django-otp's growing delay and is told to wait; both count towards the lock.
        expect(page.locator(".ds-error-summary")).to_contain_text(
            WRONG_CODE
            if attempt == 1
            else re.compile(f"{re.escape(WRONG_CODE)}|{re.escape(CODE_THROTTLED)}")
        )
        expect(page.get_by_label("Engangskode")).to_have_attribute("aria-invalid", "true")
        user.refresh_from_db()
        assert (user.failed_login_count, user.is_locked()) == (attempt, False)

    submit_code(page, wrong_totp_code(device))

    assert path_of(page) == "/logg-inn/"
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(r"For mange mislykkede forsøk\. Kontoen er låst til kl\. \d\d:\d\d\.")
    )
    user.refresh_from_db()
    assert user.is_locked()

    # The right password does not help while the account is locked; the password step
    # answers as for a wrong password, so it does not reveal that the username exists.
    submit_password(page, user.username)
    assert path_of(page) == "/logg-inn/"
    expect(page.locator(".ds-error-summary")).to_contain_text(
        "Feil brukernavn eller passord, eller kontoen er midlertidig låst"
    )


def test_person_without_care_relation_is_refused(page: Page, world: object) -> None:
    _name_person(world.person, "Solveig", "Fjellheim")
    log_in(page, world.outsider)

    click_through(page, _nav(page, "Personer"))
    _search(page, "Fjellheim")
    results = page.get_by_role("region", name="Søkeresultat")
    expect(results.get_by_text("Ingen tilgang")).to_be_visible()

    click_through(page, results.get_by_role("link", name="Fjellheim, Solveig"), status=403)

    expect(page).to_have_title(re.compile(r"^Ingen tilgang – Mestring"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingen tilgang")
    expect(page.get_by_text("Forsøket er logget.")).to_be_visible()
    html = page.content()
    assert "Fjellheim" not in html
    assert "Solveig" not in html


def test_skip_link_moves_focus_to_main_content_and_focus_is_visible(
    page: Page, world: object
) -> None:
    log_in(page, world.owner)
    visit(page, "/")
    skip_link = page.get_by_role("link", name="Hopp til hovedinnhold")
    hidden_box = skip_link.bounding_box()
    assert hidden_box is not None and hidden_box["width"] <= 1  # visually hidden until focused

    page.keyboard.press("Tab")
    state = _focus_state(page)
    assert (state["text"], state["href"]) == ("Hopp til hovedinnhold", "#hovedinnhold"), state
    assert state["focusVisible"], state
    # Designsystemet shows the skip link itself as the focus indicator.
    assert state["width"] > 40 and state["height"] > 20, state

    page.keyboard.press("Enter")
    state = _focus_state(page)
    assert (state["tag"], state["id"]) == ("MAIN", "hovedinnhold"), state
    assert page.url.endswith("#hovedinnhold")

    page.keyboard.press("Tab")
    state = _focus_state(page)
    assert state["inMain"] and state["id"] == "id_q_home", state
    assert state["focusVisible"], state
    assert (state["outlineStyle"] != "none" and state["outlineWidth"] > 0) or (
        state["boxShadow"] != "none"
    ), state


def test_administrator_creates_a_unit_and_opens_staff(page: Page, world: object) -> None:
    log_in(page, world.admin)

    click_through(page, _nav(page, "Administrasjon"))
    click_through(page, page.get_by_role("main").get_by_role("link", name="Enheter"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enheter")
    expect(page.get_by_role("link", name="Hjemmetjenesten")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Ny enhet"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny enhet")
    page.get_by_label("Type").select_option(label="Fastlege")
    page.get_by_label("Kontaktperson").fill("Kari Kontakt")
    page.get_by_label("Telefon").fill("22334455")
    click_through(page, page.get_by_role("button", name="Lagre"))

    assert path_of(page) == "/admin/enheter/ny/"
    summary = page.locator(".ds-error-summary")
    expect(summary).to_contain_text("Skriv inn navnet på enheten.")
    name = page.get_by_label("Navn", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Type")).to_have_value("fastlege")
    expect(page.get_by_label("Kontaktperson")).to_have_value("Kari Kontakt")
    expect(page.get_by_label("Telefon")).to_have_value("22334455")
    assert not Unit.all_objects.filter(contact_name="Kari Kontakt").exists()

    name.fill("Legekontoret i sentrum")
    click_through(page, page.get_by_role("button", name="Lagre"))

    assert path_of(page) == "/admin/enheter/"
    expect(page.get_by_role("status")).to_contain_text("Enheten er lagret.")
    expect(page.get_by_role("link", name="Legekontoret i sentrum")).to_be_visible()
    unit = Unit.all_objects.get(municipality=world.municipality, name="Legekontoret i sentrum")
    assert (unit.kind, unit.contact_name, unit.phone) == ("fastlege", "Kari Kontakt", "22334455")

    click_through(page, _nav(page, "Administrasjon"))
    click_through(page, page.get_by_role("main").get_by_role("link", name="Ansatte"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ansatte")
    staff_table = page.get_by_role("region", name="Ansatte")
    for username in ("eier", "utenforstaende", "administrator"):
        expect(staff_table.get_by_role("cell", name=username, exact=True)).to_be_visible()


def test_registering_a_person_with_an_invalid_birth_date_keeps_the_input(
    page: Page, world: object
) -> None:
    log_in(page, world.caseworker)

    click_through(page, page.get_by_role("link", name="Registrer en ny person"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrer ny person")
    page.get_by_label("Fornavn").fill("Åse")
    page.get_by_label("Etternavn").fill("Bjørnstad")
    page.get_by_label("Fødselsdato").fill("31.02.1950")
    click_through(page, page.get_by_role("button", name="Lagre"))

    assert path_of(page) == "/personer/ny/"
    summary = page.locator(".ds-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Rett opp dette før du går videre:")
    error_link = summary.get_by_role("link", name="Fødselsdato: Fødselsdatoen må skrives som")
    expect(error_link).to_have_attribute("href", "#id_birth_date")
    expect(page.get_by_label("Fornavn")).to_have_value("Åse")
    expect(page.get_by_label("Etternavn")).to_have_value("Bjørnstad")
    birth_date = page.get_by_label("Fødselsdato")
    expect(birth_date).to_have_value("31.02.1950")
    expect(birth_date).to_have_attribute("aria-invalid", "true")
    expect(birth_date).to_have_accessible_description(
        re.compile(r"^Fødselsdatoen må skrives som dd\.mm\.åååå\.")
    )

    error_link.click()  # the summary's link takes the user to the field
    expect(birth_date).to_be_focused()
    assert not Person.all_objects.filter(family_name="Bjørnstad").exists()
