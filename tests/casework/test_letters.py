"""The decision letter, read back from the PDF as a reader (or an archive) would."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mestring.casework import services
from mestring.casework.models import LegalBasis
from mestring.people.models import Person
from mestring.tenancy.context import activate
from tests import factories
from tests.casework.helpers import actor_for, apply, decide_subject, legal_basis

pytestmark = pytest.mark.django_db
D = datetime.date


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def letter_case(world, lead, frozen):
    Person.all_objects.filter(pk=world.person.pk).update(
        street_address="Storgata 12", postal_code="8656", postal_town="Mosjøen"
    )
    world.person.refresh_from_db()
    unit = factories.UnitFactory(
        municipality=world.municipality, name="Koordinerende enhet", phone="75 10 10 10"
    )
    factories.grant_relation(lead, world.person)
    return apply(lead, world.person, received_on=D(2026, 5, 4), responsible_unit=unit)


def fetch(client, decision) -> bytes:
    url = reverse("casework:decision_letter", args=[decision.case.person_id, decision.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_letter_for_a_granted_plan(world, lead, letter_case, client_for):
    reasons = "Du har behov for langvarige og koordinerte tjenester fra hjemmetjenesten og NAV."
    decision = decide_subject(
        lead,
        letter_case,
        "individuell_plan",
        reasons=reasons,
        decided_on=D(2026, 6, 1),
        valid_from=D(2026, 6, 1),
        valid_to=D(2027, 5, 31),
    )
    with activate(world.municipality):
        services.decision_mark_letter_sent(
            actor=actor_for(lead), decision=decision, sent_on=D(2026, 6, 3)
        )
    text = pdf_text(fetch(client_for(lead), decision))
    assert "Vedtak om individuell plan" in text
    assert "Testkommune" in text
    assert "Gunnhild Skjermesen" in text and "Storgata 12" in text and "8656 Mosjøen" in text
    assert "Du får individuell plan." in text and "Innvilget" in text
    assert reasons in text
    basis = legal_basis(world.municipality)
    assert " ".join(basis.text.split()) in text
    assert "Fra 01.06.2026 til 31.05.2027" in text
    assert "innen tre uker" in text
    assert "er siste frist for å klage 24.06.2026" in text  # 03.06 + 21 days
    assert "Statsforvalteren" in text
    assert "forvaltningsloven § 18" in text
    assert "Du kan få hjelp til å skrive klagen" in text and "75 10 10 10" in text
    assert "Send klagen til Koordinerende enhet, Testkommune" in text
    assert "Liv Leder, Leder koordinerende enhet" in text


def test_letter_for_a_refused_coordinator_counts_from_the_decision_date(
    world, lead, letter_case, client_for
):
    decision = decide_subject(
        lead,
        letter_case,
        "koordinator",
        outcome="avslag",
        reasons="Behovet dekkes av én tjeneste.",
        decided_on=D(2026, 6, 10),
    )
    text = pdf_text(fetch(client_for(lead), decision))
    assert "Vedtak om koordinator" in text
    assert "Du får ikke koordinator. Søknaden din er avslått." in text and "Avslag" in text
    assert "Behovet dekkes av én tjeneste." in text
    assert "vedtaksdatoen, 10.06.2026" in text and "01.07.2026" in text
    assert "Statsforvalteren" in text


def test_letter_uses_only_the_municipalitys_own_text(world, lead, letter_case, client_for):
    municipality_b = factories.make_municipality("9002", "Annenkommune")
    LegalBasis.all_objects.filter(municipality=municipality_b).update(
        title="TITTEL-FRA-B", text="TEKST-FRA-B"
    )
    LegalBasis.all_objects.filter(municipality=world.municipality, code="koordinator").update(
        text="Egen tekst i Testkommune om koordinator."
    )
    decision = decide_subject(lead, letter_case, "koordinator")
    text = pdf_text(fetch(client_for(lead), decision))
    assert "Egen tekst i Testkommune om koordinator." in text
    assert "FRA-B" not in text
