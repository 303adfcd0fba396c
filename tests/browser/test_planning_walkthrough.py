"""Planning in a real browser: an administrator who is also a planner uploads a
population CSV, sees the demography table, chart and ratio, then the projected need
with its assumptions and the capacity page. Every page is checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from mestring.planning.models import PopulationFigure
from tests import factories
from tests.browser.helpers import click_through, log_in, path_of, visit

GROUPS = {"0-19": 900, "20-66": 2400, "67-79": 500, "80+": 200}


def _csv() -> bytes:
    lines = ["region,age_group,year,count,kind"]
    for year in range(2020, 2041):
        kind = "registrert" if year <= 2025 else "framskrevet"
        for index, (group, start) in enumerate(GROUPS.items()):
            change = (-6, -10, 8, 6)[index] * (year - 2020)
            lines.append(f"9001,{group},{year},{start + change},{kind}")
    return ("\n".join(lines) + "\n").encode()


def test_planner_imports_population_and_reads_demography_and_need(page: Page, world) -> None:
    factories.give_role(world.admin, "planlegger")
    log_in(page, world.admin)

    visit(page, "/planlegging/befolkning/import/")
    page.get_by_label("CSV med kolonnene region,age_group,year,count").check()
    page.get_by_label("Fil", exact=True).set_input_files(
        {"name": "befolkning.csv", "mimeType": "text/csv", "buffer": b"region,year\n1,2\n"}
    )
    click_through(page, page.get_by_role("button", name="Importer"))
    expect(page.get_by_text("Filen har 2 feil og er ikke importert.").first).to_be_visible()
    expect(page.get_by_text("rad 1, kolonne «age_group»: Kolonnen mangler")).to_be_visible()

    page.get_by_label("Fil", exact=True).set_input_files(
        {"name": "befolkning.csv", "mimeType": "text/csv", "buffer": _csv()}
    )
    click_through(page, page.get_by_role("button", name="Importer"))
    expect(
        page.get_by_text("Importert fra befolkning.csv: 84 nye, 0 endret, 0 uendret.")
    ).to_be_visible()
    assert PopulationFigure.all_objects.count() == 84

    click_through(page, page.get_by_role("link", name="Se befolkningstallene"))
    assert path_of(page) == "/planlegging/befolkning/"
    expect(page.get_by_role("img", name="Linjediagram over befolkningen")).to_be_visible()
    table = page.get_by_role("region", name="Befolkning per aldersgruppe og år")
    expect(table.get_by_role("row", name="80+")).to_contain_text("320")  # 200 + 6 × 20
    ratio = page.get_by_role("region", name="Yrkesaktive per person 67 år og over")
    # 2040: (2400 − 200) / (500 + 160 + 200 + 120) = 2200 / 980
    expect(ratio.get_by_role("row", name="2040")).to_contain_text("2,24")
    page.screenshot(path="/tmp/planning-demography.png", full_page=True)

    click_through(page, page.get_by_role("link", name="Framskrevet behov for tjenester"))
    page.get_by_label("Basisår").fill("2025")
    click_through(page, page.get_by_role("button", name="Vis"))
    expect(page.get_by_text("Basisår: 2025.")).to_be_visible()
    expect(page.get_by_text("Alder regnes per 1. juli 2025.")).to_be_visible()
    expect(
        page.get_by_role("region", name="Framskrevne mottakere per tjeneste").get_by_role(
            "row", name="Hjemmesykepleie"
        )
    ).to_be_visible()

    visit(page, "/planlegging/kapasitet/")
    expect(
        page.get_by_role("heading", name="Personer per nivå i rehabiliteringspyramiden")
    ).to_be_visible()
