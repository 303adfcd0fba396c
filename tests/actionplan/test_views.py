"""Action-plan pages: the planner reads, an editor changes, the outsider is refused,
junk input gives a clear message, list pages have a fixed number of queries, and the
exports read back in the layout of municipal plans' action tables."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from mestring.actionplan import services
from mestring.actionplan.forms import default_year
from mestring.actionplan.models import Action, ActionYearStatus, MunicipalPlan
from mestring.tenancy.context import activate
from tests.actionplan.helpers import actor_for, make_plan, planner_editor

pytestmark = pytest.mark.django_db


def read_pages(plan, action):
    return [
        reverse("actionplan:plan_list"),
        reverse("actionplan:plan_detail", args=[plan.pk]),
        reverse("actionplan:plan_progress", args=[plan.pk]),
        reverse("actionplan:plan_xlsx", args=[plan.pk]),
        reverse("actionplan:plan_pdf", args=[plan.pk]),
        reverse("actionplan:action_detail", args=[plan.pk, action.pk]),
        reverse("actionplan:chapter"),
    ]


def edit_pages(plan, action):
    return [
        reverse("actionplan:plan_create"),
        reverse("actionplan:import"),
        reverse("actionplan:plan_edit", args=[plan.pk]),
        reverse("actionplan:plan_revise", args=[plan.pk]),
        reverse("actionplan:goal_create", args=[plan.pk]),
        reverse("actionplan:action_create", args=[plan.pk]),
        reverse("actionplan:action_edit", args=[plan.pk, action.pk]),
        reverse("actionplan:action_status", args=[plan.pk, action.pk]),
        reverse("actionplan:action_evaluate", args=[plan.pk, action.pk]),
    ]


def test_planner_reads_and_outsider_is_refused(world, client_for):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor)
    # The caseworker reads statistics but may not change the plan.
    planner = client_for(world.caseworker)
    outsider = client_for(world.outsider)
    for url in read_pages(plan, actions[0]):
        assert planner.get(url).status_code == 200, url
        assert outsider.get(url).status_code == 403, url
    for url in edit_pages(plan, actions[0]):
        assert planner.get(url).status_code == 403, url  # reading is not editing
        assert outsider.get(url).status_code == 403, url
        assert outsider.post(url, {"title": "x"}).status_code == 403, url
        assert client_for(editor).get(url).status_code == 200, url


def test_detail_shows_the_table_and_download_links(world, client_for):
    editor = planner_editor(world)
    plan, _goals, _actions = make_plan(editor)
    page = client_for(world.caseworker).get(reverse("actionplan:plan_detail", args=[plan.pk]))
    html = page.content.decode()
    for text in ("Nr.", "Tiltak", "Ansvar", "Gjennomføring (år)", "Kostnad", "Finansiering"):
        assert text in html
    assert "Tiltak nummer 2" in html
    assert reverse("actionplan:plan_xlsx", args=[plan.pk]) in html
    assert reverse("actionplan:plan_pdf", args=[plan.pk]) in html
    assert "Endre planen" not in html  # a reader without PLAN_EDIT cannot edit


def test_editor_changes_status_and_sees_progress(world, client_for):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor)
    client = client_for(editor)
    url = reverse("actionplan:action_status", args=[plan.pk, actions[0].pk])
    response = client.post(url, {"year": "2025", "status": "pagar", "note": "I gang"})
    assert response.status_code == 302
    row = ActionYearStatus.all_objects.get(action=actions[0], year=2025)
    assert (row.status, row.note) == ("pagar", "I gang")
    detail = client.get(reverse("actionplan:action_detail", args=[plan.pk, actions[0].pk]))
    assert "I gang" in detail.content.decode()
    progress = client.get(reverse("actionplan:plan_progress", args=[plan.pk]))
    assert "Pågår" in progress.content.decode()


def test_junk_input_gives_messages_not_errors(world, client_for):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor)
    client = client_for(editor)
    status_url = reverse("actionplan:action_status", args=[plan.pk, actions[0].pk])
    response = client.post(status_url, {"year": "1999", "status": "tull", "note": "x" * 600})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Velg et år i planen." in html and "Velg en status fra listen." in html
    # a transition the table refuses is shown on the form
    client.post(status_url, {"year": "2025", "status": "gjennomfort"})
    response = client.post(status_url, {"year": "2025", "status": "utsatt"})
    assert response.status_code == 200 and "Kan ikke endre status" in response.content.decode()
    action_url = reverse("actionplan:action_edit", args=[plan.pk, actions[0].pk])
    response = client.post(
        action_url,
        {
            "number": "2",
            "title": "Ny tittel",
            "from_year": "abc",
            "to_year": "2030",
            "cost_nok": "-5",
            "financing": "gave",
            "responsible_unit": "999999",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ny tittel" in html  # keeps what was typed
    assert "Skriv året med fire sifre" in html
    response = client.post(
        action_url, {"number": "2", "title": "Ny tittel", "from_year": "2024", "to_year": "2025"}
    )
    assert "allerede et tiltak med nummer 2" in response.content.decode()
    response = client.post(
        reverse("actionplan:plan_revise", args=[plan.pk]),
        {"title": "Ny", "start_year": "2020", "end_year": "2019"},
    )
    assert response.status_code == 200
    assert client.get(reverse("actionplan:plan_detail", args=[999999])).status_code == 404
    assert client.get(reverse("actionplan:chapter") + "?ar=tjue").status_code == 200
    assert client.get(reverse("actionplan:chapter") + "?ar=1800").status_code == 200
    response = client.post(reverse("actionplan:import"), {})
    assert response.status_code == 200 and "Velg en fil." in response.content.decode()


def test_archived_plan_is_read_only_in_the_browser(world, client_for):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor)
    client = client_for(editor)
    response = client.post(
        reverse("actionplan:plan_revise", args=[plan.pk]),
        {"title": "Revidert", "start_year": "2027", "end_year": "2030"},
    )
    assert response.status_code == 302
    new = MunicipalPlan.all_objects.get(status="active")
    old_page = client.get(reverse("actionplan:plan_detail", args=[plan.pk])).content.decode()
    assert "arkivert versjon" in old_page and "Endre planen" not in old_page
    response = client.post(
        reverse("actionplan:action_status", args=[plan.pk, actions[0].pk]),
        {"year": "2025", "status": "pagar"},
    )
    assert response.status_code == 200 and "arkivert" in response.content.decode()
    assert not ActionYearStatus.all_objects.filter(action=actions[0]).exists()
    history = client.get(reverse("actionplan:plan_list")).content.decode()
    assert "Revidert" in history and "2023–2026" in history and "2027–2030" in history
    assert Action.all_objects.filter(plan=new).count() == 3


def test_import_page(world, client_for, tmp_path):
    editor = planner_editor(world)
    client = client_for(editor)
    bad = io.BytesIO(b"number,title,responsible,years,cost_nok,financing\n1,X,,2025-20,,\n")
    bad.name = "tiltak.csv"
    response = client.post(reverse("actionplan:import"), {"file": bad})
    assert response.status_code == 200
    assert "rad 2, kolonne «years»" in response.content.decode()
    good = io.BytesIO(b"number,title,responsible,years,cost_nok,financing\n1,X,,2025,,\n")
    good.name = "tiltak.csv"
    response = client.post(reverse("actionplan:import"), {"file": good})
    assert response.status_code == 302
    assert Action.all_objects.count() == 1
    latin = io.BytesIO(
        "number,title,responsible,years,cost_nok,financing\n1,Æ,,2025,,\n".encode("latin-1")
    )
    latin.name = "tiltak.csv"
    response = client.post(reverse("actionplan:import"), {"file": latin})
    assert "UTF-8" in response.content.decode()


def test_plan_pages_have_a_fixed_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    editor = planner_editor(world)
    plan, _goals, _actions = make_plan(editor, actions=2)
    client = client_for(world.read_only)
    urls = [
        reverse("actionplan:plan_detail", args=[plan.pk]),
        reverse("actionplan:plan_progress", args=[plan.pk]),
        reverse("actionplan:plan_list"),
    ]
    counts = {}
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        counts[url] = len(ctx)
    actor = actor_for(editor)
    with activate(world.municipality):
        for n in range(3, 15):
            action = services.action_save(
                actor=actor,
                plan=plan,
                action=None,
                data={"number": str(n), "title": f"T{n}", "from_year": 2024, "to_year": 2025},
            )
            services.action_status_set(actor=actor, action=action, year=2024, status="pagar")
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_exports_read_back_in_the_seed_layout(world, client_for):
    editor = planner_editor(world)
    plan, _goals, actions = make_plan(editor)
    year = default_year(plan)  # this year, within the plan's period
    with activate(world.municipality):
        services.action_status_set(
            actor=actor_for(editor), action=actions[1], year=year, status="gjennomfort"
        )
    client = client_for(world.read_only)
    response = client.get(reverse("actionplan:plan_xlsx", args=[plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2] == (
        "Nr.",
        "Tiltak",
        "Ansvar",
        "År",
        "Kostnad (kr)",
        "Finansiering",
        f"Status {year}",
    )
    assert rows[3] == (
        "1",
        "Tiltak nummer 1",
        "Alle",
        "2023–2026",
        1000,
        "Omstilling drift",
        "Ikke startet",
    )
    assert rows[4][-1] == "Gjennomført"
    assert len(rows) == 6
    response = client.get(reverse("actionplan:plan_pdf", args=[plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Nr.", "Tiltak", "Ansvar", "Finansiering", "Tiltak nummer 3", "Gjennomført"):
        assert expected in text


def test_another_municipalitys_plan_is_not_found(world, client_for):
    from tests import factories
    from tests.conftest import make_staff

    other = factories.make_municipality("9002", "Annenkommune")
    staff_b = make_staff(other, "planlegger", "planlegger-b")
    factories.give_role(staff_b, "administrator")
    plan_b, _goals, actions_b = make_plan(staff_b)
    client = client_for(planner_editor(world))
    urls = [
        *read_pages(plan_b, actions_b[0])[1:6],
        *edit_pages(plan_b, actions_b[0])[2:],
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "year": "2025", "status": "pagar"}).status_code in (
            404,
            405,
        ), url
    assert ActionYearStatus.all_objects.count() == 0
    assert MunicipalPlan.all_objects.get(pk=plan_b.pk).title == "Plan for rehabilitering"
    assert "Tiltak nummer" not in client.get(reverse("actionplan:plan_list")).content.decode()
