"""Findings about the audit trail (codes in docs/testing.md): what the rows keep and
what reaches them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from mestring.access.actor import system_actor
from mestring.access.audit import EventSpec, record_events, verify_chain
from mestring.access.models import AuditAnchor, AuditChainHead, AuditEvent
from mestring.plans import views as plan_views
from tests import factories
from tests.access.test_audit import disable_guard_triggers
from tests.plans.helpers import make_plan
from tests.portal.pages_helpers import citizen_client

pytestmark = pytest.mark.django_db


def _table(html: str) -> str:
    return html[html.index("<table") : html.index("</table>")]


@pytest.mark.attack
def test_renamed_user_does_not_rewrite_the_access_log(world, client_for):
    """(H2) Audit rows keep the actor's name as it was: renaming the account afterwards
    changes neither the staff nor the citizen's access log, and the chain still holds."""
    user = world.owner.user
    user.first_name, user.last_name = "Opprinnelig", "Navnesen"
    user.save()
    client = client_for(world.owner)
    client.get(reverse("people:overview", args=[world.person.pk]))
    event = AuditEvent.all_objects.filter(user=user).latest("seq")
    assert event.actor_name == "Opprinnelig Navnesen"
    user.first_name, user.last_name = "Falsk", "Omdøpt"
    user.save()
    citizen_page = citizen_client(world.person).get(reverse("portal:access_log"))
    assert citizen_page.status_code == 200
    assert "Opprinnelig Navnesen" in _table(citizen_page.content.decode())
    assert "Omdøpt" not in citizen_page.content.decode()
    staff_page = client.get(reverse("access:access_log", args=[world.person.pk]))
    staff_table = _table(staff_page.content.decode())
    assert "Opprinnelig Navnesen" in staff_table
    assert "Omdøpt" not in staff_table  # (the page's header names the user as they are now)
    assert verify_chain(world.municipality.pk) is None


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.filter(seq__gt=before).order_by("seq"))


def _last_seq() -> int:
    last = AuditEvent.all_objects.order_by("-seq").first()
    return last.seq if last else 0


@pytest.mark.attack
def test_probing_another_persons_object_ids_is_audited(world, client_for):
    """(L2) A person page asked for an object that does not exist, or that belongs to
    another person, answers 404 and leaves a refused audit row, as the API does."""
    plan = make_plan(world)
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    client = client_for(world.owner)
    for person, plan_id in ((other, plan.pk), (world.person, 987654)):
        for name in ("plans:plan_view", "plans:plan_pdf"):
            before = _last_seq()
            response = client.get(reverse(name, args=[person.pk, plan_id]))
            assert response.status_code == 404, name
            events = _new_events(before)
            assert len(events) == 1, name
            assert (events[0].outcome, events[0].person_id) == ("refused", person.pk)
    # A write that meets a missing object is rolled back, and its refusal still kept.
    before = _last_seq()
    response = client.post(reverse("plans:plan_edit", args=[other.pk, plan.pk]), {})
    assert response.status_code == 404
    assert [(e.outcome, e.person_id) for e in _new_events(before)] == [("refused", other.pk)]


@pytest.mark.attack
def test_csv_download_is_audited_as_an_export_and_a_failed_pdf_as_failed(
    world, client_for, monkeypatch
):
    """(L4) A CSV download of a person's page is an export in the audit log, not a view,
    and a plan PDF that fails to render leaves a row saying it failed."""
    client = client_for(world.owner)
    url = reverse("access:access_log", args=[world.person.pk])
    before = _last_seq()
    assert client.get(url).status_code == 200
    assert [e.action for e in _new_events(before)] == ["view"]
    before = _last_seq()
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    events = _new_events(before)
    assert [(e.action, e.outcome, e.person_id) for e in events] == [
        ("export", "allowed", world.person.pk)
    ]
    # The plan PDF is an export too, and one that cannot be made is logged as failed.
    plan = make_plan(world)
    before = _last_seq()
    assert client.get(reverse("plans:plan_pdf", args=[world.person.pk, plan.pk])).status_code == 200
    assert [e.action for e in _new_events(before)] == ["export"]

    def broken(content):
        raise ValueError("ReportLab gave up")

    monkeypatch.setattr(plan_views, "render_plan_pdf", broken)
    client.raise_request_exception = False
    before = _last_seq()
    response = client.get(reverse("plans:plan_pdf", args=[world.person.pk, plan.pk]))
    assert response.status_code == 500
    events = _new_events(before)
    assert [(e.action, e.outcome, e.object_type, e.person_id) for e in events] == [
        ("export", "failed", "individual_plan_pdf", world.person.pk)
    ]
    assert verify_chain(world.municipality.pk) is None


@pytest.mark.attack
def test_cutting_the_newest_rows_and_rolling_back_the_head_is_detected(world, capsys):
    """(I3) Deleting the newest audit rows and rolling the chain head back with them left
    a chain that still linked; the chain's anchor (written by `audit verify`) reveals it."""
    actor = system_actor(world.municipality)
    spec = EventSpec(action="view", object_type="person", object_id=world.person.pk)
    record_events(actor=actor, specs=[spec] * 6)
    call_command("audit", "verify", "--municipality", world.municipality.number)
    assert "Forankret ved rad 6" in capsys.readouterr().out
    assert AuditAnchor.all_objects.filter(municipality=world.municipality, seq=6).exists()
    # The attacker (triggers off) removes rows 5 and 6 and rolls the head back to row 4.
    disable_guard_triggers()
    keep = AuditEvent.all_objects.get(municipality=world.municipality, seq=4)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM access_auditevent WHERE municipality_id = %s AND seq > 4",
            [world.municipality.pk],
        )
    AuditChainHead.objects.filter(municipality=world.municipality).update(
        seq=4, last_hash=keep.row_hash
    )
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == 5 and "cut back" in broken.problem
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--municipality", world.municipality.number)
    # New rows written on top of the rolled-back head do not hide it either.
    record_events(actor=actor, specs=[spec] * 3)
    broken = verify_chain(world.municipality.pk)
    assert broken is not None and broken.seq == 6 and "anchor" in broken.problem
