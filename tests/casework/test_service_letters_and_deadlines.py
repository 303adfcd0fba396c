"""Service decision letters (read back from the PDF) and the deadline lists."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from mestring.casework import selectors, services
from mestring.casework.models import Appeal
from mestring.tenancy.context import activate
from tests.casework.helpers import actor_for, apply, days_ago
from tests.casework.service_helpers import decide, make_assessment, register
from tests.casework.test_letters import pdf_text

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def worker(world):
    return world.caseworker


@pytest.fixture
def worker_client(world, worker, client_for):
    return client_for(worker)


def _letter(client, decision, query: str = "") -> str:
    url = reverse("casework:decision_letter", args=[decision.case.person_id, decision.pk])
    response = client.get(url + query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def test_service_letters_for_decision_change_and_stop(world, worker, worker_client, frozen):
    make_assessment(worker, world.person, assessed_on=days_ago(5))
    case = register(
        worker,
        world.person,
        ["hverdagsrehabilitering", "korttidsopphold"],
        received_on=days_ago(10),
    )
    granted = decide(
        worker, case, "hverdagsrehabilitering", valid_from=D(2026, 6, 15), valid_to=D(2026, 8, 31)
    )
    stay = decide(
        worker,
        case,
        "korttidsopphold",
        hours_per_week=None,
        days=14,
        valid_from=D(2026, 6, 20),
        valid_to=D(2026, 7, 3),
    )
    text = _letter(worker_client, granted)
    assert "Vedtak om Hverdagsrehabilitering" in text
    assert "Du får hverdagsrehabilitering." in text
    assert "7,5 timer per uke" in text
    assert "Fra 15.06.2026 til 31.08.2026" in text
    assert "Pasient- og brukerrettighetsloven § 2-1 a" in text
    assert "innen tre uker" in text and "Statsforvalteren" in text
    assert "forvaltningsloven § 18" in text and "Send klagen til Testkommune" in text
    assert "14 døgn" in _letter(worker_client, stay)
    with activate(world.municipality):
        changed = services.decision_change(
            actor=actor_for(worker),
            decision=granted,
            changed_on=days_ago(0),
            reason="Trenger mer trening etter sykehusopphold.",
            hours_per_week=Decimal(10),
        )
        services.decision_stop(
            actor=actor_for(worker),
            decision=stay,
            stopped_on=D(2026, 6, 25),
            reason="Personen har flyttet.",
        )
    text = _letter(worker_client, changed)
    assert "Vedtak om endring av Hverdagsrehabilitering" in text
    assert "erstatter vedtaket ditt av 15.06.2026" in text
    assert "Grunnen til endringen: Trenger mer trening etter sykehusopphold." in text
    assert "10 timer per uke" in text
    text = _letter(worker_client, stay, "?brev=stans")
    assert "Vedtak om stans av Korttidsopphold" in text
    assert "stanses fra 25.06.2026" in text and "Personen har flyttet." in text
    assert "14 døgn" in text and "Statsforvalteren" in text
    assert "er siste frist for å klage 06.07.2026" in text  # 15.06 + 21 days
    # Only a stopped decision has a stop letter.
    url = reverse("casework:decision_letter", args=[world.person.pk, changed.pk])
    assert worker_client.get(url + "?brev=stans").status_code == 404


def test_deadline_lists(world, worker, lead, frozen):
    today = D(2026, 6, 15)
    make_assessment(worker, world.person, assessed_on=D(2026, 1, 10), next_on=D(2026, 6, 1))
    # Overdue: received 31 days ago and undecided, of both kinds; 30 days ago is not.
    late_service = register(
        worker, world.person, ["avlastning"], received_on=today - datetime.timedelta(days=31)
    )
    register(worker, world.person, ["dagplass"], received_on=today - datetime.timedelta(days=30))
    late_ip = apply(lead, world.person, received_on=today - datetime.timedelta(days=40))
    case = register(
        worker,
        world.person,
        ["stottekontakt", "praktisk-bistand", "bpa"],
        received_on=today - datetime.timedelta(days=3),
    )
    ending = decide(worker, case, "stottekontakt", valid_to=today + datetime.timedelta(days=30))
    later = decide(worker, case, "praktisk-bistand", valid_to=today + datetime.timedelta(days=31))
    open_ended = decide(worker, case, "bpa", valid_to=None)
    with activate(world.municipality):
        assert [c.pk for c in selectors.overdue_list(today)] == [late_ip.pk, late_service.pk]
        assert list(selectors.decisions_ending_soon(today)) == [ending]
        # The person's latest assessment was due 01.06: every decision in force needs one.
        assert set(selectors.decisions_needing_reassessment(today)) == {ending, later, open_ended}
        services.decision_stop(
            actor=actor_for(worker), decision=later, stopped_on=today, reason="x"
        )
        assert set(selectors.decisions_needing_reassessment(today)) == {ending, open_ended}
    make_assessment(worker, world.person, assessed_on=today, next_on=D(2027, 1, 1))
    with activate(world.municipality):
        assert not selectors.decisions_needing_reassessment(today).exists()
        appeal = services.appeal_register(
            actor=actor_for(worker), decision=ending, received_on=today, grounds="x"
        )
        assert list(selectors.open_appeals()) == [appeal]
        services.appeal_transition(
            actor=actor_for(worker), appeal=appeal, to_status="trukket", on=today
        )
        assert not selectors.open_appeals().exists()
    assert Appeal.all_objects.get().status == "trukket"
