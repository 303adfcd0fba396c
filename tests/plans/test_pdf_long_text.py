"""(M4) Whatever people type prints: a measure of a thousand lines, a goal that is one word
of 2 000 letters and an evaluation with a thousand blank lines give a plan PDF and an
innsyn PDF, not an error."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mestring.core.pdf import PdfDocument, plain_lines
from mestring.plans import services
from mestring.tenancy.context import activate
from tests import factories
from tests.conftest import make_staff
from tests.plans.helpers import TODAY, actor_for, home_unit, make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.attack]

LONG_WORD = "Trappetrening" + "q" * 1987  # 2 000 characters without a space
MANY_LINES = "Daglig trening\n" + "z\n" * 992  # 993 lines, within the 2 000 allowed
BLANK_LINES = "Evalueringen begynner her" + "\n" * 999 + "og slutter her"


def pdf_text(content: bytes) -> str:
    assert content[:4] == b"%PDF"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def plan_with_long_texts(world):
    plan = make_plan(world, what_matters="Å klare meg selv")
    actor = actor_for(world.owner)
    with activate(world.municipality):
        services.goal_add(actor=actor, plan=plan, text=LONG_WORD)
        services.measure_add(
            actor=actor,
            plan=plan,
            data={"title": "Trening", "how": MANY_LINES, "responsible_unit": home_unit(world)},
        )
        services.evaluation_add(actor=actor, plan=plan, evaluated_on=TODAY(), text=BLANK_LINES)
    return plan


def assert_all_printed(text: str) -> None:
    text = " ".join(text.split())  # a narrow column wraps the phrases
    for start in ("Trappetrening", "Daglig trening", "Evalueringen begynner her"):
        assert start in text
    assert "og slutter her" in text
    assert text.count("q") >= 1987  # the long word is broken over lines, not cut
    assert text.count("z") >= 992


def test_the_plan_pdf_prints_long_texts(world, client_for):
    plan = plan_with_long_texts(world)
    url = reverse("plans:plan_pdf", args=[world.person.pk, plan.pk])
    response = client_for(world.owner).get(url)
    assert response.status_code == 200
    assert_all_printed(pdf_text(response.content))


def test_the_innsyn_pdf_prints_long_texts(world, client_for):
    plan_with_long_texts(world)
    leader = make_staff(world.municipality, "leder_ke", "lederlang")
    factories.grant_relation(leader, world.person)
    url = reverse("maintenance:person_innsyn", kwargs={"person_id": world.person.pk})
    response = client_for(leader).get(url, {"format": "pdf"})
    assert response.status_code == 200
    assert_all_printed(pdf_text(response.content))


def test_runs_of_blank_lines_become_one_blank_line():
    assert plain_lines("a\r\n\r\n\r\n \n\t\nb\rc\n\n\n") == "a\n\nb\nc"
    assert plain_lines("a\n\nb") == "a\n\nb"
    assert plain_lines(None) == ""


def test_a_table_with_a_huge_cell_and_a_huge_word_renders():
    document = PdfDocument(title="Test")
    document.table(["Hva", "Hvordan"], [["Kort", "linje\n" * 400], [LONG_WORD, "x"]])
    document.facts([("Mål", LONG_WORD), ("Hvordan", "linje\n" * 400)])
    text = pdf_text(document.render())
    assert text.count("q") >= 1987
    assert text.count("linje") == 800
