"""The coordinating unit's overview: figures checked against counts made here."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from mestring.access.models import AuditEvent, Consent
from mestring.people.models import Person, Unit
from mestring.plans.models import CoordinatorAssignment, CoordinatorProfile, IndividualPlan
from mestring.referrals.models import Referral
from mestring.teams.models import FollowUpItem, GroupMember, Meeting, ResponsibilityGroup
from tests import factories
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 18)  # a Wednesday


@pytest.fixture
def data(world):
    m = world.municipality
    unit_a = Unit.all_objects.get(name="Hjemmetjenesten")
    unit_b = factories.UnitFactory(municipality=m, name="Helsestasjon")
    child = factories.PersonFactory(municipality=m, birth_date=datetime.date(2015, 5, 5))
    adult = factories.PersonFactory(municipality=m, birth_date=datetime.date(1950, 5, 5))
    ended = factories.PersonFactory(municipality=m, birth_date=datetime.date(1960, 5, 5))

    def plan(person, unit, start, end=None, revision=None):
        consent = Consent.all_objects.create(
            municipality=m,
            person=person,
            kind="individuell_plan",
            scope="IP",
            given_by="personen",
            given_on=start,
        )
        return IndividualPlan.all_objects.create(
            municipality=m,
            person=person,
            consent=consent,
            responsible_unit=unit,
            start_date=start,
            end_date=end,
            next_revision_on=revision,
            status="avsluttet" if end and end < TODAY else "aktiv",
        )

    p_child = plan(child, unit_b, datetime.date(2024, 1, 1), revision=datetime.date(2026, 1, 1))
    plan(adult, unit_a, datetime.date(2025, 6, 1))
    plan(ended, unit_a, datetime.date(2022, 1, 1), end=datetime.date(2025, 1, 1))
    coordinator = world.owner
    coordinator.units.add(unit_b)
    CoordinatorProfile.all_objects.create(municipality=m, staff=coordinator)
    for person in (child, adult):
        CoordinatorAssignment.all_objects.create(
            municipality=m,
            person=person,
            coordinator=coordinator,
            started_on=datetime.date(2024, 2, 1),
        )
    group = ResponsibilityGroup.all_objects.create(
        municipality=m, person=child, plan=p_child, started_on=datetime.date(2024, 2, 1)
    )
    member = GroupMember.all_objects.create(
        municipality=m,
        group=group,
        kind="intern",
        staff=coordinator,
        role="Koordinator",
        started_on=datetime.date(2024, 2, 1),
        is_chair=True,
    )
    oslo = timezone.get_current_timezone()
    this_week = Meeting.all_objects.create(
        municipality=m,
        group=group,
        place="Rådhuset",
        starts_at=datetime.datetime(2026, 11, 20, 10, tzinfo=oslo),
        ends_at=datetime.datetime(2026, 11, 20, 11, tzinfo=oslo),
    )
    Meeting.all_objects.create(
        municipality=m,
        group=group,
        place="Rådhuset",
        starts_at=datetime.datetime(2026, 11, 25, 10, tzinfo=oslo),
        ends_at=datetime.datetime(2026, 11, 25, 11, tzinfo=oslo),
    )
    FollowUpItem.all_objects.create(
        municipality=m,
        meeting=this_week,
        what="Ringe skolen",
        responsible_member=member,
        due_on=datetime.date(2026, 11, 10),
    )
    FollowUpItem.all_objects.create(
        municipality=m,
        meeting=this_week,
        what="Ferdig",
        responsible_member=member,
        due_on=datetime.date(2026, 11, 1),
        done_on=datetime.date(2026, 11, 2),
    )
    Consent.all_objects.create(
        municipality=m,
        person=adult,
        kind="deling",
        scope="x",
        given_by="personen",
        given_on=datetime.date(2026, 1, 1),
        withdrawn_on=datetime.date(2026, 11, 1),
    )
    for status in ("mottatt", "under_vurdering", "avsluttet"):
        Referral.all_objects.create(
            municipality=m,
            person=adult,
            source="fastlege",
            received_on=TODAY,
            description="x",
            status=status,
        )
    return {"child": child, "adult": adult}


TABLES = ("plans", "coordinators", "groups")


def strip_keys(rows):
    return [{k: v for k, v in row.items() if k != "unit_key"} for row in rows]


def get(client, **params):
    return client.get(reverse("reports:coordination_overview"), {"dato": "18.11.2026", **params})


def test_figures(world, client_for, data):
    lead = make_staff(world.municipality, "leder_ke", "ke-leder")
    response = get(client_for(lead))
    assert response.status_code == 200
    figures = response.context["data"]
    figures = {k: strip_keys(v) if k in TABLES else v for k, v in figures.items()}
    assert figures["plans"] == [
        {"unit": "Helsestasjon", "under_18": 1, "adult": 0, "total": 1},
        {"unit": "Hjemmetjenesten", "under_18": 0, "adult": 1, "total": 1},
    ]
    # The coordinator works in two units; counted once, under the first by name.
    assert figures["coordinators"] == [
        {"unit": "Helsestasjon", "under_18": 1, "adult": 1, "total": 2}
    ]
    assert figures["groups"] == [{"unit": "Helsestasjon", "under_18": 1, "adult": 0, "total": 1}]
    assert figures["revision_overdue"] == 1
    assert figures["consents_attention"] == 1
    assert figures["meetings_this_week"] == 1
    assert figures["follow_ups_overdue"] == 1
    assert figures["messages_waiting"] == 2
    assert figures["caseload"][0]["persons"] == 2
    three = response.context["three_years"]
    assert three["days"] == ["2024-12-31", "2025-12-31", "2026-11-18"]
    assert {r["unit"]: r["counts"] for r in three["rows"]} == {
        "Helsestasjon": [1, 1, 1],
        "Hjemmetjenesten": [1, 1, 1],
    }


def test_csv_export(world, client_for, data):
    lead = make_staff(world.municipality, "leder_ke", "ke-leder")
    response = get(client_for(lead), format="csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Individuell plan", "Helsestasjon", "1", "0", "1"] in rows
    assert ["Møter denne uken", "", "", "", "1"] in rows


def test_lists_behind_figures_for_the_coordinating_unit(world, client_for, data):
    lead = make_staff(world.municipality, "leder_ke", "ke-leder")
    client = client_for(lead)
    url = reverse("reports:coordination_list", args=["planer"])
    before = AuditEvent.all_objects.count()
    response = client.get(url, {"dato": "18.11.2026", "enhet": "Helsestasjon", "alder": "under18"})
    assert response.status_code == 200
    assert [row[0] for row in response.context["rows"]] == [data["child"]]
    # (M5) The person the list names has the view in their access log.
    (event,) = AuditEvent.all_objects.order_by("seq")[before:]
    assert (event.person, event.action, event.purpose, event.reason_code) == (
        data["child"],
        "view",
        "administration",
        "enhetens_arbeid",
    )
    for kind, params in (
        ("koordinatorer", {"enhet": "Helsestasjon"}),
        ("ansvarsgrupper", {"enhet": "Helsestasjon", "alder": "under18"}),
    ):
        page = client.get(
            reverse("reports:coordination_list", args=[kind]), {"dato": "18.11.2026", **params}
        )
        # the same numbers as the overview's cells
        assert len(page.context["rows"]) == {"koordinatorer": 2, "ansvarsgrupper": 1}[kind]
    for kind in ("revisjon", "samtykker", "moter", "oppfolging"):
        page = client.get(reverse("reports:coordination_list", args=[kind]), {"dato": "18.11.2026"})
        assert page.status_code == 200 and len(page.context["rows"]) == 1, kind
    before = AuditEvent.all_objects.count()
    download = client.get(url, {"dato": "18.11.2026", "format": "csv"})
    assert download["Content-Type"].startswith("text/csv")
    assert len(list(csv.reader(io.StringIO(download.content.decode())))) == 3
    exported = AuditEvent.all_objects.order_by("seq")[before:]
    assert {(e.action, e.object_type) for e in exported} == {("export", "coordination_list")}
    assert len({e.person_id for e in exported}) == len(exported) == 2
    assert client.get(reverse("reports:coordination_list", args=["ukjent"])).status_code == 404


def test_planner_sees_figures_but_not_the_lists(world, client_for, data):
    client = client_for(world.read_only)
    response = get(client)
    assert response.status_code == 200
    assert b"/liste/planer/" not in response.content
    assert client.get(reverse("reports:coordination_list", args=["planer"])).status_code == 403
    # The waiting messages are a figure only: the inbox is the intake roles' page.
    assert b'href="/meldinger/"' not in response.content
    assert client.get("/meldinger/").status_code == 403


def test_the_intake_roles_follow_the_figure_to_the_inbox(world, client_for, data):
    lead = make_staff(world.municipality, "leder_ke", "ke-leder")
    assert b'href="/meldinger/"' in get(client_for(lead)).content


def test_providers_without_statistics_are_refused(world, client_for, data):
    assert get(client_for(world.outsider)).status_code == 403


def test_bad_date_shows_today_with_a_message(world, client_for, data):
    response = client_for(world.read_only).get(
        reverse("reports:coordination_overview"), {"dato": "32.13.2026"}
    )
    assert response.status_code == 200
    assert "er ikke en dato" in response.content.decode()


def test_overview_query_count_is_fixed(world, client_for, data, django_assert_max_num_queries):
    client = client_for(world.read_only)
    with django_assert_max_num_queries(40) as small:
        get(client)
    for _ in range(5):
        person = factories.PersonFactory(municipality=world.municipality)
        Referral.all_objects.create(
            municipality=world.municipality,
            person=person,
            source="nav",
            received_on=TODAY,
            description="x",
        )
    with django_assert_max_num_queries(40) as large:
        get(client)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert Person.all_objects.count() > 5
