"""Individual plans: consent, one active plan, no lost work, revisions, closing, PDF."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from mestring.access.models import AuditEvent
from mestring.plans import selectors, services
from mestring.plans.models import (
    CoordinatorAssignment,
    Evaluation,
    Goal,
    GoalStatusChange,
    IndividualPlan,
    Measure,
    PlanParticipant,
    PlanRevision,
)
from mestring.plans.revisions import revision_diff
from mestring.tenancy.context import activate
from tests import factories
from tests.plans.helpers import (
    TODAY,
    actor_for,
    d,
    home_unit,
    make_consent,
    make_decision,
    make_plan,
    make_pool_coordinator,
)

pytestmark = pytest.mark.django_db


def plan_url(world) -> str:
    return reverse("plans:plan_detail", args=[world.person.pk])


def url(name: str, plan: IndividualPlan, *extra: int) -> str:
    return reverse(f"plans:{name}", args=[plan.person_id, plan.pk, *extra])


def edit_data(plan: IndividualPlan, version: int, **extra: str) -> dict[str, str]:
    return {
        "version": str(version),
        "responsible_unit": str(plan.responsible_unit_id),
        "start_date": d(plan.start_date),
        "what_matters": plan.what_matters,
        **extra,
    }


# --- Consent and creation


def test_no_plan_without_a_consent_in_force(world):
    actor = actor_for(world.owner)
    other = factories.PersonFactory(municipality=world.municipality)
    yesterday = TODAY() - datetime.timedelta(days=1)
    consents = [
        None,
        make_consent(world.person, withdrawn_on=yesterday),
        make_consent(world.person, kind="deling"),
        make_consent(world.person, given_on=TODAY() + datetime.timedelta(days=3)),
        make_consent(other),
    ]
    with activate(world.municipality):
        for consent in consents:
            with pytest.raises(services.PlanRuleError) as refused:
                services.plan_create(
                    actor=actor,
                    person=world.person,
                    consent=consent,
                    responsible_unit=home_unit(world),
                    start_date=TODAY(),
                )
            assert str(refused.value).startswith("Planen kan ikke opprettes uten samtykke")
    assert not IndividualPlan.all_objects.exists()
    assert not AuditEvent.all_objects.filter(object_type="individual_plan").exists()


def test_plan_page_without_consent_sends_the_user_to_the_consent_page(world, client_for):
    make_consent(world.person, withdrawn_on=TODAY())  # withdrawn today: not in force
    client = client_for(world.owner)
    page = client.get(plan_url(world))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Planen kan ikke opprettes uten samtykke til individuell plan" in body
    assert reverse("access:person_consents", args=[world.person.pk]) in body
    assert 'name="consent"' not in body
    response = client.post(
        plan_url(world),
        {"responsible_unit": home_unit(world).pk, "start_date": d(TODAY())},
    )
    assert response.status_code == 200
    assert not IndividualPlan.all_objects.exists()


def test_plan_is_created_from_the_page_with_revision_one(world, client_for):
    consent = make_consent(world.person)
    client = client_for(world.owner)
    page = client.get(plan_url(world)).content.decode()
    assert "Opprett individuell plan" in page and f'value="{consent.pk}"' in page
    response = client.post(
        plan_url(world),
        {
            "consent": consent.pk,
            "responsible_unit": home_unit(world).pk,
            "start_date": d(TODAY()),
            "next_revision_on": "31.02.2027",
            "what_matters": "Å klare meg selv hjemme",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Datoen må skrives som dd.mm.åååå." in body
    assert "Å klare meg selv hjemme" in body  # the input is kept
    response = client.post(
        plan_url(world),
        {
            "consent": consent.pk,
            "responsible_unit": home_unit(world).pk,
            "start_date": d(TODAY()),
            "next_revision_on": d(TODAY() + datetime.timedelta(days=180)),
            "what_matters": "Å klare meg selv hjemme",
        },
    )
    plan = IndividualPlan.all_objects.get()
    assert response.status_code == 302 and response.url == url("plan_view", plan)
    assert plan.consent == consent and plan.version == 1
    assert plan.what_matters == "Å klare meg selv hjemme"
    revision = PlanRevision.all_objects.get()
    assert revision.number == 1 and revision.saved_by == world.owner.user
    assert revision.snapshot["plan"]["what_matters"] == "Å klare meg selv hjemme"
    writes = AuditEvent.all_objects.filter(object_type="individual_plan").exclude(action="view")
    assert [(e.action, e.object_id, e.person_id) for e in writes] == [
        ("create", str(plan.pk), world.person.pk),
    ]


def test_one_active_plan_per_person(world, client_for):
    plan = make_plan(world)
    with activate(world.municipality), pytest.raises(services.PlanRuleError) as refused:
        services.plan_create(
            actor=actor_for(world.owner),
            person=world.person,
            consent=make_consent(world.person),
            responsible_unit=home_unit(world),
            start_date=TODAY(),
        )
    assert "allerede en aktiv plan" in str(refused.value)
    page = client_for(world.owner).get(plan_url(world))
    assert page.context["plan"] == plan and page.context["create_form"] is None
    # After closing, a new plan may be made; the closed one stays readable.
    with activate(world.municipality):
        services.plan_close(actor=actor_for(world.owner), plan=plan, end_date=TODAY(), note="Ny")
    second = make_plan(world)
    assert IndividualPlan.all_objects.filter(person=world.person).count() == 2
    page = client_for(world.owner).get(plan_url(world))
    assert page.context["plan"] == second
    assert client_for(world.owner).get(url("plan_view", plan)).status_code == 200


# --- No lost work


def test_two_concurrent_edits_the_later_save_is_refused_and_keeps_its_text(world, client_for):
    plan = make_plan(world, what_matters="Start")
    alice = client_for(world.owner)
    bob = client_for(world.team_member)  # a provider with access through the unit
    edit = url("plan_edit", plan)
    form_a = alice.get(edit).context["form"]
    form_b = bob.get(edit).context["form"]
    assert form_a["version"].value() == form_b["version"].value() == 1

    response_a = alice.post(edit, edit_data(plan, 1, what_matters="Alices tekst"))
    assert response_a.status_code == 302
    response_b = bob.post(
        edit, edit_data(plan, 1, what_matters="Bobs tekst", cooperation="NAV og skole")
    )
    body = response_b.content.decode()
    assert response_b.status_code == 200
    name = world.owner.user.get_full_name()
    assert f"Planen er endret av {name} kl. " in body
    assert "Teksten din er tatt vare på under. Se endringene og lagre på nytt." in body
    assert "Bobs tekst</textarea>" in body and "NAV og skole</textarea>" in body
    assert "Alices tekst" in body  # shown as what changed since Bob opened the plan
    plan.refresh_from_db()
    assert plan.what_matters == "Alices tekst" and plan.cooperation == ""
    assert plan.version == 2
    assert PlanRevision.all_objects.filter(plan=plan).count() == 2

    # Bob has seen the change; the form now carries version 2, so saving again works.
    assert response_b.context["form"]["version"].value() == "2"
    again = bob.post(edit, edit_data(plan, 2, what_matters="Bobs tekst"))
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.what_matters == "Bobs tekst" and plan.version == 3


def test_after_a_conflict_fields_the_user_left_alone_take_the_saved_values(world, client_for):
    plan = make_plan(world, what_matters="Start")
    edit = url("plan_edit", plan)
    alice, bob = client_for(world.owner), client_for(world.team_member)
    later = d(TODAY() + datetime.timedelta(days=90))
    alice.post(edit, edit_data(plan, 1, cooperation="NAV", next_revision_on=later))
    response = bob.post(edit, edit_data(plan, 1, what_matters="Bobs tekst"))
    form = response.context["form"]
    assert "Planen er endret av" in response.content.decode()
    assert form["what_matters"].value() == "Bobs tekst"  # Bob's own change is kept
    assert form["cooperation"].value() == "NAV"  # Alice's change is taken in
    assert form["next_revision_on"].value() == later
    assert response.context["conflict"]["taken"] == [
        "Neste revisjon",
        "Samarbeid med andre etater og nivåer",
    ]
    plan.refresh_from_db()
    assert (plan.what_matters, plan.cooperation) == ("Start", "NAV")
    data = {name: form[name].value() or "" for name in form.fields}
    assert bob.post(edit, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.what_matters, plan.cooperation) == ("Bobs tekst", "NAV")
    assert plan.next_revision_on == TODAY() + datetime.timedelta(days=90)


def test_editing_a_goal_is_locked_too(world, client_for):
    plan = make_plan(world)
    with activate(world.municipality):
        goal = services.goal_add(actor=actor_for(world.owner), plan=plan, text="Gå tur")
    plan.refresh_from_db()
    edit = url("goal_edit", plan, goal.pk)
    data = {"status": "aktiv", "achievement": "pa_vei", "version": str(plan.version)}
    assert (
        client_for(world.owner).post(edit, {**data, "text": "Gå tur hver dag"}).status_code == 302
    )
    late = client_for(world.team_member).post(edit, {**data, "text": "Gå tur til butikken"})
    assert "Planen er endret av" in late.content.decode()
    assert "Gå tur til butikken" in late.content.decode()
    goal.refresh_from_db()
    assert goal.text == "Gå tur hver dag"


def test_service_refuses_a_stale_version(world):
    plan = make_plan(world)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        services.plan_update(actor=actor, plan=plan, expected_version=1, data={"cooperation": "A"})
        stale = IndividualPlan.objects.get(pk=plan.pk)
        with pytest.raises(services.PlanChanged) as changed:
            services.plan_update(
                actor=actor, plan=stale, expected_version=1, data={"cooperation": "B"}
            )
    assert changed.value.current_version == 2
    plan.refresh_from_db()
    assert plan.cooperation == "A"


# --- Goals, measures, participants, evaluations, revisions


def test_every_saved_change_is_a_revision_and_the_diff_is_right(world, client_for):
    plan = make_plan(world, what_matters="Å bo hjemme")
    client = client_for(world.owner)
    client.post(
        url("goal_add", plan),
        {
            "version": "1",
            "text": "Gå til butikken selv",
            "status": "aktiv",
            "achievement": "ikke_startet",
        },
    )
    goal = Goal.all_objects.get()
    client.post(
        url("measure_add", plan),
        {
            "version": "2",
            "title": "Gåtrening",
            "scope": "2 ganger i uken",
            "responsible_unit": home_unit(world).pk,
            "goal": goal.pk,
            "start_on": "01.12.2026",
        },
    )
    client.post(
        url("goal_edit", plan, goal.pk),
        {
            "version": "3",
            "text": "Gå til butikken selv",
            "status": "aktiv",
            "achievement": "pa_vei",
            "target_date": "01.06.2027",
        },
    )
    client.post(url("plan_edit", plan), edit_data(plan, 4, what_matters="Å bo hjemme med katten"))
    plan.refresh_from_db()
    assert plan.version == 5
    revisions = list(PlanRevision.all_objects.filter(plan=plan).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3, 4, 5]
    assert [r.summary for r in revisions] == [
        "Planen er opprettet",
        "Mål lagt til",
        "Tiltak lagt til",
        "Mål endret",
        "Planen er endret",
    ]
    snaps = [r.snapshot for r in revisions]
    assert revision_diff(snaps[0], snaps[1]) == [("Mål lagt til", "", "Gå til butikken selv")]
    assert revision_diff(snaps[1], snaps[2]) == [("Tiltak lagt til", "", "Gåtrening")]
    assert revision_diff(snaps[2], snaps[3]) == [
        ("Mål «Gå til butikken selv»: måloppnåelse", "Ikke startet", "På vei"),
        ("Mål «Gå til butikken selv»: ønsket dato", "", "01.06.2027"),
    ]
    assert revision_diff(snaps[3], snaps[4]) == [
        ("Hva er viktig for deg?", "Å bo hjemme", "Å bo hjemme med katten"),
    ]
    assert revision_diff(None, snaps[0]) == []
    # A removed goal shows as removed.
    removed = {**snaps[4], "goals": []}
    assert ("Mål fjernet", "Gå til butikken selv", "") in revision_diff(snaps[4], removed)

    listing = client.get(url("revision_list", plan)).content.decode()
    assert "Versjon 5" in listing and "Tiltak lagt til" in listing
    detail = client.get(url("revision_detail", plan, 5))
    assert detail.context["changes"] == revision_diff(snaps[3], snaps[4])
    body = detail.content.decode()
    assert "Endret fra versjon 4" in body and "Å bo hjemme med katten" in body
    first = client.get(url("revision_detail", plan, 1)).content.decode()
    assert "Dette er den første versjonen av planen." in first
    assert client.get(url("revision_detail", plan, 9)).status_code == 404


def test_goal_lifecycle_follows_the_transition_table_and_keeps_history(world):
    plan = make_plan(world)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        goal = services.goal_add(actor=actor, plan=plan, text="Sykle", status="foreslatt")
        with pytest.raises(services.PlanRuleError) as refused:
            services.goal_update(
                actor=actor, goal=goal, expected_version=plan.version, data={"status": "avsluttet"}
            )
        assert str(refused.value) == "Kan ikke endre status fra «Foreslått» til «Avsluttet»."
        services.goal_update(
            actor=actor, goal=goal, expected_version=plan.version, data={"status": "aktiv"}
        )
        services.evaluation_add(
            actor=actor,
            plan=plan,
            goal=goal,
            evaluated_on=TODAY(),
            achievement="nadd",
            text="Sykler til jobb",
        )
    goal.refresh_from_db()
    assert (goal.status, goal.achievement) == ("aktiv", "nadd")
    history = list(
        GoalStatusChange.all_objects.filter(goal=goal)
        .order_by("pk")
        .values_list("from_status", "to_status", "from_achievement", "to_achievement")
    )
    assert history == [
        ("", "foreslatt", "", "ikke_startet"),
        ("foreslatt", "aktiv", "ikke_startet", "ikke_startet"),
        ("aktiv", "aktiv", "ikke_startet", "nadd"),
    ]
    evaluation = Evaluation.all_objects.get()
    assert evaluation.evaluated_by == world.owner and evaluation.goal == goal


def test_measure_rules_and_the_decision_behind_it(world, client_for):
    plan = make_plan(world)
    decision = make_decision(world.person, world.caseworker)
    other_person = factories.PersonFactory(municipality=world.municipality)
    foreign = make_decision(other_person, world.caseworker)
    client = client_for(world.owner)
    add = url("measure_add", plan)
    response = client.post(add, {"version": "1", "title": "Hjemmetrening", "how": "Med strikk"})
    body = response.content.decode()
    assert "Velg hvem som er ansvarlig for tiltaket" in body and "Med strikk" in body
    response = client.post(
        add, {"version": "1", "title": "X", "responsible_other": "Personen", "decision": foreign.pk}
    )
    assert response.status_code == 200  # not offered: another person's decision
    with activate(world.municipality), pytest.raises(services.PlanRuleError):
        services.measure_add(
            actor=actor_for(world.owner),
            plan=plan,
            data={"title": "X", "responsible_other": "Personen", "decision": foreign},
        )
    response = client.post(
        add,
        {
            "version": "1",
            "title": "Hjemmetrening",
            "responsible_other": "Personen selv",
            "decision": decision.pk,
            "start_on": "01.12.2026",
            "end_on": "01.11.2026",
        },
    )
    assert "Tiltaket kan ikke slutte før det starter." in response.content.decode()
    response = client.post(
        add,
        {
            "version": "1",
            "title": "Hjemmetrening",
            "responsible_other": "Personen selv",
            "decision": decision.pk,
        },
    )
    assert response.status_code == 302
    measure = Measure.all_objects.get()
    assert measure.decision == decision and measure.responsible_other == "Personen selv"


def test_participants_are_added_edited_and_removed(world, client_for):
    plan = make_plan(world)
    relative = factories.RelativeFactory(person=world.person, name="Rita Datter")
    strangers_relative = factories.RelativeFactory(
        person=factories.PersonFactory(municipality=world.municipality)
    )
    client = client_for(world.owner)
    add = url("participant_add", plan)
    both = client.post(
        add,
        {
            "version": "1",
            "staff": world.owner.pk,
            "unit": home_unit(world).pk,
            "role": "Koordinator",
        },
    )
    assert "Velg én ansatt, én enhet eller én pårørende." in both.content.decode()
    client.post(add, {"version": "1", "relative": strangers_relative.pk, "role": "Nabo"})
    assert not PlanParticipant.all_objects.exists()
    client.post(
        add,
        {
            "version": "1",
            "relative": relative.pk,
            "role": "Datter",
            "contribution": "Handler en gang i uken",
        },
    )
    participant = PlanParticipant.all_objects.get()
    assert participant.relative == relative
    plan.refresh_from_db()
    client.post(
        url("participant_edit", plan, participant.pk),
        {
            "version": str(plan.version),
            "relative": relative.pk,
            "role": "Datter",
            "contribution": "Handler to ganger i uken",
        },
    )
    participant.refresh_from_db()
    assert participant.contribution == "Handler to ganger i uken"
    client.post(url("participant_remove", plan, participant.pk))
    assert not PlanParticipant.all_objects.exists()
    plan.refresh_from_db()
    assert plan.version == 4
    last = PlanRevision.all_objects.get(plan=plan, number=4)
    assert last.summary == "Deltaker fjernet" and last.snapshot["participants"] == []


def test_withdrawn_consent_stops_changes_but_not_closing(world, client_for):
    plan = make_plan(world)
    plan.consent.withdrawn_on = TODAY()
    plan.consent.save()
    client = client_for(world.owner)
    page = client.get(url("plan_view", plan)).content.decode()
    assert "Samtykket til individuell plan er trukket tilbake eller utløpt." in page
    response = client.post(url("plan_edit", plan), edit_data(plan, 1, what_matters="Ny tekst"))
    assert "Registrer nytt samtykke før planen endres." in response.content.decode()
    plan.refresh_from_db()
    assert plan.what_matters == "" and plan.version == 1
    response = client.post(url("plan_close", plan), {"end_date": d(TODAY()), "note": "Trukket"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_closed


# --- Closing


def test_a_closed_plan_is_read_only(world, client_for):
    plan = make_plan(world)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        goal = services.goal_add(actor=actor, plan=plan, text="Mål")
        measure = services.measure_add(
            actor=actor, plan=plan, data={"title": "Tiltak", "responsible_other": "Personen"}
        )
        participant = services.participant_add(
            actor=actor, plan=plan, data={"unit": home_unit(world), "role": "Enhet"}
        )
    client = client_for(world.owner)
    response = client.post(url("plan_close", plan), {"end_date": "x", "note": ""})
    assert "Skriv kort hvorfor planen avsluttes." in response.content.decode()
    response = client.post(url("plan_close", plan), {"end_date": d(TODAY()), "note": "Mål nådd"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_closed and plan.closed_on == TODAY() and plan.end_date == TODAY()
    version = plan.version
    revisions = PlanRevision.all_objects.filter(plan=plan).count()

    writes = [
        lambda: services.plan_update(
            actor=actor, plan=plan, expected_version=version, data={"cooperation": "x"}
        ),
        lambda: services.plan_close(actor=actor, plan=plan, end_date=TODAY(), note="igjen"),
        lambda: services.goal_add(actor=actor, plan=plan, text="Nytt"),
        lambda: services.goal_update(
            actor=actor, goal=goal, expected_version=version, data={"text": "Endret"}
        ),
        lambda: services.measure_add(
            actor=actor, plan=plan, data={"title": "Nytt", "responsible_other": "x"}
        ),
        lambda: services.measure_update(
            actor=actor,
            measure=measure,
            expected_version=version,
            data={"title": "Endret", "responsible_other": "x"},
        ),
        lambda: services.participant_add(
            actor=actor, plan=plan, data={"unit": home_unit(world), "role": "Ny"}
        ),
        lambda: services.participant_update(
            actor=actor,
            participant=participant,
            expected_version=version,
            data={"unit": home_unit(world), "role": "Ny"},
        ),
        lambda: services.participant_remove(actor=actor, participant=participant),
        lambda: services.evaluation_add(actor=actor, plan=plan, evaluated_on=TODAY(), text="x"),
    ]
    with activate(world.municipality):
        for write in writes:
            with pytest.raises(services.PlanClosed, match="Planen er avsluttet og kan ikke endres"):
                write()
    pages = [
        url("plan_edit", plan),
        url("plan_close", plan),
        url("goal_add", plan),
        url("goal_edit", plan, goal.pk),
        url("measure_add", plan),
        url("measure_edit", plan, measure.pk),
        url("participant_add", plan),
        url("participant_edit", plan, participant.pk),
        url("evaluation_add", plan),
    ]
    for page in pages:
        response = client.post(
            page,
            {
                "version": str(version),
                "text": "x",
                "title": "x",
                "role": "x",
                "unit": home_unit(world).pk,
            },
        )
        assert response.status_code == 302 and response.url == url("plan_view", plan), page
    client.post(url("participant_remove", plan, participant.pk))
    plan.refresh_from_db()
    assert plan.version == version
    assert PlanRevision.all_objects.filter(plan=plan).count() == revisions
    assert PlanParticipant.all_objects.filter(pk=participant.pk).exists()
    assert Goal.all_objects.get(pk=goal.pk).text == "Mål"
    body = client.get(url("plan_view", plan)).content.decode()
    assert "Den kan leses, men ikke endres." in body
    assert url("plan_edit", plan) not in body


# --- PDF


def test_the_plan_prints_as_a_pdf_with_goals_and_measures(world, client_for):
    plan = make_plan(world, what_matters="Å gå på fotballkamp med barnebarnet")
    coordinator = make_pool_coordinator(world, "kari")
    CoordinatorAssignment.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        coordinator=coordinator,
        started_on=datetime.date(2026, 1, 5),
    )
    actor = actor_for(world.owner)
    with activate(world.municipality):
        services.goal_add(actor=actor, plan=plan, text="Gå opp trappen hjemme uten hjelp")
        services.measure_add(
            actor=actor,
            plan=plan,
            data={
                "title": "Styrketrening med fysioterapeut",
                "scope": "2 ganger i uken",
                "how": "Hjemme hos meg",
                "responsible_unit": home_unit(world),
            },
        )
        services.evaluation_add(
            actor=actor, plan=plan, evaluated_on=TODAY(), text="Går bedre i trappen"
        )
    response = client_for(world.owner).get(url("plan_pdf", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for expected in (
        "Min individuelle plan",
        world.person.full_name,
        "Å gå på fotballkamp med barnebarnet",
        "Gå opp trappen hjemme uten hjelp",
        "Styrketrening med fysioterapeut",
        "2 ganger i uken",
        "Hjemmetjenesten",
        "40000000",
        "kari@example.org",
        "Går bedre i trappen",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "Min individuelle plan"
    event = AuditEvent.all_objects.latest("seq")
    assert (event.object_type, event.person_id) == ("individual_plan_pdf", world.person.pk)


# --- Lists, guard, audit, queries


def test_revision_overdue_list(world, client_for):
    from tests.plans.helpers import make_lead

    today = TODAY()
    overdue = make_plan(world, next_revision_on=today - datetime.timedelta(days=1))
    persons = [factories.PersonFactory(municipality=world.municipality) for _ in range(3)]
    due_dates = [today, today + datetime.timedelta(days=5), today - datetime.timedelta(days=40)]
    plans = []
    for person, due in zip(persons, due_dates, strict=True):
        plans.append(
            IndividualPlan.all_objects.create(
                municipality=world.municipality,
                person=person,
                consent=make_consent(person),
                responsible_unit=home_unit(world),
                start_date=today - datetime.timedelta(days=200),
                next_revision_on=due,
            )
        )
    closed_person = factories.PersonFactory(municipality=world.municipality)
    IndividualPlan.all_objects.create(
        municipality=world.municipality,
        person=closed_person,
        consent=make_consent(closed_person),
        responsible_unit=home_unit(world),
        start_date=today - datetime.timedelta(days=400),
        next_revision_on=today - datetime.timedelta(days=100),
        status="avsluttet",
    )
    expected = [plans[2].pk, overdue.pk]  # earliest due first; today's is not overdue yet
    with activate(world.municipality):
        assert [p.pk for p in selectors.revision_overdue()] == expected
    lead = make_lead(world)
    page = client_for(lead).get(reverse("plans:revision_overdue"))
    assert [p.pk for p in page.context["page"]] == expected
    assert AuditEvent.all_objects.latest("seq").object_type == "plan_revision_overdue"


def test_outsider_is_refused_on_every_plan_page(world, client_for):
    plan = make_plan(world)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        goal = services.goal_add(actor=actor, plan=plan, text="Mål")
        measure = services.measure_add(
            actor=actor, plan=plan, data={"title": "Tiltak", "responsible_other": "Personen"}
        )
        participant = services.participant_add(
            actor=actor, plan=plan, data={"unit": home_unit(world), "role": "Enhet"}
        )
    plan.refresh_from_db()
    pages = [
        plan_url(world),
        url("plan_view", plan),
        url("plan_edit", plan),
        url("plan_close", plan),
        url("goal_add", plan),
        url("goal_edit", plan, goal.pk),
        url("measure_add", plan),
        url("measure_edit", plan, measure.pk),
        url("participant_add", plan),
        url("participant_edit", plan, participant.pk),
        url("participant_remove", plan, participant.pk),
        url("evaluation_add", plan),
        url("revision_list", plan),
        url("revision_detail", plan, 1),
        url("plan_pdf", plan),
    ]
    client = client_for(world.outsider)
    version = plan.version
    for page in pages:
        for method in ("get", "post"):
            response = getattr(client, method)(page, {"version": version, "text": "Inntrenger"})
            assert response.status_code == 403, (method, page)
            assert world.person.family_name.encode() not in response.content
    plan.refresh_from_db()
    assert plan.version == version and plan.status == "aktiv"
    assert Goal.all_objects.get().text == "Mål"


def test_every_plan_write_has_one_audit_row(world, client_for):
    plan = make_plan(world)
    client = client_for(world.owner)
    before = AuditEvent.all_objects.count()
    client.post(
        url("goal_add", plan),
        {"version": "1", "text": "Mål", "status": "aktiv", "achievement": "ikke_startet"},
    )
    goal = Goal.all_objects.get()
    client.post(
        url("evaluation_add", plan),
        {"goal": goal.pk, "evaluated_on": d(TODAY()), "achievement": "delvis", "text": "Bra"},
    )
    client.post(url("plan_edit", plan), edit_data(plan, 3, cooperation="NAV"))
    rows = list(AuditEvent.all_objects.filter(seq__gt=0).order_by("seq"))[before:]
    assert [(r.object_type, r.action, r.person_id, r.reason_code) for r in rows] == [
        ("plan_goal", "create", world.person.pk, "tjenesteyter"),
        ("plan_evaluation", "create", world.person.pk, "tjenesteyter"),
        ("individual_plan", "update", world.person.pk, "tjenesteyter"),
    ]


def test_plan_page_query_count_does_not_grow(world, client_for, django_assert_max_num_queries):
    plan = make_plan(world)
    client = client_for(world.owner)
    with django_assert_max_num_queries(40) as small:
        assert client.get(plan_url(world)).status_code == 200
    actor = actor_for(world.owner)
    decision = make_decision(world.person, world.caseworker)
    with activate(world.municipality):
        for index in range(8):
            goal = services.goal_add(actor=actor, plan=plan, text=f"Mål {index}")
            services.measure_add(
                actor=actor,
                plan=plan,
                data={
                    "title": f"Tiltak {index}",
                    "goal": goal,
                    "responsible_staff": world.owner,
                    "responsible_unit": home_unit(world),
                    "decision": decision,
                },
            )
            services.participant_add(
                actor=actor, plan=plan, data={"staff": world.team_member, "role": f"Rolle {index}"}
            )
            services.evaluation_add(
                actor=actor, plan=plan, goal=goal, evaluated_on=TODAY(), text=f"Evaluering {index}"
            )
    with django_assert_max_num_queries(40) as large:
        assert client.get(plan_url(world)).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_ids_of_another_persons_plan_are_not_found(world, client_for):
    plan = make_plan(world)
    other = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, other)
    client = client_for(world.owner)
    for name in ("plan_view", "plan_edit", "revision_list", "plan_pdf"):
        address = reverse(f"plans:{name}", args=[other.pk, plan.pk])
        assert client.get(address).status_code == 404, name
    address = reverse("plans:revision_detail", args=[other.pk, plan.pk, 1])
    assert client.get(address).status_code == 404


def test_a_form_without_its_version_says_so_and_keeps_the_text(world, client_for):
    plan = make_plan(world)
    data = edit_data(plan, 1, what_matters="Teksten min")
    del data["version"]
    response = client_for(world.owner).post(url("plan_edit", plan), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skjemaet mangler versjonen av planen." in body and "Teksten min</textarea>" in body
    plan.refresh_from_db()
    assert plan.what_matters == "" and plan.version == 1


def test_an_imported_revision_without_content_is_shown_plainly(world, client_for):
    plan = make_plan(world)
    PlanRevision.all_objects.filter(plan=plan).update(snapshot={"imported": True})
    response = client_for(world.owner).get(url("revision_detail", plan, 1))
    assert response.status_code == 200
    assert "ingen lagret kopi av innholdet" in response.content.decode()
