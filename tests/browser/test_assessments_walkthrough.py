"""Assessments in a real browser: a caseworker with a care relation scores every
variable with the keyboard, then records a follow-up with one score missing and sees
the incomplete flag and the comparison. Every page is checked with axe."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.assessments.models import Assessment, AssessmentScore
from tests import factories
from tests.assessments.helpers import variables
from tests.browser.helpers import click_through, log_in, path_of, visit


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def _score_with_keyboard(page: Page, names: list[str], steps: list[int]) -> None:
    """From "Hva er viktig for deg?", Tab into each radio group in turn; Space picks
    score 1 and each ArrowDown moves to the next score, as a keyboard user would."""
    page.get_by_label("Hva er viktig for deg?").focus()
    for name, step in zip(names, steps, strict=True):
        page.keyboard.press("Tab")
        group = page.get_by_role("group", name=name, exact=True)
        expect(group.get_by_role("radio").first).to_be_focused()
        if step < 0:
            continue  # left unanswered
        page.keyboard.press("Space")
        for _ in range(step):
            page.keyboard.press("ArrowDown")


def _fill_dates(page: Page, assessed: str, following: str, what_matters: str) -> None:
    page.get_by_label("Dato for kartleggingen").fill(assessed)
    page.get_by_label("Dato for neste kartlegging").fill(following)
    page.get_by_label("Hva er viktig for deg?").fill(what_matters)


def test_caseworker_records_assessments_with_the_keyboard(page: Page, world: object) -> None:
    person = world.person
    factories.grant_relation(world.caseworker, person)
    names = [v.name for v in variables(world.municipality)]
    log_in(page, world.caseworker)

    visit(page, f"/personer/{person.pk}/kartlegging/")
    expect(page.get_by_text("Personen er ikke kartlagt.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Ny kartlegging"))
    assert path_of(page) == f"/personer/{person.pk}/kartlegging/ny/"
    group = page.get_by_role("group", name="Lage mat", exact=True)
    expect(group.get_by_label("3 – Trenger noe hjelp eller tilsyn")).to_be_visible()
    expect(group.get_by_label("9 – Ikke relevant")).to_be_visible()

    _fill_dates(page, _day(-60), _day(120), "Å lage middag selv igjen.")
    _score_with_keyboard(page, names, [3] * len(names))  # 4 – Trenger mye hjelp
    expect(
        page.get_by_role("group", name="Hørsel", exact=True).get_by_label("4 – Trenger mye hjelp")
    ).to_be_checked()
    click_through(page, page.get_by_role("button", name="Lagre kartlegging"))
    expect(page.get_by_text("Kartleggingen er lagret og er fullstendig.")).to_be_visible()
    expect(page.get_by_text("Fullstendig", exact=True)).to_be_visible()
    first = Assessment.all_objects.get(person=person)
    assert set(
        AssessmentScore.all_objects.filter(assessment=first).values_list("score", flat=True)
    ) == {4}

    click_through(page, page.get_by_role("link", name="Tilbake til alle kartlegginger"))
    click_through(page, page.get_by_role("link", name="Ny kartlegging"))
    _fill_dates(page, _day(), _day(180), "Å gå på butikken alene.")
    # Better on every variable (score 2), except Hørsel, left unanswered.
    _score_with_keyboard(page, names, [1] * (len(names) - 1) + [-1])
    click_through(page, page.get_by_role("button", name="Lagre kartlegging"))
    expect(page.get_by_text("1 variabler mangler skår.")).to_be_visible()
    expect(page.get_by_role("heading", name="Kartleggingen er ufullstendig")).to_be_visible()
    expect(page.get_by_text(f"Forrige kartlegging var {_day(-60)}.")).to_be_visible()
    changes = page.get_by_role("region", name="Tabell over endringer")
    expect(changes.get_by_role("row", name="Lage mat 4 2 -2 (bedre)")).to_be_visible()
    expect(changes.get_by_role("row", name="Hørsel 4 – –")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Tilbake til alle kartlegginger"))
    expect(page.get_by_text("Ufullstendig: 16 av 17 skåret")).to_be_visible()
    expect(page.get_by_text("Fullstendig", exact=True)).to_be_visible()

    visit(page, "/kartlegging/forfalt/")
    expect(page.get_by_text("Ingen kartlegginger er forfalt.")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Ufullstendige"))
    click_through(page, page.get_by_role("link", name="Skjermesen, Gunnhild"))
    expect(page.get_by_role("heading", name=f"Kartlegging {_day()}")).to_be_visible()


def test_admin_takes_a_variable_out_of_use(page: Page, world: object) -> None:
    log_in(page, world.admin)
    visit(page, "/admin/kartlegging/variabler/")
    click_through(page, page.get_by_role("link", name="Hørsel"))
    page.get_by_label("Betydning av skår 9").fill("")
    page.get_by_label("I bruk").uncheck()
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Skriv hva skåren betyr.").first).to_be_visible()
    expect(page.get_by_label("I bruk")).not_to_be_checked()
    page.get_by_label("Betydning av skår 9").fill("Ikke aktuelt")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Variabelen er lagret.")).to_be_visible()
    expect(page.get_by_role("row", name="Hørsel").get_by_text("Ikke i bruk")).to_be_visible()
    assert len(variables(world.municipality)) == 16
