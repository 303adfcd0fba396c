"""The API for responsibility groups, members, meetings and follow-up items."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent, Block, CareRelation
from mestring.teams.models import (
    Attendance,
    FollowUpItem,
    GroupMember,
    Meeting,
    ResponsibilityGroup,
)
from mestring.tenancy.context import activate
from tests import factories
from tests.api.helpers import bearer, make_token
from tests.teams.helpers import (
    actor_for,
    add_provider,
    make_coordinator,
    make_group,
    make_meeting,
    make_provider,
    make_relative,
)

pytestmark = pytest.mark.django_db
REFUSED = "Du har ikke tilgang til denne personen, eller personen finnes ikke."
OSLO = ZoneInfo("Europe/Oslo")
JSON = "application/json"


def _new_events(before: int) -> list[AuditEvent]:
    return list(AuditEvent.all_objects.order_by("seq")[before:])


def _setup(world):
    """A group chaired by the coordinator (world.owner), a provider, a held meeting with
    a follow-up item for the provider, and a planned meeting next week."""
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    provider = make_provider(world)
    member = add_provider(world, group, provider)
    held = make_meeting(world, group)
    from mestring.teams import services

    with activate(world.municipality):
        services.meeting_record(
            actor=actor_for(world.owner),
            meeting=held,
            attendance={member.pk: True},
            minutes="Gikk gjennom målene.",
        )
        item = services.follow_up_add(
            actor=actor_for(world.owner),
            meeting=held,
            what="Søke om rullator",
            responsible_member=member,
            due_on=timezone.localdate() + datetime.timedelta(days=7),
        )
    planned = make_meeting(world, group, timezone.now() + datetime.timedelta(days=7))
    return SimpleNamespace(
        group=group, provider=provider, member=member, held=held, planned=planned, item=item
    )


def _read_urls(world, group, held) -> list[str]:
    base = f"/api/persons/{world.person.pk}"
    return [
        f"{base}/groups/",
        f"{base}/groups/{group.pk}/",
        f"{base}/meetings/",
        f"{base}/meetings/{held.pk}/",
        f"{base}/follow-ups/",
    ]


def _write_calls(world, group, member, held, item) -> list[tuple[str, str, dict]]:
    base = f"/api/persons/{world.person.pk}"
    meeting = {"day": "2026-03-10", "start_time": "09:00", "end_time": "10:00", "place": "Rom 1"}
    return [
        ("post", f"{base}/groups/", {"started_on": "2026-01-05"}),
        ("post", f"{base}/groups/{group.pk}/end/", {"ended_on": "2026-02-01"}),
        (
            "post",
            f"{base}/groups/{group.pk}/members/",
            {"kind": "ekstern", "name": "Lege", "role": "Fastlege", "started_on": "2026-01-06"},
        ),
        ("post", f"{base}/groups/{group.pk}/members/{member.pk}/end/", {"ended_on": "2026-02-01"}),
        ("post", f"{base}/meetings/", meeting),
        ("put", f"{base}/meetings/{held.pk}/", meeting),
        ("post", f"{base}/meetings/{held.pk}/cancel/", {}),
        ("post", f"{base}/meetings/{held.pk}/minutes/", {"minutes": "Referat"}),
        (
            "post",
            f"{base}/meetings/{held.pk}/follow-ups/",
            {"what": "Ring", "responsible_member_id": member.pk, "due_on": "2099-01-01"},
        ),
        ("post", f"{base}/follow-ups/{item.pk}/done/", {}),
    ]


def _call(client, method: str, url: str, data: dict, raw: str):
    return getattr(client, method)(url, data=data, content_type=JSON, **bearer(raw))


# --- Reads


def test_reads_with_scope_and_care_relation_write_one_audit_row(world, client):
    s = _setup(world)
    raw = make_token(world.owner, ["teams:read"])
    for url in _read_urls(world, s.group, s.held):
        before = AuditEvent.all_objects.count()
        response = client.get(url, **bearer(raw))
        assert response.status_code == 200, (url, response.content)
        events = _new_events(before)
        assert len(events) == 1, url
        assert (events[0].person_id, events[0].outcome) == (world.person.pk, "allowed")
        assert events[0].reason_code
    for url in ("/api/meetings/mine/", "/api/follow-ups/mine/"):
        before = AuditEvent.all_objects.count()
        assert client.get(url, **bearer(raw)).status_code == 200
        assert len(_new_events(before)) == 1


def test_group_shows_members_with_the_coordinator_marked(world, client):
    s = _setup(world)
    raw = make_token(world.owner, ["teams:read"])
    body = client.get(f"/api/persons/{world.person.pk}/groups/{s.group.pk}/", **bearer(raw)).json()
    by_kind = {m["kind"]: m for m in body["members"]}
    chair = next(m for m in body["members"] if m["is_chair"])
    assert chair["staff_id"] == world.owner.pk and chair["is_coordinator"] is True
    assert body["chair_id"] == chair["id"] and body["chair_is_coordinator"] is True
    assert by_kind["personen"]["name"] == world.person.full_name
    provider_row = next(m for m in body["members"] if m["id"] == s.member.pk)
    assert (provider_row["role"], provider_row["is_coordinator"]) == ("Fysioterapeut", False)
    assert body["is_active"] is True and len(body["members"]) == 3


def test_meeting_read_has_attendance_minutes_and_follow_ups(world, client):
    s = _setup(world)
    raw = make_token(world.owner, ["teams:read"])
    body = client.get(f"/api/persons/{world.person.pk}/meetings/{s.held.pk}/", **bearer(raw)).json()
    assert body["status"] == "avholdt" and body["minutes"] == "Gikk gjennom målene."
    attended = {row["member_id"]: row["attended"] for row in body["attendances"]}
    assert attended[s.member.pk] is True
    assert sum(1 for value in attended.values() if value is False) == 2
    assert [(f["id"], f["what"], f["responsible_member_id"]) for f in body["follow_ups"]] == [
        (s.item.pk, "Søke om rullator", s.member.pk)
    ]


def test_meeting_filters_and_pagination(world, client):
    group = make_group(world)
    starts = [datetime.datetime(2026, 3, day, 10, 0, tzinfo=OSLO) for day in range(1, 13)]
    for index, start in enumerate(starts):
        Meeting.all_objects.create(
            municipality=world.municipality,
            group=group,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            place="Rådhuset",
            status="avlyst" if index % 3 == 0 else "planlagt",
        )
    raw = make_token(world.owner, ["teams:read"])
    url = f"/api/persons/{world.person.pk}/meetings/"
    page = client.get(f"{url}?from=2026-03-03&to=2026-03-10&status=planlagt", **bearer(raw))
    expected = [
        start
        for index, start in enumerate(starts)
        if datetime.date(2026, 3, 3) <= start.date() <= datetime.date(2026, 3, 10) and index % 3
    ]
    body = page.json()
    assert body["count"] == len(expected) == 5
    assert [datetime.datetime.fromisoformat(m["starts_at"]) for m in body["items"]] == expected
    paged = client.get(f"{url}?limit=5&offset=10", **bearer(raw)).json()
    assert (paged["count"], len(paged["items"])) == (12, 2)
    assert paged["items"][0]["starts_at"].startswith("2026-03-11")


def test_follow_up_list_done_filter(world, client):
    s = _setup(world)
    FollowUpItem.all_objects.create(
        municipality=world.municipality,
        meeting=s.held,
        what="Ferdig",
        responsible_member=s.member,
        due_on=datetime.date(2026, 1, 1),
        done_on=datetime.date(2026, 1, 2),
    )
    raw = make_token(world.owner, ["teams:read"])
    url = f"/api/persons/{world.person.pk}/follow-ups/"
    open_items = client.get(f"{url}?done=false", **bearer(raw)).json()
    done_items = client.get(f"{url}?done=true", **bearer(raw)).json()
    everything = client.get(url, **bearer(raw)).json()
    assert [i["what"] for i in open_items["items"]] == ["Søke om rullator"]
    assert [i["what"] for i in done_items["items"]] == ["Ferdig"]
    assert everything["count"] == 2


def test_list_queries_are_fixed(world, client, django_assert_max_num_queries):
    s = _setup(world)
    for index in range(10):
        add_provider(world, s.group, make_provider(world, f"fysio{index}"))
        make_meeting(world, s.group, timezone.now() + datetime.timedelta(days=10 + index))
    raw = make_token(world.owner, ["teams:read"])
    base = f"/api/persons/{world.person.pk}"
    for url in (f"{base}/groups/", f"{base}/meetings/", "/api/meetings/mine/"):
        with django_assert_max_num_queries(20):
            assert client.get(url, **bearer(raw)).status_code == 200


# --- Refusals


def test_refused_without_the_scope(world, client):
    s = _setup(world)
    other_scope = make_token(world.owner, ["plans:read", "teams:write"])
    for url in [
        *_read_urls(world, s.group, s.held),
        "/api/meetings/mine/",
        "/api/follow-ups/mine/",
    ]:
        response = client.get(url, **bearer(other_scope))
        assert response.status_code == 403, url
        assert "teams:read" in response.json()["detail"]
    read_only = make_token(world.owner, ["teams:read"])
    for method, url, data in _write_calls(world, s.group, s.member, s.held, s.item):
        response = _call(client, method, url, data, read_only)
        assert response.status_code == 403, url
        assert "teams:write" in response.json()["detail"]
    assert Meeting.all_objects.get(pk=s.held.pk).status == "avholdt"


def test_outsider_is_refused_and_nothing_changes(world, client):
    s = _setup(world)
    raw = make_token(world.outsider)
    for url in _read_urls(world, s.group, s.held):
        response = client.get(url, **bearer(raw))
        assert (response.status_code, response.json()["detail"]) == (403, REFUSED), url
    calls = _write_calls(world, s.group, s.member, s.held, s.item)
    for method, url, data in calls:
        response = _call(client, method, url, data, raw)
        assert (response.status_code, response.json()["detail"]) == (403, REFUSED), url
    refused = AuditEvent.all_objects.filter(outcome="refused", person=world.person)
    assert refused.count() == 5 + len(calls)
    assert Meeting.all_objects.filter(group__person=world.person).count() == 2
    assert FollowUpItem.all_objects.get(pk=s.item.pk).done_on is None
    # Not on the outsider's own lists either.
    assert client.get("/api/meetings/mine/", **bearer(raw)).json()["count"] == 0


def test_another_municipality(world, client):
    other = factories.make_municipality("9002", "Annenkommune")
    stranger = factories.PersonFactory(municipality=other)
    staff = factories.StaffFactory(municipality=other, user__username="annen")
    factories.give_role(staff, "koordinator")
    factories.grant_relation(staff, stranger)
    their_group = ResponsibilityGroup.all_objects.create(
        municipality=other, person=stranger, started_on=datetime.date(2026, 1, 5)
    )
    start = timezone.now() + datetime.timedelta(days=2)
    their_meeting = Meeting.all_objects.create(
        municipality=other,
        group=their_group,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        place="Der borte",
    )
    _setup(world)
    mine = make_token(world.owner)
    response = client.get(f"/api/persons/{stranger.pk}/groups/", **bearer(mine))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    # Their ids under our person: not found.
    base = f"/api/persons/{world.person.pk}"
    assert client.get(f"{base}/groups/{their_group.pk}/", **bearer(mine)).status_code == 404
    assert client.get(f"{base}/meetings/{their_meeting.pk}/", **bearer(mine)).status_code == 404
    cancel = client.post(f"{base}/meetings/{their_meeting.pk}/cancel/", **bearer(mine))
    assert cancel.status_code == 404
    assert Meeting.all_objects.get(pk=their_meeting.pk).status == "planlagt"
    theirs = make_token(staff)
    response = client.get(f"{base}/groups/", **bearer(theirs))
    assert (response.status_code, response.json()["detail"]) == (403, REFUSED)
    assert all(
        m["person_id"] == world.person.pk
        for m in client.get("/api/meetings/mine/", **bearer(mine)).json()["items"]
    )


def test_object_of_another_person_is_404(world, client):
    s = _setup(world)
    second = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, second)
    raw = make_token(world.owner)
    base = f"/api/persons/{second.pk}"
    assert client.get(f"{base}/meetings/{s.held.pk}/", **bearer(raw)).status_code == 404
    assert client.get(f"{base}/groups/{s.group.pk}/", **bearer(raw)).status_code == 404
    done = client.post(
        f"{base}/follow-ups/{s.item.pk}/done/", data={}, content_type=JSON, **bearer(raw)
    )
    assert done.status_code == 404
    assert FollowUpItem.all_objects.get(pk=s.item.pk).done_on is None


# --- Writes through the services


def test_group_create_and_end(world, client):
    make_coordinator(world.person, world.owner)
    raw = make_token(world.owner, ["teams:write"])
    url = f"/api/persons/{world.person.pk}/groups/"
    before = AuditEvent.all_objects.count()
    response = client.post(url, data={"started_on": "2026-01-05"}, content_type=JSON, **bearer(raw))
    assert response.status_code == 201, response.content
    body = response.json()
    group = ResponsibilityGroup.all_objects.get(pk=body["id"])
    assert group.person_id == world.person.pk and group.ended_on is None
    assert {m["kind"] for m in body["members"]} == {"personen", "intern"}
    events = _new_events(before)
    assert [e.action for e in events if e.object_type == "responsibility_group"] == ["create"]
    assert not [e for e in events if e.action == "view"]
    again = client.post(url, data={"started_on": "2026-01-05"}, content_type=JSON, **bearer(raw))
    assert again.status_code == 409
    assert again.json()["detail"] == "Personen har allerede en aktiv ansvarsgruppe."
    early = client.post(
        f"{url}{group.pk}/end/", data={"ended_on": "2025-01-01"}, content_type=JSON, **bearer(raw)
    )
    # The service's error class gives the status: a broken rule 422, the state 409.
    assert early.status_code == 422
    assert early.json()["detail"] == "Sluttdatoen kan ikke være før gruppen ble opprettet."
    ended = client.post(
        f"{url}{group.pk}/end/", data={"ended_on": "2026-02-01"}, content_type=JSON, **bearer(raw)
    )
    assert ended.status_code == 200, ended.content
    group.refresh_from_db()
    assert group.ended_on == datetime.date(2026, 2, 1)
    assert all(m["ended_on"] for m in ended.json()["members"])
    assert AuditEvent.all_objects.filter(
        action="end", object_type="responsibility_group", object_id=str(group.pk)
    ).exists()


def test_group_end_refused_with_planned_meetings(world, client):
    s = _setup(world)
    raw = make_token(world.owner, ["teams:write"])
    url = f"/api/persons/{world.person.pk}/groups/{s.group.pk}/end/"
    response = client.post(url, data={"ended_on": "2026-02-01"}, content_type=JSON, **bearer(raw))
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Gruppen har planlagte møter.")
    assert ResponsibilityGroup.all_objects.get(pk=s.group.pk).ended_on is None


def test_member_add_gives_access_and_member_end_takes_it(world, client):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    provider = make_provider(world, "ergo")
    raw = make_token(world.owner, ["teams:write", "teams:read"])
    provider_token = make_token(provider, ["teams:read"])
    groups_url = f"/api/persons/{world.person.pk}/groups/"
    assert client.get(groups_url, **bearer(provider_token)).status_code == 403
    url = f"{groups_url}{group.pk}/members/"
    payload = {
        "kind": "intern",
        "staff_id": provider.pk,
        "role": "Ergoterapeut",
        "started_on": "2026-01-06",
    }
    before = AuditEvent.all_objects.count()
    response = client.post(url, data=payload, content_type=JSON, **bearer(raw))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["staff_id"], body["line"], body["is_chair"]) == (provider.pk, "forste", False)
    events = _new_events(before)
    assert [e.action for e in events if e.object_type == "group_member"] == ["add"]
    assert client.get(groups_url, **bearer(provider_token)).status_code == 200
    again = client.post(url, data=payload, content_type=JSON, **bearer(raw))
    assert again.status_code == 409
    assert again.json()["detail"] == "Den ansatte er allerede medlem av gruppen."
    end = client.post(
        f"{url}{body['id']}/end/", data={"ended_on": "2026-02-01"}, content_type=JSON, **bearer(raw)
    )
    assert end.status_code == 200, end.content
    assert end.json()["ended_on"] == "2026-02-01"
    assert GroupMember.all_objects.get(pk=body["id"]).ended_on == datetime.date(2026, 2, 1)
    assert client.get(groups_url, **bearer(provider_token)).status_code == 403
    person_row = GroupMember.all_objects.get(group=group, kind="personen")
    refused = client.post(
        f"{url}{person_row.pk}/end/",
        data={"ended_on": "2026-02-01"},
        content_type=JSON,
        **bearer(raw),
    )
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Personen selv kan ikke tas ut av gruppen."


def test_member_add_new_chair_and_relative(world, client):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    provider = make_provider(world, "sykepleier")
    relative = make_relative(world.person)
    raw = make_token(world.owner, ["teams:write"])
    url = f"/api/persons/{world.person.pk}/groups/{group.pk}/members/"
    chair = client.post(
        url,
        data={
            "kind": "intern",
            "staff_id": provider.pk,
            "role": "Leder",
            "started_on": "2026-01-06",
            "is_chair": True,
        },
        content_type=JSON,
        **bearer(raw),
    )
    assert chair.status_code == 201, chair.content
    assert (chair.json()["is_chair"], chair.json()["is_coordinator"]) == (True, False)
    chairs = GroupMember.all_objects.filter(group=group, is_chair=True, ended_on__isnull=True)
    assert [m.staff_id for m in chairs] == [provider.pk]
    daughter = client.post(
        url,
        data={
            "kind": "parorende",
            "relative_id": relative.pk,
            "role": "Datter",
            "started_on": "2026-01-06",
        },
        content_type=JSON,
        **bearer(raw),
    )
    assert daughter.status_code == 201, daughter.content
    assert daughter.json()["name"] == "Rita Datter"


def test_member_add_invalid_input_is_422_in_norwegian(world, client):
    group = make_group(world)
    other_person = factories.PersonFactory(municipality=world.municipality)
    strange_relative = make_relative(other_person, "Annen Pårørende")
    raw = make_token(world.owner, ["teams:write"])
    url = f"/api/persons/{world.person.pk}/groups/{group.pk}/members/"
    missing = client.post(
        url,
        data={"kind": "intern", "role": "Fysio", "started_on": "2026-01-06"},
        content_type=JSON,
        **bearer(raw),
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"field": "staff_id", "message": "Velg en ansatt eller en enhet."}
    ]
    foreign = client.post(
        url,
        data={
            "kind": "parorende",
            "relative_id": strange_relative.pk,
            "role": "Sønn",
            "started_on": "2026-01-06",
        },
        content_type=JSON,
        **bearer(raw),
    )
    assert foreign.status_code == 422
    assert {e["field"] for e in foreign.json()["errors"]} == {"relative_id"}
    bad = client.post(
        url,
        data={"kind": "personen", "role": "", "started_on": "1800-01-01", "ukjent": 1},
        content_type=JSON,
        **bearer(raw),
    )
    assert bad.status_code == 422
    fields = {e["field"]: e["message"] for e in bad.json()["errors"]}
    assert fields["kind"] == "Velg en av de tillatte verdiene."
    assert fields["started_on"] == "Datoen må være mellom 01.01.1900 og 31.12.2200."
    assert fields["ukjent"] == "Feltet er ukjent."
    assert GroupMember.all_objects.filter(group=group).count() == 1


def test_meeting_schedule_change_cancel(world, client):
    group = make_group(world)
    provider = make_provider(world)
    add_provider(world, group, provider)
    raw = make_token(world.owner, ["teams:write"])
    url = f"/api/persons/{world.person.pk}/meetings/"
    payload = {
        "day": "2026-03-10",
        "start_time": "09:30",
        "end_time": "11:00",
        "place": "Rådhuset, møterom 2",
        "agenda": "Mål",
    }
    before = AuditEvent.all_objects.count()
    response = client.post(url, data=payload, content_type=JSON, **bearer(raw))
    assert response.status_code == 201, response.content
    body = response.json()
    meeting = Meeting.all_objects.get(pk=body["id"])
    assert meeting.starts_at == datetime.datetime(2026, 3, 10, 9, 30, tzinfo=OSLO)
    assert meeting.status == "planlagt" and len(body["attendances"]) == 2
    assert [e.action for e in _new_events(before) if e.object_type == "meeting"] == ["schedule"]
    changed = client.put(
        f"{url}{meeting.pk}/",
        data={**payload, "start_time": "12:00", "end_time": "13.15"},
        content_type=JSON,
        **bearer(raw),
    )
    assert changed.status_code == 200, changed.content
    meeting.refresh_from_db()
    assert meeting.ends_at == datetime.datetime(2026, 3, 10, 13, 15, tzinfo=OSLO)
    assert meeting.sequence == 1 and changed.json()["sequence"] == 1
    cancelled = client.post(f"{url}{meeting.pk}/cancel/", **bearer(raw))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "avlyst"
    again = client.post(f"{url}{meeting.pk}/cancel/", **bearer(raw))
    assert again.status_code == 409
    assert again.json()["detail"] == "Bare planlagte møter kan avlyses."
    late = client.put(f"{url}{meeting.pk}/", data=payload, content_type=JSON, **bearer(raw))
    assert late.status_code == 409 and late.json()["detail"] == "Bare planlagte møter kan endres."
    assert (
        AuditEvent.all_objects.filter(
            object_type="meeting", object_id=str(meeting.pk), action="cancel"
        ).count()
        == 1
    )


def test_meeting_input_errors(world, client):
    raw = make_token(world.owner, ["teams:write"])
    url = f"/api/persons/{world.person.pk}/meetings/"
    payload = {"day": "2026-03-10", "start_time": "09:30", "end_time": "11:00", "place": "Rom"}
    no_group = client.post(url, data=payload, content_type=JSON, **bearer(raw))
    assert no_group.status_code == 409
    assert (
        no_group.json()["detail"]
        == "Personen har ingen aktiv ansvarsgruppe. Opprett gruppen først."
    )
    make_group(world)
    cases = {
        "place": ({"place": "Hjemme hos Gunnhild"}, "Skriv det uten personens navn."),
        "start_time": ({"start_time": "25:00"}, "Klokkeslettet må skrives som tt:mm"),
        "end_time": ({"end_time": "09:00"}, "Møtet må slutte etter at det starter."),
    }
    for field, (change, message) in cases.items():
        response = client.post(url, data={**payload, **change}, content_type=JSON, **bearer(raw))
        assert response.status_code == 422, field
        errors = {e["field"]: e["message"] for e in response.json()["errors"]}
        assert message in errors[field], errors
    summer = client.post(
        url,
        data={**payload, "day": "2026-03-29", "start_time": "02:30", "end_time": "04:00"},
        content_type=JSON,
        **bearer(raw),
    )
    assert summer.status_code == 422
    assert Meeting.all_objects.count() == 0


def test_minutes_follow_up_and_done(world, client):
    group = make_group(world)
    provider = make_provider(world)
    member = add_provider(world, group, provider)
    past = make_meeting(world, group)
    future = make_meeting(world, group, timezone.now() + datetime.timedelta(days=3))
    raw = make_token(world.owner, ["teams:write"])
    base = f"/api/persons/{world.person.pk}"
    early = client.post(
        f"{base}/meetings/{future.pk}/minutes/",
        data={"minutes": "Referat"},
        content_type=JSON,
        **bearer(raw),
    )
    assert early.status_code == 409
    assert early.json()["detail"].startswith("Møtet har ikke startet ennå.")
    stranger = client.post(
        f"{base}/meetings/{past.pk}/minutes/",
        data={"minutes": "Referat", "attended": [999999]},
        content_type=JSON,
        **bearer(raw),
    )
    assert stranger.status_code == 422
    response = client.post(
        f"{base}/meetings/{past.pk}/minutes/",
        data={"minutes": "Referat fra møtet", "attended": [member.pk], "decisions": "Søke"},
        content_type=JSON,
        **bearer(raw),
    )
    assert response.status_code == 200, response.content
    past.refresh_from_db()
    assert (past.status, past.minutes, past.decisions) == ("avholdt", "Referat fra møtet", "Søke")
    rows = Attendance.all_objects.filter(meeting=past)
    present = {a.member_id: a.attended for a in rows}
    assert present[member.pk] is True and list(present.values()).count(False) == 1
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    wrong_member = client.post(
        f"{base}/meetings/{past.pk}/follow-ups/",
        data={"what": "Ring NAV", "responsible_member_id": 999999, "due_on": due},
        content_type=JSON,
        **bearer(raw),
    )
    assert wrong_member.status_code == 422
    assert wrong_member.json()["errors"][0]["field"] == "responsible_member_id"
    created = client.post(
        f"{base}/meetings/{past.pk}/follow-ups/",
        data={"what": "Ring NAV", "responsible_member_id": member.pk, "due_on": due},
        content_type=JSON,
        **bearer(raw),
    )
    assert created.status_code == 201, created.content
    item = FollowUpItem.all_objects.get(pk=created.json()["id"])
    assert (item.what, item.responsible_member_id) == ("Ring NAV", member.pk)
    future_done = client.post(
        f"{base}/follow-ups/{item.pk}/done/",
        data={"done_on": "2199-01-01"},
        content_type=JSON,
        **bearer(raw),
    )
    assert future_done.status_code == 422
    assert future_done.json()["detail"] == "Utført-datoen kan ikke være fram i tid."
    before = AuditEvent.all_objects.count()
    done = client.post(
        f"{base}/follow-ups/{item.pk}/done/", data={}, content_type=JSON, **bearer(raw)
    )
    assert done.status_code == 200, done.content
    assert done.json()["done_on"] == timezone.localdate().isoformat()
    assert [e.action for e in _new_events(before)] == ["done"]
    item.refresh_from_db()
    assert item.done_on == timezone.localdate()
    twice = client.post(
        f"{base}/follow-ups/{item.pk}/done/", data={}, content_type=JSON, **bearer(raw)
    )
    assert twice.status_code == 409


# --- The actor's own lists


def test_my_meetings_only_coming_and_only_with_care_relation(world, client):
    now = timezone.now()
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    coming = make_meeting(world, group, now + datetime.timedelta(days=2))
    make_meeting(world, group, now - datetime.timedelta(days=2))  # past: not coming
    cancelled = make_meeting(world, group, now + datetime.timedelta(days=3))
    Meeting.all_objects.filter(pk=cancelled.pk).update(status="avlyst")
    # A person the owner coordinates but has no care relation to: not listed.
    unrelated = factories.PersonFactory(municipality=world.municipality)
    make_coordinator(unrelated, world.owner)
    CareRelation.all_objects.filter(person=unrelated).delete()
    unrelated_group = make_group(world, person=unrelated)
    CareRelation.all_objects.filter(person=unrelated).delete()
    make_meeting(world, unrelated_group, now + datetime.timedelta(days=2))
    # A person who has blocked the owner: not listed.
    blocking = factories.PersonFactory(municipality=world.municipality)
    make_coordinator(blocking, world.owner)
    factories.grant_relation(world.owner, blocking)
    blocking_group = make_group(world, person=blocking)
    make_meeting(world, blocking_group, now + datetime.timedelta(days=2))
    Block.all_objects.create(municipality=world.municipality, person=blocking, staff=world.owner)
    # Someone else's meeting: not listed.
    elsewhere = factories.PersonFactory(municipality=world.municipality)
    factories.grant_relation(world.owner, elsewhere)
    make_meeting(world, make_group(world, person=elsewhere), now + datetime.timedelta(days=2))

    raw = make_token(world.owner, ["teams:read"])
    body = client.get("/api/meetings/mine/", **bearer(raw)).json()
    assert [m["id"] for m in body["items"]] == [coming.pk, cancelled.pk]
    assert body["items"][0]["person_name"] == world.person.full_name
    planned = client.get("/api/meetings/mine/?status=planlagt", **bearer(raw)).json()
    assert [m["id"] for m in planned["items"]] == [coming.pk]
    day = (now - datetime.timedelta(days=5)).date().isoformat()
    with_past = client.get(f"/api/meetings/mine/?from={day}", **bearer(raw)).json()
    assert with_past["count"] == 3


def test_my_follow_ups_is_the_web_worklist(world, client):
    s = _setup(world)
    mine = client.get("/api/follow-ups/mine/", **bearer(make_token(s.provider, ["teams:read"])))
    assert [i["id"] for i in mine.json()["items"]] == [s.item.pk]
    owner = client.get("/api/follow-ups/mine/", **bearer(make_token(world.owner, ["teams:read"])))
    assert owner.json()["count"] == 0


def test_bad_query_is_422_in_norwegian(world, client):
    raw = make_token(world.owner, ["teams:read"])
    response = client.get(
        f"/api/persons/{world.person.pk}/meetings/?from=10.03.2026&status=x&limit=0", **bearer(raw)
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert fields == {
        "from": "Skriv datoen som åååå-mm-dd.",
        "status": "Velg en av de tillatte verdiene.",
        "limit": "Tallet er for lite (minst 1).",
    }
    far = client.get("/api/meetings/mine/?to=0001-01-01", **bearer(raw))
    assert far.status_code == 422
    assert far.json()["errors"][0]["message"] == "Datoen må være mellom 01.01.1900 og 31.12.2200."
