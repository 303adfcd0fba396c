"""An individual plan in a real browser: consent, plan, goals in the person's own words,
a measure, revisions with their differences, and the PDF. Every page is checked with axe."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from mestring.plans.models import (
    CoordinatorAssignment,
    Goal,
    IndividualPlan,
    Measure,
    PlanRevision,
)
from tests.browser.helpers import click_through, log_in, path_of, visit


def _day(offset: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def test_coordinator_makes_a_plan_and_compares_versions(page: Page, world: object) -> None:
    person = world.person
    log_in(page, world.owner)  # the person's coordinator, with a care relation

    # No consent yet: the plan page sends the user to the consent page.
    visit(page, f"/personer/{person.pk}/plan/")
    expect(page.get_by_text("Planen kan ikke opprettes uten samtykke").first).to_be_visible()
    click_through(page, page.get_by_role("link", name="Registrer samtykke"))
    assert path_of(page) == f"/personer/{person.pk}/samtykker/"
    page.get_by_label("Type samtykke").select_option("individuell_plan")
    page.get_by_label("Omfang").fill("Opplysninger i individuell plan")
    page.get_by_label("Personen selv").check()
    page.get_by_label("Dato gitt").fill(_day(-1))
    click_through(page, page.get_by_role("button", name="Registrer samtykke"))
    expect(page.get_by_text("Samtykket er registrert.")).to_be_visible()

    visit(page, f"/personer/{person.pk}/plan/")
    page.get_by_label("Samtykke til individuell plan").select_option(index=1)
    page.get_by_label("Ansvarlig enhet").select_option(label="Hjemmetjenesten")
    page.get_by_label("Planen gjelder fra").fill(_day())
    page.get_by_label("Neste revisjon").fill(_day(180))
    page.get_by_label("Hva er viktig for deg?").fill("Å klare meg selv hjemme")
    click_through(page, page.get_by_role("button", name="Opprett planen"))
    expect(page.get_by_text("Planen er opprettet.")).to_be_visible()
    plan = IndividualPlan.all_objects.get(person=person)

    for words in ("Gå til butikken selv", "Ha kaffebesøk hver uke"):
        click_through(page, page.get_by_role("link", name="Nytt mål"))
        page.get_by_label("Mål, med personens egne ord").fill(words)
        click_through(page, page.get_by_role("button", name="Lagre"))
        expect(page.get_by_text("Målet er lagt til.")).to_be_visible()
    expect(page.get_by_role("cell", name="Ha kaffebesøk hver uke")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Nytt tiltak"))
    page.get_by_label("Tiltak", exact=True).fill("Gåtrening med fysioterapeut")
    page.get_by_label("Omfang").fill("2 ganger i uken")
    page.get_by_label("Ansvarlig enhet").select_option(label="Hjemmetjenesten")
    page.get_by_label("Mål tiltaket hører til").select_option(label="Gå til butikken selv")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Tiltaket er lagt til.")).to_be_visible()

    click_through(page, page.get_by_role("link", name="Endre planen"))
    page.get_by_label("Hva er viktig for deg?").fill("Å klare meg selv hjemme, med katten")
    click_through(page, page.get_by_role("button", name="Lagre"))
    expect(page.get_by_text("Planen er lagret.")).to_be_visible()
    expect(page.get_by_text("Å klare meg selv hjemme, med katten")).to_be_visible()

    assert [g.text for g in Goal.all_objects.filter(plan=plan)] == [
        "Gå til butikken selv",
        "Ha kaffebesøk hver uke",
    ]
    assert Measure.all_objects.get(plan=plan).goal.text == "Gå til butikken selv"
    assert PlanRevision.all_objects.filter(plan=plan).count() == 5

    click_through(page, page.get_by_role("link", name="Versjoner"))
    expect(page.get_by_role("cell", name="Tiltak lagt til")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Versjon 5"))
    expect(page.get_by_role("heading", name="Endret fra versjon 4")).to_be_visible()
    changes = page.get_by_role("table", name="Endringer fra versjonen før")
    expect(changes.get_by_role("cell", name="Å klare meg selv hjemme, med katten")).to_be_visible()
    click_through(page, page.get_by_role("link", name="Forrige versjon (4)"))
    expect(page.get_by_role("rowheader", name="Tiltak lagt til")).to_be_visible()

    pdf = page.request.get(f"/personer/{person.pk}/plan/{plan.pk}/plan.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_lead_appoints_a_coordinator_and_an_edit_conflict_keeps_the_text(
    page: Page, world: object
) -> None:
    from mestring.plans import services
    from mestring.tenancy.context import activate
    from tests import factories
    from tests.plans.helpers import actor_for, make_lead, make_plan

    person = world.person
    lead = make_lead(world)
    kari = factories.StaffFactory(
        municipality=world.municipality,
        user__username="kari",
        user__first_name="Kari",
        user__last_name="Koordinator",
    )
    log_in(page, lead)
    visit(page, "/koordinatorer/")
    click_through(page, page.get_by_role("link", name="Legg til koordinator"))
    page.get_by_label("Ansatt").select_option(label="Kari Koordinator (Sykepleier)")
    click_through(page, page.get_by_role("button", name="Legg til"))
    expect(page.get_by_role("heading", name="Kari Koordinator")).to_be_visible()
    page.get_by_text("Registrer opplæring").first.click()
    page.get_by_label("Kurs", exact=True).fill("Koordinatoropplæring")
    page.get_by_label("Dato for kurset").fill(_day(-10))
    click_through(page, page.get_by_role("button", name="Registrer opplæring"))
    expect(page.get_by_text("Opplæringen er registrert.")).to_be_visible()

    visit(page, f"/personer/{person.pk}/koordinator/")
    page.get_by_label("Koordinator", exact=True).select_option(
        label="Kari Koordinator (Sykepleier)"
    )
    page.get_by_label("Fra").fill(_day())
    page.get_by_label("Personens ønske").fill("En fast person å ringe til")
    page.get_by_label("Personen har takket nei til individuell plan").check()
    click_through(page, page.get_by_role("button", name="Oppnevn koordinator"))
    expect(page.get_by_text("Koordinatoren er oppnevnt.")).to_be_visible()
    assignment = CoordinatorAssignment.all_objects.get(person=person)
    assert assignment.coordinator == kari and assignment.declined_individual_plan
    visit(page, "/koordinatorer/")
    expect(
        page.get_by_role("row", name="Kari Koordinator").get_by_role("cell").nth(2)
    ).to_have_text("1")
    visit(page, "/koordinatorer/revisjon/")

    # Two users on the same plan: the later save is refused and keeps its text.
    plan = make_plan(world)
    page.context.clear_cookies()
    log_in(page, world.owner)
    visit(page, f"/personer/{person.pk}/plan/{plan.pk}/endre/")
    page.get_by_label("Hva er viktig for deg?").fill("Min tekst som ikke må bli borte")
    with activate(world.municipality):
        services.plan_update(
            actor=actor_for(world.team_member),
            plan=plan,
            expected_version=1,
            data={"cooperation": "NAV"},
        )
    click_through(page, page.get_by_role("button", name="Lagre"))
    name = world.team_member.user.get_full_name()
    expect(page.get_by_text(f"Planen er endret av {name} kl.")).to_be_visible()
    expect(page.get_by_text("Teksten din er tatt vare på under.")).to_be_visible()
    expect(page.get_by_label("Hva er viktig for deg?")).to_have_value(
        "Min tekst som ikke må bli borte"
    )
    click_through(page, page.get_by_role("button", name="Lagre likevel"))
    expect(page.get_by_text("Planen er lagret.")).to_be_visible()
    plan.refresh_from_db()
    assert (plan.what_matters, plan.cooperation) == ("Min tekst som ikke må bli borte", "NAV")
