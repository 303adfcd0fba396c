"""Correcting and deleting an outcome measure over the API, as the web's
«Rett målingen» and «Slett»: the same recorders in outcomes.services, in place."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.assessments.models import FunctionVariable
from mestring.outcomes.models import Observation, ObservationItem
from mestring.tenancy.context import activate
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.assessments.helpers import actor_for
from tests.outcomes.helpers import copm, episode_for, sppb

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
JSON = "application/json"
COMMON = {"observed_on": "2026-03-02", "time_point": "start"}
PSFS_ROWS = [{"activity": f"Aktivitet {n}", "score": n} for n in (2, 4, 7)]


def _url(person, observation: Observation, instrument: str | None = None) -> str:
    url = f"/api/persons/{person.pk}/observations/{observation.pk}/"
    return f"{url}{instrument}/" if instrument else url


def _put(client, url: str, data: dict, raw: str):
    return client.put(url, data=data, content_type=JSON, **bearer(raw))


def _writer(world) -> str:
    return make_token(world.owner, ["outcomes:read", "outcomes:write"])


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def test_sppb_correction_replaces_the_items_in_place(world, client):
    observation = sppb(world.caseworker, world.person, balance=2, gait=2, chair=2)
    episode = episode_for(world.person)
    raw = _writer(world)
    before = AuditEvent.all_objects.count()
    payload = {
        **COMMON,
        "observed_on": "2026-03-03",
        "time_point": "midt",
        "episode_id": episode.pk,
        "note": "Rettet tastefeil",
        "side_by_side_s": 10,
        "semi_tandem_s": 10,
        "tandem_s": 5.5,  # 3 points
        "gait_s": 5.0,  # 3 points
        "chair_s": 12.3,  # 3 points
    }
    response = _put(client, _url(world.person, observation, "sppb"), payload, raw)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["total"], body["time_point"], body["episode_id"]) == (
        observation.pk,
        9,
        "midt",
        episode.pk,
    )
    stored = Observation.all_objects.get(pk=observation.pk)
    assert (stored.total, stored.observed_on, stored.note) == (
        Decimal(9),
        datetime.date(2026, 3, 3),
        "Rettet tastefeil",
    )
    # Corrected, not recorded again: same row, same recorder, items replaced.
    assert Observation.all_objects.count() == 1
    assert stored.recorded_by_id == world.caseworker.pk
    codes = set(
        ObservationItem.all_objects.filter(observation=stored).values_list("code", flat=True)
    )
    assert codes == {
        "balance_side_by_side",
        "balance_semi_tandem",
        "balance_tandem",
        "balance",
        "gait",
        "chair",
    }
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("update", "observation", str(observation.pk), world.person.pk)
    ]


def test_copm_psfs_and_function_corrections(world, client):
    raw = _writer(world)
    measured = copm(world.owner, world.person)
    activities = [{"activity": "Lage middag", "performance": 6, "satisfaction": 7}]
    response = _put(
        client, _url(world.person, measured, "copm"), {**COMMON, "activities": activities}, raw
    )
    assert response.status_code == 200, response.content
    assert (response.json()["total"], response.json()["total_secondary"]) == (6, 7)
    assert [i["label"] for i in response.json()["items"]] == ["Lage middag"]
    assert ObservationItem.all_objects.filter(observation=measured).count() == 1

    with activate(world.municipality):
        from mestring.outcomes import services

        psfs = services.psfs_record(
            actor=actor_for(world.owner),
            person=world.person,
            observed_on=datetime.date(2026, 3, 2),
            time_point="start",
            activities=[("A", 1), ("B", 1), ("C", 1)],
        )
        variables = list(FunctionVariable.objects.filter(is_active=True)[:2])
        function = services.function_record(
            actor=actor_for(world.owner),
            person=world.person,
            observed_on=datetime.date(2026, 3, 2),
            time_point="start",
            scores={variables[0].code: 4},
        )
    response = _put(
        client, _url(world.person, psfs, "psfs"), {**COMMON, "activities": PSFS_ROWS}, raw
    )
    assert response.status_code == 200, response.content
    assert response.json()["total"] == 4.33
    scores = {variables[0].code: 2, variables[1].code: 3}
    response = _put(
        client, _url(world.person, function, "funksjon"), {**COMMON, "scores": scores}, raw
    )
    assert response.status_code == 200, response.content
    assert (response.json()["total"], len(response.json()["items"])) == (2.5, 2)
    assert Observation.all_objects.count() == 3


def test_correction_checks_are_the_recording_checks(world, client):
    observation = sppb(world.owner, world.person)
    measured = copm(world.owner, world.person)
    raw = _writer(world)
    url = _url(world.person, observation, "sppb")
    # Both time and points for a part: the scoring rule's message.
    both = {**COMMON, "balance": 2, "side_by_side_s": 10, "gait": 1, "chair": 1}
    response = _put(client, url, both, raw)
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Skriv enten tider eller poeng for balanse, ikke begge.",
    )
    response = _put(client, url, {**COMMON, "balance": 5, "gait": 1, "chair": 1}, raw)
    assert response.json()["errors"] == [
        {"field": "balance", "message": "Tallet er for stort (høyst 4)."}
    ]
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    # A whole measurement, so the date is what the service refuses.
    dated = {**COMMON, "observed_on": future, "balance": 1, "gait": 1, "chair": 1}
    response = _put(client, url, dated, raw)
    assert response.json()["errors"] == [
        {"field": "observed_on", "message": "Datoen for målingen kan ikke være fram i tid."}
    ]
    second = factories.PersonFactory(municipality=world.municipality)
    response = _put(
        client, url, {**COMMON, "balance": 1, "episode_id": episode_for(second).pk}, raw
    )
    assert response.json()["errors"] == [
        {"field": "episode_id", "message": "Velg et av personens forløp."}
    ]
    response = _put(client, url, {**COMMON, "balance": 1, "shoe": 1}, raw)
    assert response.json()["errors"] == [{"field": "shoe", "message": "Feltet er ukjent."}]
    response = _put(client, _url(world.person, measured, "copm"), {**COMMON, "activities": []}, raw)
    assert response.json()["errors"] == [
        {"field": "activities", "message": "COPM må ha fra én til fem aktiviteter."}
    ]
    # Another instrument than the one recorded: the service's rule, 422, nothing changed.
    response = _put(
        client, _url(world.person, measured, "psfs"), {**COMMON, "activities": PSFS_ROWS}, raw
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Målingen kan bare rettes med samme instrument."
    assert Observation.all_objects.get(pk=observation.pk).total == Decimal(6)
    assert Observation.all_objects.get(pk=measured.pk).instrument == "copm"
    assert ObservationItem.all_objects.filter(observation=measured).count() == 2


def test_delete_through_the_service(world, client):
    kept = sppb(world.owner, world.person, on=datetime.date(2026, 1, 5))
    mistake = sppb(world.owner, world.person, on=datetime.date(2026, 2, 5), balance=4)
    raw = _writer(world)
    before = AuditEvent.all_objects.count()
    response = client.delete(_url(world.person, mistake), **bearer(raw))
    assert response.status_code == 204, response.content
    assert response.content == b""
    assert list(Observation.all_objects.values_list("pk", flat=True)) == [kept.pk]
    assert not ObservationItem.all_objects.filter(observation_id=mistake.pk).exists()
    assert [(e.action, e.object_type, e.object_id, e.person_id) for e in _events_since(before)] == [
        ("delete", "observation", str(mistake.pk), world.person.pk)
    ]
    # Gone: reading, correcting or deleting it again is a 404.
    assert client.get(_url(world.person, mistake), **bearer(raw)).status_code == 404
    assert client.delete(_url(world.person, mistake), **bearer(raw)).status_code == 404
    response = _put(client, _url(world.person, mistake, "sppb"), {**COMMON, "balance": 1}, raw)
    assert response.status_code == 404


def test_refusals(world, client):
    observation = sppb(world.owner, world.person)
    put_url = _url(world.person, observation, "sppb")
    payload = {**COMMON, "balance": 4, "gait": 4, "chair": 4}
    read_only = make_token(world.owner, ["outcomes:read"])
    response = _put(client, put_url, payload, read_only)
    assert (response.status_code, "outcomes:write" in response.json()["detail"]) == (403, True)
    response = client.delete(_url(world.person, observation), **bearer(read_only))
    assert response.status_code == 403
    outsider = make_token(world.outsider)
    before = AuditEvent.all_objects.count()
    response = _put(client, put_url, payload, outsider)
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    response = client.delete(_url(world.person, observation), **bearer(outsider))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert [(e.action, e.outcome, e.person_id) for e in _events_since(before)] == [
        ("update", "refused", world.person.pk),
        ("delete", "refused", world.person.pk),
    ]
    # Another person's observation under this person: not found.
    raw = _writer(world)
    second = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, second)
    theirs = sppb(world.owner, second)
    assert _put(client, _url(world.person, theirs, "sppb"), payload, raw).status_code == 404
    assert client.delete(_url(world.person, theirs), **bearer(raw)).status_code == 404
    # Another municipality: its person is refused, its observation not found here.
    elsewhere = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    staff = factories.StaffFactory(municipality=elsewhere, user__username="annen")
    factories.give_role(staff, "tjenesteyter")
    factories.grant_relation(staff, stranger)
    foreign = sppb(staff, stranger)
    response = client.delete(_url(stranger, foreign), **bearer(raw))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert _put(client, _url(stranger, foreign, "sppb"), payload, raw).status_code == 403
    assert client.delete(_url(world.person, foreign), **bearer(raw)).status_code == 404
    assert _put(client, _url(world.person, foreign, "sppb"), payload, raw).status_code == 404
    # Nothing was changed or deleted.
    assert Observation.all_objects.count() == 3
    assert Observation.all_objects.get(pk=observation.pk).total == Decimal(6)
