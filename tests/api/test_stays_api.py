"""Institution stays over the API: a person's stays, admission with the capacity rule,
discharge, the rehabilitation plan, and the bed board."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.institutions import services
from mestring.institutions.models import RehabilitationPlan, Stay
from mestring.tenancy.context import activate
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.institutions.helpers import actor_for, admit, make_unit

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
TODAY = timezone.localdate  # called per use: a run may pass midnight


def days_ago(n: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=n)


def new_rows(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def post(client, url: str, data: dict, raw: str, method: str = "post"):
    return getattr(client, method)(url, data=data, content_type="application/json", **bearer(raw))


@pytest.fixture
def stays(world):
    """world.person: an open rehabilitation stay and an earlier short-term stay."""
    unit = make_unit(world.municipality, name="Lokalmedisinsk senter", beds=2)
    other = make_unit(world.municipality, name="Korttidsavdelingen", beds=5)
    old = admit(world.owner, world.person, other, on=days_ago(40), stay_type="korttid")
    with activate(world.municipality):
        services.stay_discharge(
            actor=actor_for(world.owner), stay=old, discharged_on=days_ago(30), discharged_to="hjem"
        )
        current = admit(world.owner, world.person, unit, on=days_ago(10))
        services.rehab_plan_save(
            actor=actor_for(world.owner),
            stay=current,
            goals="Gå til postkassen\nLage middag selv",
            daily_training="Gåtrening",
            physio_minutes_per_day=45,
            responsible=world.owner,
        )
    return {"unit": unit, "other": other, "old": old, "current": current}


def test_list_and_read_with_care_relation_each_one_audit_row(world, client, stays):
    raw = make_token(world.owner, ["stays:read"])
    base = f"/api/persons/{world.person.pk}/stays/"
    before = AuditEvent.all_objects.count()
    page = client.get(base, **bearer(raw))
    assert page.status_code == 200, page.content
    rows = new_rows(before)
    assert len(rows) == 1 and rows[0].person_id == world.person.pk and rows[0].reason_code
    body = page.json()
    assert body["count"] == 2
    assert [i["id"] for i in body["items"]] == [stays["current"].pk, stays["old"].pk]
    before = AuditEvent.all_objects.count()
    one = client.get(f"{base}{stays['current'].pk}/", **bearer(raw))
    assert one.status_code == 200
    assert len(new_rows(before)) == 1
    stay = one.json()
    assert stay["unit_name"] == "Lokalmedisinsk senter"
    assert stay["is_open"] is True and stay["nights"] == 10
    assert stay["rehab_plan"]["goals"] == ["Gå til postkassen", "Lage middag selv"]
    assert stay["rehab_plan"]["physio_minutes_per_day"] == 45
    assert stay["rehab_plan"]["responsible_id"] == world.owner.pk
    old = client.get(f"{base}{stays['old'].pk}/", **bearer(raw)).json()
    assert (old["discharged_to"], old["nights"], old["rehab_plan"]) == ("hjem", 10, None)


def test_filters_and_pagination(world, client, stays):
    raw = make_token(world.owner, ["stays:read"])
    base = f"/api/persons/{world.person.pk}/stays/"

    def ids(query: str) -> list[int]:
        response = client.get(base + query, **bearer(raw))
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    current, old = stays["current"].pk, stays["old"].pk
    assert ids("?stay_type=korttid") == [old]
    assert ids(f"?unit_id={stays['unit'].pk}") == [current]
    assert ids(f"?active_on={days_ago(35)}") == [old]
    assert ids(f"?active_on={days_ago(30)}") == []  # discharged that day: no night
    assert ids(f"?active_on={days_ago(1)}") == [current]
    assert ids(f"?date_from={days_ago(20)}") == [current]
    assert ids(f"?date_to={days_ago(20)}") == [old]
    page = client.get(base + "?limit=1&offset=1", **bearer(raw)).json()
    assert (page["count"], page["limit"], page["offset"]) == (2, 1, 1)
    assert [i["id"] for i in page["items"]] == [old]
    bad = client.get(base + "?active_on=1999-12-31&stay_type=ferie", **bearer(raw))
    assert bad.status_code == 422
    messages = {e["field"]: e["message"] for e in bad.json()["errors"]}
    assert messages == {
        "active_on": "Velg en dato fra år 2000 til 2100.",
        "stay_type": "Velg en av de tillatte verdiene.",
    }


def test_refusals(world, client, stays):
    base = f"/api/persons/{world.person.pk}/stays/"
    urls = [base, f"{base}{stays['current'].pk}/"]
    outsider = make_token(world.outsider)
    for url in urls:
        response = client.get(url, **bearer(outsider))
        assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    no_scope = make_token(world.owner, ["plans:read"])
    for url in urls:
        assert client.get(url, **bearer(no_scope)).status_code == 403
    # Writes: no scope, no care relation.
    payload = {"unit_id": stays["other"].pk, "stay_type": "korttid", "admitted_on": str(TODAY())}
    read_only = make_token(world.owner, ["stays:read"])
    assert post(client, base, payload, read_only).status_code == 403
    assert post(client, base, payload, outsider).status_code == 403
    assert Stay.all_objects.count() == 2
    # Another municipality: their person is refused, their stay id is not found here.
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    staff = factories.StaffFactory(municipality=other, user__username="annen")
    factories.give_role(staff, "tjenesteyter")
    factories.grant_relation(staff, stranger)
    their_unit = make_unit(other, name="Deres senter")
    their_stay = admit(staff, stranger, their_unit, on=days_ago(3))
    mine = make_token(world.owner)
    response = client.get(f"/api/persons/{stranger.pk}/stays/", **bearer(mine))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert client.get(f"{base}{their_stay.pk}/", **bearer(mine)).status_code == 404
    theirs = make_token(staff)
    response = client.get(base, **bearer(theirs))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    # Their unit cannot be chosen for our person.
    payload = {"unit_id": their_unit.pk, "stay_type": "korttid", "admitted_on": str(TODAY())}
    response = post(client, base, {**payload}, mine)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "unit_id", "message": "Velg en enhet som har registrert sengetall."}
    ]


def test_admit_through_the_service_with_the_capacity_rule(world, client):
    unit = make_unit(world.municipality, name="Lite senter", beds=1)
    other_person = factories.PersonFactory(municipality=world.municipality)
    admit(world.owner, other_person, unit, on=days_ago(5))
    raw = make_token(world.owner, ["stays:write"])
    base = f"/api/persons/{world.person.pk}/stays/"
    payload = {"unit_id": unit.pk, "stay_type": "rehabilitering", "admitted_on": str(days_ago(2))}
    before = AuditEvent.all_objects.count()
    full = post(client, base, payload, raw)
    assert full.status_code == 409
    assert "ingen ledig seng" in full.json()["detail"]
    assert not Stay.all_objects.filter(person=world.person).exists()
    refused = new_rows(before)
    assert [(e.action, e.outcome) for e in refused] == [("view", "refused")]
    # Knowingly over capacity: admitted, flagged, and the unit gets its care relation.
    before = AuditEvent.all_objects.count()
    response = post(client, base, {**payload, "over_capacity": True, "note": "Haster"}, raw)
    assert response.status_code == 201, response.content
    body = response.json()
    stay = Stay.all_objects.get(pk=body["id"])
    assert (stay.over_capacity, stay.note, stay.admitted_by) == (True, "Haster", world.owner)
    assert body["over_capacity"] is True and body["is_open"] is True
    assert stay.care_relation == CareRelation.all_objects.get(person=world.person, unit=unit)
    assert stay.care_relation.valid_to is None
    actions = [e.action for e in new_rows(before)]
    assert actions.count("admit_over_capacity") == 1 and "view" not in actions
    # Already in a stay: refused.
    again = post(client, base, {**payload, "over_capacity": True}, raw)
    assert again.status_code == 409
    assert again.json()["detail"].startswith("Personen har allerede et opphold")


def test_admit_invalid_input_is_422_in_norwegian(world, client):
    unit = make_unit(world.municipality)
    raw = make_token(world.owner, ["stays:write"])
    base = f"/api/persons/{world.person.pk}/stays/"
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = post(
        client,
        base,
        {"unit_id": unit.pk, "stay_type": "ferie", "admitted_on": str(tomorrow), "x": 1},
        raw,
    )
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "stay_type": "Velg en av de tillatte verdiene.",
        "admitted_on": "Datoen kan ikke være fram i tid.",
        "x": "Feltet er ukjent.",
    }
    response = post(
        client,
        base,
        {"unit_id": unit.pk, "stay_type": "korttid", "admitted_on": str(TODAY()), "decision_id": 5},
        raw,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Velg et av personens vedtak."
    assert not Stay.all_objects.exists()


def test_discharge_and_rehab_plan_through_the_services(world, client, stays):
    raw = make_token(world.owner, ["stays:write"])
    current = stays["current"]
    base = f"/api/persons/{world.person.pk}/stays/{current.pk}/"
    # The rehabilitation plan is replaced.
    before = AuditEvent.all_objects.count()
    plan = {"goals": " Gå i trapper \n\n", "physio_minutes_per_day": 30}
    response = post(client, f"{base}rehab-plan/", plan, raw, method="put")
    assert response.status_code == 200, response.content
    saved = RehabilitationPlan.all_objects.get(stay=current)
    assert (saved.goals, saved.daily_training, saved.responsible) == ("Gå i trapper", "", None)
    assert [e.action for e in new_rows(before)] == ["update"]
    assert response.json()["rehab_plan"]["goals"] == ["Gå i trapper"]
    too_many = post(
        client, f"{base}rehab-plan/", {"goals": "x", "physio_minutes_per_day": 601}, raw, "put"
    )
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["message"] == "Tallet er for stort (høyst 600)."
    # A broken rule is 422 (RuleBroken); only the stay's state is a conflict (409).
    blank = post(client, f"{base}rehab-plan/", {"goals": "  "}, raw, method="put")
    assert blank.status_code == 422
    assert blank.json()["detail"] == "Skriv minst ett mål, med personens egne ord."
    old_plan = f"/api/persons/{world.person.pk}/stays/{stays['old'].pk}/rehab-plan/"
    not_rehab = post(client, old_plan, {"goals": "Mål"}, raw, method="put")
    assert not_rehab.status_code == 409
    # Discharge.
    too_early = post(
        client,
        f"{base}discharge/",
        {"discharged_on": str(days_ago(11)), "discharged_to": "hjem"},
        raw,
    )
    assert too_early.status_code == 422
    assert too_early.json()["detail"].startswith("Utskrivningsdatoen kan ikke være før")
    before = AuditEvent.all_objects.count()
    payload = {"discharged_on": str(days_ago(1)), "discharged_to": "sykehus"}
    response = post(client, f"{base}discharge/", payload, raw)
    assert response.status_code == 200, response.content
    current.refresh_from_db()
    assert (current.discharged_on, current.discharged_to) == (days_ago(1), "sykehus")
    assert response.json()["is_open"] is False and response.json()["nights"] == 9
    assert [e.action for e in new_rows(before)].count("discharge") == 1
    assert current.care_relation.valid_to is not None  # the unit's access ends
    again = post(client, f"{base}discharge/", payload, raw)
    assert (again.status_code, again.json()["detail"]) == (409, "Oppholdet er allerede avsluttet.")
    # Another person's stay through our person: not found.
    someone = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, someone)
    url = f"/api/persons/{someone.pk}/stays/{stays['old'].pk}/discharge/"
    assert post(client, url, payload, raw).status_code == 404


def test_bed_board_needs_the_permission_and_shows_the_web_figures(world, client, stays):
    # Full unit with one more admitted over capacity.
    small = make_unit(world.municipality, name="Avdeling A", beds=1)
    first = factories.PersonFactory(
        municipality=world.municipality, family_name="Aas", given_name="Per"
    )
    second = factories.PersonFactory(
        municipality=world.municipality, family_name="Berg", given_name="Kari"
    )
    admit(world.owner, first, small, on=days_ago(3), stay_type="korttid")
    admit(world.owner, second, small, on=days_ago(1), stay_type="avlastning", over_capacity=True)
    other = factories.make_municipality("9002", "Annenkommune")
    make_unit(other, name="Deres senter")
    # The coordinator lacks the permission to register stays: refused, as on the web.
    assert client.get("/api/stays/bed-board/", **bearer(make_token(world.owner))).status_code == 403
    no_scope = make_token(world.team_member, ["stays:write"])
    assert client.get("/api/stays/bed-board/", **bearer(no_scope)).status_code == 403
    raw = make_token(world.team_member, ["stays:read"])
    world.team_member.units.add(small)  # names are given to those who work in the unit
    before = AuditEvent.all_objects.count()
    response = client.get("/api/stays/bed-board/", **bearer(raw))
    assert response.status_code == 200, response.content
    rows = new_rows(before)
    # One row per person named, in that person's access log (M5).
    assert {(e.object_type, e.outcome) for e in rows} == {("bed_board", "allowed")}
    assert {first.pk, second.pk} <= {e.person_id for e in rows}
    board = response.json()
    assert board["day"] == str(TODAY())
    units = {u["unit_name"]: u for u in board["units"]}
    assert set(units) == {"Avdeling A", "Korttidsavdelingen", "Lokalmedisinsk senter"}
    a = units["Avdeling A"]
    assert (a["beds"], a["occupied"], a["free"], a["over"]) == (1, 2, 0, 1)
    assert [(s["family_name"], s["stay_type"], s["days_so_far"]) for s in a["stays"]] == [
        ("Aas", "korttid", 3),
        ("Berg", "avlastning", 1),
    ]
    lms = units["Lokalmedisinsk senter"]
    assert (lms["occupied"], lms["free"]) == (1, 1)
    assert lms["stays"][0]["stay_id"] == stays["current"].pk
    # On an earlier day the old stay is there, and the others are not yet.
    earlier = client.get(f"/api/stays/bed-board/?day={days_ago(35)}", **bearer(raw)).json()
    occupied = {u["unit_name"]: u["occupied"] for u in earlier["units"]}
    assert occupied == {"Avdeling A": 0, "Korttidsavdelingen": 1, "Lokalmedisinsk senter": 0}
    bad = client.get("/api/stays/bed-board/?day=31.12.2025", **bearer(raw))
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "day", "message": "Skriv datoen som åååå-mm-dd."}]
