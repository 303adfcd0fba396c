"""The action plan in a real browser: a planner who may edit opens the plan, sets an
action's status for this year, sees the progress, finds the download links and opens
the statistics chapter. Every page is checked with axe."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.actionplan.models import ActionYearStatus
from tests.actionplan.helpers import make_plan, planner_editor
from tests.browser.helpers import click_through, log_in, visit


def test_planner_updates_an_action_and_reads_the_chapter(page: Page, world: object) -> None:
    editor = planner_editor(world)
    year = timezone.localdate().year
    plan, _goals, actions = make_plan(editor, actions=3, start=year - 1, end=year + 2)
    log_in(page, editor)

    visit(page, "/planlegging/tiltaksplan/")
    click_through(page, page.get_by_role("link", name="Plan for rehabilitering", exact=True))
    table = page.get_by_role("region", name="Oversikt over tiltak")
    expect(table.get_by_role("columnheader", name="Gjennomføring (år)")).to_be_visible()
    xlsx = page.get_by_role("link", name="Last ned som Excel (XLSX)")
    pdf = page.get_by_role("link", name="Last ned som PDF")
    expect(xlsx).to_be_visible()
    expect(pdf).to_be_visible()
    for link in (xlsx, pdf):
        assert page.request.get(link.get_attribute("href")).status == 200

    click_through(page, table.get_by_role("link", name="Tiltak nummer 2"))
    click_through(page, page.get_by_role("link", name="Endre status"))
    page.get_by_label("År", exact=True).select_option(str(year))
    page.get_by_label("Pågår").check()
    page.get_by_label("Merknad").fill("Oppstart etter sommeren")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Statusen er lagret.")).to_be_visible()
    history = page.get_by_role("region", name="Endringer av status")
    expect(history.get_by_text("Oppstart etter sommeren")).to_be_visible()
    row = ActionYearStatus.all_objects.get(action=actions[1], year=year)
    assert row.status == "pagar"

    click_through(page, page.get_by_role("link", name=f"Tilbake til {plan}"))
    click_through(page, page.get_by_role("link", name="Fremdrift", exact=True))
    counts = page.get_by_role("region", name=f"Status for tiltakene i {year}")
    expect(counts.get_by_role("row", name="Pågår 1")).to_be_visible()
    expect(page.get_by_role("heading", name="Fremdrift per mål")).to_be_visible()

    visit(page, "/planlegging/statuskapittel/")
    expect(page.get_by_role("heading", name="Personer med individuell plan")).to_be_visible()
    expect(page.get_by_role("link", name=f"Last ned {year} som PDF")).to_be_visible()
    expect(page.get_by_role("link", name=f"Last ned {year} som Excel (XLSX)")).to_be_visible()
