"""The coordinator pool, appointing a coordinator, and the care relation it brings."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent, CareRelation
from mestring.plans import selectors, services
from mestring.plans.models import (
    CoordinatorAssignment,
    CoordinatorProfile,
    CoordinatorTraining,
    SupervisionSession,
)
from mestring.tenancy.context import activate
from tests import factories
from tests.conftest import make_staff
from tests.plans.helpers import (
    TODAY,
    actor_for,
    d,
    make_decision,
    make_lead,
    make_pool_coordinator,
)

pytestmark = pytest.mark.django_db


def appoint_url(world) -> str:
    return reverse("plans:coordinator_appoint", args=[world.person.pk])


def overview_url(world) -> str:
    return reverse("people:overview", args=[world.person.pk])


def appoint_data(coordinator, **extra: str) -> dict[str, str]:
    return {
        "appoint": "1",
        "coordinator": str(coordinator.pk),
        "started_on": d(TODAY() - datetime.timedelta(days=3)),
        "person_wish": "Én fast person å ringe til",
        **extra,
    }


# --- Appointing


def test_appointing_gives_the_coordinator_access_and_changing_takes_it_away(world, client_for):
    lead = make_lead(world)
    first = make_pool_coordinator(world, "kari")
    second = make_pool_coordinator(world, "per")
    first_client, second_client = client_for(first), client_for(second)
    assert first_client.get(overview_url(world)).status_code == 403

    lead_client = client_for(lead)
    response = lead_client.post(appoint_url(world), appoint_data(first))
    assert response.status_code == 302
    assignment = CoordinatorAssignment.all_objects.get(coordinator=first)
    assert assignment.person_wish == "Én fast person å ringe til"
    assert assignment.ended_on is None and not assignment.declined_individual_plan
    relation = CareRelation.all_objects.get(staff=first, person=world.person)
    assert relation.kind == "koordinator" and relation.valid_to is None
    assert first_client.get(overview_url(world)).status_code == 200

    # A new coordinator from today: the first one's appointment and access end.
    response = lead_client.post(appoint_url(world), appoint_data(second, started_on=d(TODAY())))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == TODAY()
    assert CoordinatorAssignment.all_objects.get(ended_on__isnull=True).coordinator == second
    assert first_client.get(overview_url(world)).status_code == 403
    assert second_client.get(overview_url(world)).status_code == 200
    assert CareRelation.all_objects.get(staff=first).valid_to is not None

    rows = AuditEvent.all_objects.filter(
        object_type__in=["coordinator_assignment", "care_relation"]
    ).order_by("seq")
    assert [(r.object_type, r.action, r.purpose) for r in rows] == [
        ("care_relation", "grant", "administration"),
        ("coordinator_assignment", "appoint", "administration"),
        ("care_relation", "end", "administration"),
        ("coordinator_assignment", "end", "administration"),
        ("care_relation", "grant", "administration"),
        ("coordinator_assignment", "appoint", "administration"),
    ]


def test_person_who_declines_a_plan_still_gets_a_coordinator(world, client_for):
    lead = make_lead(world)
    coordinator = make_pool_coordinator(world, "kari")
    decision = make_decision(world.person, world.caseworker)
    response = client_for(lead).post(
        appoint_url(world),
        appoint_data(
            coordinator,
            declined_individual_plan="on",
            person_wish="Vil ikke ha plan, men en å ringe",
            decision=str(decision.pk),
        ),
    )
    assert response.status_code == 302
    assignment = CoordinatorAssignment.all_objects.get()
    assert assignment.declined_individual_plan
    assert assignment.decision == decision
    assert assignment.person_wish == "Vil ikke ha plan, men en å ringe"
    assert CareRelation.all_objects.filter(staff=coordinator, kind="koordinator").exists()
    page = client_for(lead).get(appoint_url(world)).content.decode()
    assert "Personen har takket nei til individuell plan" in page
    assert "Vil ikke ha plan, men en å ringe" in page


def test_ending_a_coordinator_ends_the_access(world, client_for):
    lead = make_lead(world)
    coordinator = make_pool_coordinator(world, "kari")
    lead_client = client_for(lead)
    lead_client.post(appoint_url(world), appoint_data(coordinator))
    assignment = CoordinatorAssignment.all_objects.get()
    end_url = reverse("plans:coordinator_end", args=[world.person.pk, assignment.pk])
    response = lead_client.post(end_url, {"ended_on": d(TODAY())})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ended_on == TODAY()
    assert client_for(coordinator).get(overview_url(world)).status_code == 403


def test_only_active_pool_members_can_be_appointed(world, client_for):
    lead = make_lead(world)
    outside_pool = factories.StaffFactory(municipality=world.municipality)
    inactive = make_pool_coordinator(world, "pensjonert")
    CoordinatorProfile.all_objects.filter(staff=inactive).update(is_active=False)
    client = client_for(lead)
    for staff in (outside_pool, inactive):
        response = client.post(appoint_url(world), appoint_data(staff))
        assert response.status_code == 200
        assert "Velg en aktiv koordinator fra koordinatorgruppen." in response.content.decode()
    assert not CoordinatorAssignment.all_objects.exists()
    with activate(world.municipality), pytest.raises(services.PlanRuleError):
        services.coordinator_appoint(
            actor=actor_for(lead),
            person=world.person,
            coordinator=inactive,
            started_on=TODAY(),
        )


def test_appointment_form_keeps_input_and_explains_errors(world, client_for):
    lead = make_lead(world)
    coordinator = make_pool_coordinator(world, "kari")
    future = d(TODAY() + datetime.timedelta(days=10))
    response = client_for(lead).post(
        appoint_url(world), appoint_data(coordinator, started_on=future, person_wish="Mitt ønske")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Startdatoen kan ikke være fram i tid" in body
    assert "Mitt ønske" in body and f'value="{future}"' in body
    response = client_for(lead).post(appoint_url(world), appoint_data(coordinator, started_on="x"))
    assert "Datoen må skrives som dd.mm.åååå." in response.content.decode()
    assert not CoordinatorAssignment.all_objects.exists()


def test_a_coordinator_without_the_permission_cannot_appoint(world, client_for):
    coordinator = make_pool_coordinator(world, "kari")
    client = client_for(world.owner)  # has a care relation, not the lead's permission
    page = client.get(appoint_url(world))
    assert page.status_code == 200
    assert "Oppnevn koordinator</button>" not in page.content.decode()
    client.post(appoint_url(world), appoint_data(coordinator))
    assert not CoordinatorAssignment.all_objects.exists()


def test_outsider_is_refused_on_the_appointment_page(world, client_for):
    coordinator = make_pool_coordinator(world, "kari")
    client = client_for(world.outsider)
    assert client.get(appoint_url(world)).status_code == 403
    assert client.post(appoint_url(world), appoint_data(coordinator)).status_code == 403
    assert not CoordinatorAssignment.all_objects.exists()
    refusal = AuditEvent.all_objects.latest("seq")
    assert (refusal.outcome, refusal.person_id) == ("refused", world.person.pk)


# --- The pool


def test_pool_pages_need_the_lead_permission(world, client_for):
    profile = CoordinatorProfile.all_objects.create(
        municipality=world.municipality, staff=world.owner
    )
    for staff in (world.outsider, world.owner, world.admin):
        client = client_for(staff)
        for url in (
            reverse("plans:coordinator_list"),
            reverse("plans:coordinator_add"),
            reverse("plans:revision_overdue"),
            reverse("plans:coordinator_detail", args=[profile.pk]),
        ):
            assert client.get(url).status_code == 403, (staff, url)
            assert client.post(url, {"form": "deactivate"}).status_code == 403
    profile.refresh_from_db()
    assert profile.is_active


def test_lead_builds_the_pool_with_training_and_supervision(world, client_for):
    lead = make_lead(world)
    client = client_for(lead)
    response = client.post(reverse("plans:coordinator_add"), {"staff": world.team_member.pk})
    assert response.status_code == 302
    profile = CoordinatorProfile.all_objects.get(staff=world.team_member)
    assert profile.joined_on == TODAY() and profile.is_active
    detail = reverse("plans:coordinator_detail", args=[profile.pk])
    assert response.url == detail

    response = client.post(
        detail,
        {"form": "training", "opplaering-course": "", "opplaering-completed_on": "01.13.2026"},
    )
    body = response.content.decode()
    assert "Skriv navnet på kurset." in body and "Datoen må skrives som dd.mm.åååå." in body
    client.post(
        detail,
        {
            "form": "training",
            "opplaering-course": "Koordinatoropplæring",
            "opplaering-completed_on": "10.03.2026",
        },
    )
    client.post(
        detail,
        {
            "form": "supervision",
            "veiledning-held_on": "12.04.2026",
            "veiledning-topic": "Vanskelige samtaler",
            "veiledning-supervisor": "Fagleder",
        },
    )
    training = CoordinatorTraining.all_objects.get()
    assert (training.course, training.completed_on) == (
        "Koordinatoropplæring",
        datetime.date(2026, 3, 10),
    )
    session = SupervisionSession.all_objects.get()
    assert (session.topic, session.supervisor) == ("Vanskelige samtaler", "Fagleder")
    page = client.get(detail).content.decode()
    assert "Koordinatoropplæring" in page and "Vanskelige samtaler" in page
    # The page's CSV holds training and supervision as tables of their own.
    csv_text = b"".join(client.get(detail, {"format": "csv"}).streaming_content).decode()
    assert "Fullført;Kurs" in csv_text and "10.03.2026;Koordinatoropplæring" in csv_text
    assert "12.04.2026;Vanskelige samtaler;Fagleder" in csv_text

    # The same staff member cannot join twice.
    again = client.post(reverse("plans:coordinator_add"), {"staff": world.team_member.pk})
    assert again.status_code == 200
    assert CoordinatorProfile.all_objects.count() == 1

    rows = AuditEvent.all_objects.filter(purpose="administration").order_by("seq")
    assert [(r.object_type, r.action) for r in rows if r.action not in ("view", "submit")] == [
        ("coordinator", "create"),
        ("coordinator_training", "create"),
        ("coordinator_supervision", "create"),
        ("coordinator", "export"),  # the CSV download of the profile
    ]


def test_coordinator_with_persons_cannot_leave_the_pool(world, client_for):
    lead = make_lead(world)
    coordinator = make_pool_coordinator(world, "kari")
    client = client_for(lead)
    client.post(appoint_url(world), appoint_data(coordinator))
    profile = CoordinatorProfile.all_objects.get(staff=coordinator)
    detail = reverse("plans:coordinator_detail", args=[profile.pk])
    response = client.post(detail, {"form": "deactivate"}, follow=True)
    assert "Koordinatoren har 1 personer nå" in response.content.decode()
    profile.refresh_from_db()
    assert profile.is_active
    assignment = CoordinatorAssignment.all_objects.get()
    client.post(
        reverse("plans:coordinator_end", args=[world.person.pk, assignment.pk]),
        {"ended_on": d(TODAY())},
    )
    client.post(detail, {"form": "deactivate"})
    profile.refresh_from_db()
    assert not profile.is_active
    client.post(detail, {"form": "reactivate"})
    profile.refresh_from_db()
    assert profile.is_active


def test_caseload_is_the_number_of_current_assignments(world, client_for):
    lead = make_lead(world)
    kari = make_pool_coordinator(world, "kari", last_name="Aas")
    per = make_pool_coordinator(world, "per", last_name="Berg")
    make_pool_coordinator(world, "ola", last_name="Dahl")
    persons = [factories.PersonFactory(municipality=world.municipality) for _ in range(5)]
    plan = [kari, kari, kari, per, per]
    ended = {4}  # the last of per's persons has ended
    start = datetime.date(2026, 1, 5)
    for index, (person, coordinator) in enumerate(zip(persons, plan, strict=True)):
        CoordinatorAssignment.all_objects.create(
            municipality=world.municipality,
            person=person,
            coordinator=coordinator,
            started_on=start,
            ended_on=start + datetime.timedelta(days=30) if index in ended else None,
        )
    # Training and supervision rows must not inflate the count.
    for staff in (kari, per):
        profile = CoordinatorProfile.all_objects.get(staff=staff)
        for day in (1, 2):
            CoordinatorTraining.all_objects.create(
                municipality=world.municipality,
                coordinator=profile,
                course="Kurs",
                completed_on=datetime.date(2026, 2, day),
            )
            SupervisionSession.all_objects.create(
                municipality=world.municipality,
                coordinator=profile,
                topic="Tema",
                held_on=datetime.date(2026, 3, day),
            )
    expected = {}
    for staff in (kari, per):
        expected[staff.pk] = sum(
            1
            for index, coordinator in enumerate(plan)
            if coordinator == staff and index not in ended
        )
    with activate(world.municipality):
        figures = {p.staff_id: p.caseload for p in selectors.coordinator_pool()}
    assert figures[kari.pk] == expected[kari.pk] == 3
    assert figures[per.pk] == expected[per.pk] == 1
    assert len(figures) == 3 and sorted(figures.values()) == [0, 1, 3]

    page = client_for(lead).get(reverse("plans:coordinator_list"))
    rows = {p.staff_id: p for p in page.context["page"]}
    assert rows[kari.pk].caseload == 3
    assert rows[kari.pk].last_training == datetime.date(2026, 2, 2)
    assert rows[per.pk].last_supervision == datetime.date(2026, 3, 2)

    detail = client_for(lead).get(
        reverse(
            "plans:coordinator_detail", args=[CoordinatorProfile.all_objects.get(staff=kari).pk]
        )
    )
    assert len(detail.context["persons"]) == 3
    assert "Koordinator for 3 personer nå" in detail.content.decode()


def test_coordinator_list_query_count_is_fixed(world, client_for, django_assert_max_num_queries):
    lead = make_lead(world)
    client = client_for(lead)
    make_pool_coordinator(world, "en")
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("plans:coordinator_list"))
    for index in range(12):
        staff = make_pool_coordinator(world, f"k{index}")
        staff.units.add(factories.UnitFactory(municipality=world.municipality))
        CoordinatorAssignment.all_objects.create(
            municipality=world.municipality,
            person=factories.PersonFactory(municipality=world.municipality),
            coordinator=staff,
            started_on=datetime.date(2026, 1, 5),
        )
    with django_assert_max_num_queries(30) as large:
        client.get(reverse("plans:coordinator_list"))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_pool_pages_refuse_another_municipality(world, client_for):
    lead = make_lead(world)
    other = factories.make_municipality("9002", "Annenkommune")
    staff_b = make_staff(other, "koordinator", "koord-b")
    profile_b = CoordinatorProfile.all_objects.create(municipality=other, staff=staff_b)
    client = client_for(lead)
    url = reverse("plans:coordinator_detail", args=[profile_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"form": "deactivate"}).status_code == 404
    profile_b.refresh_from_db()
    assert profile_b.is_active
    response = client.post(reverse("plans:coordinator_add"), {"staff": staff_b.pk})
    assert response.status_code == 200
    assert not CoordinatorProfile.all_objects.filter(municipality=world.municipality).exists()
