"""The rehabilitation-episode API: reads, every step through rehab.services, the
waiting list as the web's, and refusals (scope, care relation, other municipality)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.rehab import selectors
from mestring.rehab.models import Episode, EpisodeGoal, Programme, Visit
from mestring.tenancy.context import activate
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.rehab.helpers import DAY, ended, refer, started

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def _post(client, url: str, data: dict, raw: str):
    return client.post(url, data=data, content_type=JSON, **bearer(raw))


def _base(world) -> str:
    return f"/api/persons/{world.person.pk}/episodes/"


def test_the_whole_episode_through_the_services(world, client):
    raw = make_token(world.owner, ["rehab:read", "rehab:write"])
    base = _base(world)
    steps = []

    def step(url: str, data: dict, status: int, action: str) -> dict:
        before = AuditEvent.all_objects.count()
        response = _post(client, url, data, raw)
        assert response.status_code == status, response.content
        events = _events_since(before)
        assert [(e.action, e.person_id) for e in events] == [(action, world.person.pk)]
        steps.append(action)
        return response.json()

    created = step(
        base,
        {
            "programme": "hverdagsrehabilitering",
            "referral_date": "2026-03-02",
            "referral_source": "sykehus",
            "referred_by": "Dr. Test",
            "reason": "Fall",
        },
        201,
        "create",
    )
    episode = Episode.all_objects.get(pk=created["id"])
    assert (episode.status, episode.referral_source, episode.referral_reason) == (
        "henvist",
        "sykehus",
        "Fall",
    )
    url = f"{base}{episode.pk}/"
    assessed = step(
        f"{url}assessment/", {"assessed_on": "2026-03-03", "assessment": "aktuell"}, 200, "assess"
    )
    assert assessed["status"] == "venter"
    step(f"{url}start/", {"start_date": "2026-03-04"}, 200, "start")
    visit = step(f"{url}visits/", {"visited_on": "2026-03-05", "minutes": 45}, 201, "create")
    assert Visit.all_objects.get(pk=visit["id"]).staff_id == world.owner.pk  # the key's owner
    end = step(f"{url}end/", {"outcome": "fullfort", "end_date": "2026-04-01"}, 200, "end")
    assert end["status"] == "fullfort"
    assert end["follow_up_due_on"] == "2026-06-24"  # 12 weeks after the end
    done = step(
        f"{url}follow-up/",
        {"followed_up_on": "2026-06-24", "note": "Klarer seg."},
        200,
        "follow_up",
    )
    assert done["follow_up_note"] == "Klarer seg."
    assert [h["to_status"] for h in done["history"]] == ["henvist", "venter", "pagar", "fullfort"]
    assert [v["minutes"] for v in done["visits"]] == [45]
    episode.refresh_from_db()
    assert (episode.start_date, episode.end_date, episode.followed_up_on) == (
        datetime.date(2026, 3, 4),
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 24),
    )


def test_form_checks_and_rule_errors(world, client):
    raw = make_token(world.owner, ["rehab:read", "rehab:write"])
    base = _base(world)
    episode = refer(world.owner, world.person)
    url = f"{base}{episode.pk}/"
    # Not relevant without a reason: the service's rule, 422, as the web says it.
    response = _post(
        client,
        f"{url}assessment/",
        {"assessed_on": "2026-03-03", "assessment": "ikke_aktuell"},
        raw,
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Skriv hvorfor personen ikke er aktuell."
    # Starting a referred episode is not a transition the table allows: 409.
    before = AuditEvent.all_objects.count()
    response = _post(client, f"{url}start/", {"start_date": "2026-03-04"}, raw)
    assert response.status_code == 409
    assert "Kan ikke endre status" in response.json()["detail"]
    assert [e.outcome for e in _events_since(before)] == ["refused"]
    # A service rule: a future date is 422 (RuleBroken) with the service's message.
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = _post(
        client, f"{url}assessment/", {"assessed_on": future, "assessment": "aktuell"}, raw
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Vurderingsdatoen kan ikke være fram i tid."
    # A visit before the start: the episode's state (a Conflict, 409).
    response = _post(client, f"{url}visits/", {"visited_on": "2026-03-05", "minutes": 30}, raw)
    assert response.status_code == 409
    assert response.json()["detail"] == "Forløpet må være startet før besøk kan registreres."
    # Bad input: 422 in Norwegian.
    response = _post(client, f"{url}visits/", {"visited_on": "05.03.2026", "minutes": 0}, raw)
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields == {
        "visited_on": "Skriv datoen som åååå-mm-dd.",
        "minutes": "Tallet er for lite (minst 1).",
    }
    response = _post(
        client,
        base,
        {"programme": "finnes-ikke", "referral_date": "2026-03-02", "referral_source": "fastlege"},
        raw,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "programme", "message": "Velg et program fra listen."}
    ]
    episode.refresh_from_db()
    assert episode.status == "henvist"
    assert Episode.all_objects.count() == 1


def test_end_avbrutt_needs_a_reason_and_decision_must_be_the_persons(world, client):
    raw = make_token(world.owner, ["rehab:read", "rehab:write"])
    episode = started(world.owner, world.person)
    url = f"{_base(world)}{episode.pk}/end/"
    response = _post(client, url, {"outcome": "avbrutt", "end_date": "2026-03-10"}, raw)
    assert response.status_code == 422
    assert response.json()["detail"] == "Skriv hvorfor forløpet ble avbrutt."
    response = _post(
        client, url, {"outcome": "avbrutt", "end_date": "2026-03-10", "reason": "Flyttet"}, raw
    )
    assert response.status_code == 200, response.content
    assert response.json()["end_reason"] == "Flyttet"
    response = _post(
        client,
        _base(world),
        {
            "programme": "hverdagsrehabilitering",
            "referral_date": "2026-03-02",
            "referral_source": "fastlege",
            "plan_id": 999999,
        },
        raw,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "plan_id", "message": "Velg en plan fra listen."}
    ]


def test_list_filters_pagination_and_detail(world, client, django_assert_max_num_queries):
    first = refer(world.owner, world.person, on=datetime.date(2026, 1, 10))
    second = started(world.owner, world.person, on=datetime.date(2026, 2, 10))
    third = ended(world.owner, world.person, on=datetime.date(2026, 3, 1))
    other = Programme.all_objects.create(municipality=world.municipality, code="kurs", name="Kurs")
    Episode.all_objects.create(
        municipality=world.municipality,
        person=world.person,
        programme=other,
        referral_date=datetime.date(2026, 1, 20),
        referral_source="annet",
    )
    raw = make_token(world.owner, ["rehab:read"])
    base = _base(world)

    def ids(query: str) -> list[int]:
        response = client.get(f"{base}{query}", **bearer(raw))
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    mine = Episode.all_objects.filter(person=world.person).order_by("-referral_date", "-pk")
    expected = [e.pk for e in mine if e.programme.code == "hverdagsrehabilitering"]
    assert ids("?programme=hverdagsrehabilitering") == expected
    assert ids("?status=henvist") == [e.pk for e in mine if e.status == "henvist"]
    assert ids("?status=pagar") == [second.pk]
    assert ids("?referred_from=2026-01-15&referred_to=2026-02-28") == [
        second.pk,
        mine.get(programme=other).pk,
    ]
    with django_assert_max_num_queries(20):
        page = client.get(f"{base}?limit=2&offset=1", **bearer(raw)).json()
    assert (page["count"], [i["id"] for i in page["items"]]) == (4, [e.pk for e in mine][1:3])
    bad = client.get(f"{base}?referred_from=2026-02-01&referred_to=2026-01-01", **bearer(raw))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["message"] == "Til-datoen kan ikke være før fra-datoen."
    bad = client.get(f"{base}?status=ukjent&limit=500", **bearer(raw))
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"status", "limit"}
    # One episode: goals, team, visits, history, one audit row.
    before = AuditEvent.all_objects.count()
    detail = client.get(f"{base}{third.pk}/", **bearer(raw)).json()
    assert [(e.action, e.person_id) for e in _events_since(before)] == [("view", world.person.pk)]
    assert [h["to_status"] for h in detail["history"]] == ["henvist", "venter", "pagar", "fullfort"]
    assert detail["programme"] == "hverdagsrehabilitering"
    assert (detail["goals"], detail["team"], detail["visits"]) == ([], [], [])
    assert first.pk != third.pk


def test_goals_add_and_update(world, client):
    raw = make_token(world.owner, ["rehab:read", "rehab:write"])
    episode = started(world.owner, world.person)
    url = f"{_base(world)}{episode.pk}/goals/"
    response = _post(client, url, {"text": "  "}, raw)
    assert response.status_code == 422
    response = _post(client, url, {"text": "Gå til butikken"}, raw)
    assert response.status_code == 201, response.content
    goal = EpisodeGoal.all_objects.get(pk=response.json()["id"])
    response = client.put(
        f"{url}{goal.pk}/",
        data={"text": "Gå til butikken alene", "achieved": "delvis"},
        content_type=JSON,
        **bearer(raw),
    )
    assert response.status_code == 200, response.content
    goal.refresh_from_db()
    assert (goal.text, goal.achieved) == ("Gå til butikken alene", "delvis")
    assert AuditEvent.all_objects.filter(object_type="episode_goal", action="update").count() == 1


def test_refusals(world, client):
    episode = refer(world.owner, world.person)
    base = _base(world)
    urls = [base, f"{base}{episode.pk}/"]
    # Without the scope.
    no_scope = make_token(world.owner, ["outcomes:read"])
    for url in urls:
        response = client.get(url, **bearer(no_scope))
        assert response.status_code == 403
        assert "rehab:read" in response.json()["detail"]
    read_only = make_token(world.owner, ["rehab:read"])
    response = _post(client, f"{base}{episode.pk}/start/", {"start_date": "2026-03-04"}, read_only)
    assert response.status_code == 403
    # Without a care relation: the guard's refusal, audited.
    outsider = make_token(world.outsider)
    for url in urls:
        response = client.get(url, **bearer(outsider))
        assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    response = _post(
        client,
        f"{base}{episode.pk}/assessment/",
        {"assessed_on": "2026-03-03", "assessment": "aktuell"},
        outsider,
    )
    assert response.status_code == 403
    episode.refresh_from_db()
    assert episode.status == "henvist"
    refused = AuditEvent.all_objects.filter(outcome="refused", person=world.person)
    assert refused.count() == 3
    # Another person's episode under this person: 404.
    second = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, second)
    theirs = refer(world.owner, second)
    raw = make_token(world.owner)
    assert client.get(f"{base}{theirs.pk}/", **bearer(raw)).status_code == 404
    response = _post(client, f"{base}{theirs.pk}/start/", {"start_date": "2026-03-04"}, raw)
    assert response.status_code == 404
    # Another municipality's person and episode.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    staff = factories.StaffFactory(municipality=elsewhere, user__username="annen")
    factories.give_role(staff, "tjenesteyter")
    factories.grant_relation(staff, stranger)
    foreign = refer(staff, stranger)
    response = client.get(f"/api/persons/{stranger.pk}/episodes/{foreign.pk}/", **bearer(raw))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert client.get(f"{base}{foreign.pk}/", **bearer(raw)).status_code == 404
    theirs_token = make_token(staff)
    response = client.get(base, **bearer(theirs_token))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)


def test_waiting_list_is_the_webs(world, client):
    waiting = started(world.owner, world.person)  # started: not on the list
    referred = refer(world.owner, world.person, on=datetime.date(2026, 2, 1))
    second = factories.PersonFactory(municipality=world.municipality)
    older = refer(world.owner, second, on=datetime.date(2026, 1, 5))
    kurs = Programme.all_objects.create(municipality=world.municipality, code="kurs", name="Kurs")
    with activate(world.municipality):
        in_course = Episode.objects.create(
            person=second, programme=kurs, referral_date=DAY, referral_source="annet"
        )
    finished = ended(world.owner, second, on=timezone.localdate() - datetime.timedelta(days=120))
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    foreign_staff = factories.StaffFactory(municipality=elsewhere, user__username="annen")
    refer(foreign_staff, factories.PersonFactory(municipality=elsewhere))

    # The web's permission: the coordinator has no REHAB_REGISTER.
    coordinator = make_token(world.owner)
    response = client.get("/api/episodes/waiting/", **bearer(coordinator))
    assert response.status_code == 403
    no_scope = make_token(world.caseworker, ["cases:read"])
    assert client.get("/api/episodes/waiting/", **bearer(no_scope)).status_code == 403

    raw = make_token(world.caseworker, ["rehab:read"])
    before = AuditEvent.all_objects.count()
    page = client.get("/api/episodes/waiting/", **bearer(raw)).json()
    events = _events_since(before)
    assert [(e.object_type, e.person_id) for e in events] == [("episode_waiting_list", None)]
    with activate(world.municipality):
        web_rows = [e.pk for e in selectors.waiting_list()]
    assert [item["id"] for item in page["items"]] == web_rows
    assert web_rows == [older.pk, referred.pk, in_course.pk]  # oldest referral first
    assert waiting.pk not in web_rows
    first = page["items"][0]
    assert first["waiting_days"] == (timezone.localdate() - datetime.date(2026, 1, 5)).days
    # Without a relation or the programme's unit, no name (M5) …
    assert (first["person_id"], first["person_name"], first["named"]) == (None, "", False)
    # … with the unit that runs the programmes, the names, each in the access log.
    team = factories.UnitFactory(municipality=world.municipality, name="Rehabteamet")
    Programme.all_objects.filter(municipality=world.municipality).update(unit=team)
    world.caseworker.units.add(team)
    before = AuditEvent.all_objects.count()
    first = client.get("/api/episodes/waiting/", **bearer(raw)).json()["items"][0]
    assert first["person_name"] == f"{second.family_name}, {second.given_name}"
    assert {e.person_id for e in _events_since(before)} == {world.person.pk, second.pk}
    only = client.get("/api/episodes/waiting/?programme=kurs", **bearer(raw)).json()
    assert [item["id"] for item in only["items"]] == [in_course.pk]
    paged = client.get("/api/episodes/waiting/?limit=1&offset=1", **bearer(raw)).json()
    assert (paged["count"], [i["id"] for i in paged["items"]]) == (3, [referred.pk])
    unknown = client.get("/api/episodes/waiting/?programme=ukjent", **bearer(raw))
    assert unknown.status_code == 422
    follow_ups = client.get("/api/episodes/follow-ups/", **bearer(raw)).json()
    assert [item["id"] for item in follow_ups["items"]] == [finished.pk]
    programmes = client.get("/api/programmes/", **bearer(raw)).json()
    assert {p["code"] for p in programmes} == {"hverdagsrehabilitering", "kurs"}
