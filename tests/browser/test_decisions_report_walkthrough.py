"""A planner reads the decisions report in a real browser: two years, a bad year, and the
CSV download. Every page reached is checked with axe; the CSV is fetched, not visited."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Page, expect

from tests.browser.helpers import click_through, log_in, visit
from tests.reports.test_decisions_report import CSV_HEADER, expected, generate


def _figure(page: Page, text: str) -> str:
    item = page.locator(".figure-list li").filter(has_text=text)
    return item.locator(".figure").inner_text()


def test_planner_reads_report_changes_year_and_downloads_csv(page: Page, world: object) -> None:
    records = generate(world.municipality, seed=8080, cases=90)
    planner = world.read_only  # role "planlegger": statistics, no records
    log_in(page, planner)

    visit(page, "/rapporter/vedtak/?ar=2025")
    want = expected(records, 2025)
    expect(page.get_by_role("heading", name="Søknader og vedtak om tjenester 2025")).to_be_visible()
    assert _figure(page, "søknader om tjenester mottatt") == str(want["applications_received"])
    assert _figure(page, "vedtak om tjenester fattet") == str(want["decisions_total"]["total"])
    assert _figure(page, "personer på venteliste") == str(want["persons_waiting_at_year_end"])
    table = page.get_by_role("region", name="Vedtak per tjeneste")
    first = want["decisions"][0]
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=first["service"]))
    expect(row.get_by_role("cell").nth(3)).to_have_text(str(first["total"]))
    expect(page.get_by_text("nærmeste rang")).to_be_visible()
    expect(page.get_by_text("Skjulesen")).to_have_count(0)

    # Another year through the form.
    page.get_by_label("År", exact=True).fill("2024")
    click_through(page, page.get_by_role("button", name="Vis"))
    want_2024 = expected(records, 2024)
    expect(page.get_by_role("heading", name="Søknader og vedtak om tjenester 2024")).to_be_visible()
    assert _figure(page, "søknader om tjenester mottatt") == str(want_2024["applications_received"])
    trend = page.get_by_role("region", name="Utvikling siste 5 år")
    expect(trend.get_by_role("rowheader", name="2020")).to_be_visible()
    expect(trend.get_by_role("rowheader", name="2024")).to_be_visible()

    # The CSV of the year shown.
    href = page.get_by_role("link", name="Last ned 2024 som CSV").get_attribute("href")
    download = page.request.get(href)
    assert download.status == 200
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(download.text())))
    assert rows[0] == CSV_HEADER
    received = [r for r in rows if r[0] == "applications_received"]
    assert received[0][-1] == str(want_2024["applications_received"])
    assert "Skjulesen" not in download.text()

    # A bad year: a clear message, the input kept, and this year shown.
    page.get_by_label("År", exact=True).fill("20x4")
    click_through(page, page.get_by_role("button", name="Vis"))
    expect(page.get_by_text("«20x4» er ikke et årstall.")).to_be_visible()
    expect(page.get_by_label("År", exact=True)).to_have_value("20x4")
