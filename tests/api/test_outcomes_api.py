"""The outcome-measure API: recording each instrument through outcomes.services with the
web form's checks, reading with the change from the first measure, and refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.assessments.models import FunctionVariable
from mestring.outcomes.models import Observation
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.outcomes.helpers import copm, episode_for, sppb

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"
COMMON = {"observed_on": "2026-03-02", "time_point": "start"}


def _base(world) -> str:
    return f"/api/persons/{world.person.pk}/observations/"


def _post(client, url: str, data: dict, raw: str):
    return client.post(url, data=data, content_type=JSON, **bearer(raw))


def _writer(world) -> str:
    return make_token(world.owner, ["outcomes:read", "outcomes:write"])


def test_sppb_from_times_and_points_through_the_service(world, client):
    raw = _writer(world)
    episode = episode_for(world.person)
    before = AuditEvent.all_objects.count()
    times = {
        **COMMON,
        "episode_id": episode.pk,
        "side_by_side_s": 10,
        "semi_tandem_s": 10,
        "tandem_s": 5.5,  # 3 points
        "gait_s": 5.0,  # 3 points
        "chair_s": 12.3,  # 3 points
    }
    response = _post(client, f"{_base(world)}sppb/", times, raw)
    assert response.status_code == 201, response.content
    body = response.json()
    events = list(AuditEvent.all_objects.order_by("seq")[before:])
    assert [(e.action, e.object_type, e.person_id) for e in events] == [
        ("create", "observation", world.person.pk)
    ]
    observation = Observation.all_objects.get(pk=body["id"])
    assert (observation.total, observation.episode_id) == (Decimal(9), episode.pk)
    assert observation.recorded_by_id == world.owner.pk
    items = {i["code"]: i for i in body["items"]}
    assert items["balance_tandem"]["seconds"] == 5.5
    assert (items["balance"]["points"], items["gait"]["points"], items["chair"]["points"]) == (
        3,
        3,
        3,
    )
    assert (body["total"], body["change_start"], body["judgement"]) == (9, None, "")
    # Points a while later: compared with the first measure against the threshold (1).
    later = {**COMMON, "observed_on": "2026-04-02", "balance": 4, "gait": 4, "chair": 3}
    body = _post(client, f"{_base(world)}sppb/", later, raw).json()
    assert (body["total"], body["change_start"], body["judgement"]) == (11, 2, "improved")
    assert body["judgement_text"] == "Meningsfull bedring"
    # Both time and points for a part: the scoring rule's message, 422.
    both = {**COMMON, "balance": 2, "side_by_side_s": 10, "gait": 1, "chair": 1}
    response = _post(client, f"{_base(world)}sppb/", both, raw)
    assert response.status_code == 422
    assert response.json()["detail"] == "Skriv enten tider eller poeng for balanse, ikke begge."
    # Out of the form's ranges.
    response = _post(
        client, f"{_base(world)}sppb/", {**COMMON, "balance": 5, "gait_s": 1000, "chair": 1}, raw
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields == {"balance": "Tallet er for stort (høyst 4).", "gait_s": "Tallet er for stort."}
    assert Observation.all_objects.count() == 2


def test_copm_psfs_and_their_form_checks(world, client):
    raw = _writer(world)
    base = _base(world)
    copm_body = {
        **COMMON,
        "activities": [
            {"activity": "Lage middag", "performance": 3, "satisfaction": 2},
            {"activity": "Handle", "performance": 6, "satisfaction": 5},
        ],
    }
    response = _post(client, f"{base}copm/", copm_body, raw)
    assert response.status_code == 201, response.content
    assert (response.json()["total"], response.json()["total_secondary"]) == (4.5, 3.5)
    too_high = {**COMMON, "activities": [{"activity": "X", "performance": 11, "satisfaction": 1}]}
    response = _post(client, f"{base}copm/", too_high, raw)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "activities.0.performance", "message": "Tallet er for stort (høyst 10)."}
    ]
    response = _post(client, f"{base}copm/", {**COMMON, "activities": []}, raw)
    assert response.json()["errors"] == [
        {"field": "activities", "message": "COPM må ha fra én til fem aktiviteter."}
    ]
    psfs_rows = [{"activity": f"Aktivitet {n}", "score": n} for n in (2, 4, 7)]
    response = _post(client, f"{base}psfs/", {**COMMON, "activities": psfs_rows}, raw)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["instrument"], body["total"], body["higher_is_better"]) == ("psfs", 4.33, True)
    assert [i["label"] for i in body["items"]] == ["Aktivitet 2", "Aktivitet 4", "Aktivitet 7"]
    response = _post(client, f"{base}psfs/", {**COMMON, "activities": psfs_rows[:2]}, raw)
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "PSFS må ha fra tre til fem aktiviteter."
    blank = [{"activity": " ", "score": 1}, *psfs_rows[:2]]
    response = _post(client, f"{base}psfs/", {**COMMON, "activities": blank}, raw)
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Hver aktivitet må ha et navn.",
    )
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _post(
        client, f"{base}psfs/", {**COMMON, "observed_on": future, "activities": psfs_rows}, raw
    )
    assert response.json()["errors"] == [
        {"field": "observed_on", "message": "Datoen for målingen kan ikke være fram i tid."}
    ]
    response = _post(client, f"{base}psfs/", {**COMMON, "activities": psfs_rows, "x": 1}, raw)
    assert response.json()["errors"] == [{"field": "x", "message": "Feltet er ukjent."}]
    assert Observation.all_objects.count() == 2


def test_function_variables(world, client):
    raw = _writer(world)
    variables = list(
        FunctionVariable.all_objects.filter(municipality=world.municipality, is_active=True)
    )
    assert len(variables) >= 2
    listed = client.get("/api/function-variables/", **bearer(raw)).json()
    assert [v["code"] for v in listed] == [v.code for v in variables]
    scores = {variables[0].code: 2, variables[1].code: 9}
    response = _post(client, f"{_base(world)}funksjon/", {**COMMON, "scores": scores}, raw)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["higher_is_better"]) == (2, False)
    assert [(i["code"], i["points"]) for i in body["items"]] == [
        (variables[0].code, 2),
        (variables[1].code, 9),
    ]
    unknown = {**COMMON, "scores": {"ukjent": 1}}
    response = _post(client, f"{_base(world)}funksjon/", unknown, raw)
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Målingen inneholder en variabel som ikke er i bruk.",
    )
    response = _post(client, f"{_base(world)}funksjon/", {**COMMON, "scores": {"x": 6}}, raw)
    assert response.status_code == 422
    assert Observation.all_objects.count() == 1


def test_list_filters_pagination_and_read(world, client, django_assert_max_num_queries):
    episode = episode_for(world.person)
    first = sppb(world.owner, world.person, on=datetime.date(2026, 1, 5), episode=episode)
    mid = sppb(
        world.owner, world.person, on=datetime.date(2026, 2, 5), time_point="midt", balance=3
    )
    last = sppb(
        world.owner,
        world.person,
        on=datetime.date(2026, 3, 5),
        time_point="slutt",
        episode=episode,
        balance=4,
        gait=4,
    )
    measured = copm(world.owner, world.person, on=datetime.date(2026, 2, 10))
    raw = make_token(world.owner, ["outcomes:read"])
    base = _base(world)

    def ids(query: str) -> list[int]:
        response = client.get(f"{base}{query}", **bearer(raw))
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids("") == [first.pk, mid.pk, measured.pk, last.pk]
    assert ids("?instrument=copm") == [measured.pk]
    assert ids("?time_point=slutt") == [last.pk]
    assert ids(f"?episode_id={episode.pk}") == [first.pk, last.pk]
    assert ids("?observed_from=2026-02-01&observed_to=2026-02-28") == [mid.pk, measured.pk]
    with django_assert_max_num_queries(20):
        page = client.get(f"{base}?instrument=sppb&limit=1&offset=2", **bearer(raw)).json()
    assert page["count"] == 3
    # The change is from the first SPPB, even though the page shows only the last.
    item = page["items"][0]
    assert (item["id"], item["total"], item["change_start"], item["change_previous"]) == (
        last.pk,
        10,
        4,
        3,
    )
    assert (item["judgement"], item["meaningful_change"]) == ("improved", 1)
    bad = client.get(f"{base}?instrument=x&episode_id=0", **bearer(raw))
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"instrument", "episode_id"}
    before = AuditEvent.all_objects.count()
    read = client.get(f"{base}{measured.pk}/", **bearer(raw)).json()
    events = list(AuditEvent.all_objects.order_by("seq")[before:])
    assert [(e.action, e.person_id) for e in events] == [("view", world.person.pk)]
    assert [(i["label"], i["points"], i["points_secondary"]) for i in read["items"]] == [
        ("Lage middag", 3, 2),
        ("Gå til butikken", 5, 4),
    ]


def test_refusals(world, client):
    observation = sppb(world.owner, world.person)
    base = _base(world)
    psfs = {**COMMON, "activities": [{"activity": f"A{n}", "score": n} for n in range(3)]}
    no_scope = make_token(world.owner, ["rehab:read", "rehab:write"])
    for url in (base, f"{base}{observation.pk}/"):
        response = client.get(url, **bearer(no_scope))
        assert (response.status_code, "outcomes:read" in response.json()["detail"]) == (403, True)
    read_only = make_token(world.owner, ["outcomes:read"])
    assert _post(client, f"{base}psfs/", psfs, read_only).status_code == 403
    outsider = make_token(world.outsider)
    for url in (base, f"{base}{observation.pk}/"):
        response = client.get(url, **bearer(outsider))
        assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    response = _post(client, f"{base}psfs/", psfs, outsider)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert Observation.all_objects.count() == 1
    assert AuditEvent.all_objects.filter(outcome="refused", person=world.person).count() == 3
    # Another person's episode and observation.
    raw = _writer(world)
    second = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, second)
    theirs = sppb(world.owner, second)
    assert client.get(f"{base}{theirs.pk}/", **bearer(raw)).status_code == 404
    response = _post(client, f"{base}psfs/", {**psfs, "episode_id": episode_for(second).pk}, raw)
    assert response.json()["errors"] == [
        {"field": "episode_id", "message": "Velg et av personens forløp."}
    ]
    # Another municipality.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    staff = factories.StaffFactory(municipality=elsewhere, user__username="annen")
    factories.give_role(staff, "tjenesteyter")
    factories.grant_relation(staff, stranger)
    foreign = sppb(staff, stranger)
    response = client.get(f"/api/persons/{stranger.pk}/observations/", **bearer(raw))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    response = _post(client, f"/api/persons/{stranger.pk}/observations/psfs/", psfs, raw)
    assert response.status_code == 403
    assert client.get(f"{base}{foreign.pk}/", **bearer(raw)).status_code == 404
    response = client.get(base, **bearer(make_token(staff)))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert Observation.all_objects.filter(person=stranger).count() == 1
