"""Responsibility groups and their members: who is in, who chairs, who gets access."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mestring.access.models import AuditEvent, CareRelation
from mestring.teams import services
from mestring.teams.models import FollowUpItem, GroupMember, ResponsibilityGroup
from mestring.tenancy.context import activate
from tests import factories
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


def group_url(world) -> str:
    return reverse("teams:group_detail", args=[world.person.pk])


def member_add_url(world) -> str:
    return reverse("teams:member_add", args=[world.person.pk])


def member_data(**extra) -> dict[str, str]:
    return {"role": "Fysioterapeut", "started_on": "05.01.2026", "line": "", **extra}


def test_group_gets_the_person_and_the_coordinator_as_chair(world):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    members = list(GroupMember.all_objects.filter(group=group).order_by("pk"))
    assert [(m.kind, m.staff_id, m.is_chair) for m in members] == [
        ("personen", None, False),
        ("intern", world.owner.pk, True),
    ]
    assert members[0].display_name == "Gunnhild Skjermesen"
    relation = CareRelation.all_objects.get(staff=world.owner, kind="ansvarsgruppe")
    assert relation.valid_to is None and relation.person == world.person
    rows = AuditEvent.all_objects.filter(person=world.person).order_by("seq")
    assert [(r.object_type, r.action) for r in rows] == [
        ("responsibility_group", "create"),
        ("care_relation", "grant"),
    ]


def test_one_active_group_per_person(world):
    group = make_group(world)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        with pytest.raises(services.TeamRuleError, match="allerede en aktiv ansvarsgruppe"):
            services.group_create(
                actor=actor, person=world.person, started_on=datetime.date(2026, 2, 1)
            )
        services.group_end(actor=actor, group=group, ended_on=datetime.date(2026, 3, 1))
        again = services.group_create(
            actor=actor, person=world.person, started_on=datetime.date(2026, 3, 2)
        )
    assert ResponsibilityGroup.all_objects.filter(person=world.person).count() == 2
    assert ResponsibilityGroup.all_objects.get(ended_on__isnull=True) == again


def test_group_page_creates_the_group_and_warns_without_a_chair(world, client_for):
    client = client_for(world.owner)
    page = client.get(group_url(world))
    assert page.status_code == 200
    assert "Opprett ansvarsgruppe" in page.content.decode()
    response = client.post(group_url(world), {"ny-started_on": "31.02.2026"})
    assert "Datoen må skrives som dd.mm.åååå." in response.content.decode()
    assert 'value="31.02.2026"' in response.content.decode()
    assert not ResponsibilityGroup.all_objects.exists()
    response = client.post(group_url(world), {"ny-started_on": "05.01.2026"}, follow=True)
    body = response.content.decode()
    assert "Ansvarsgruppen er opprettet." in body
    assert "Gruppen har ingen leder." in body
    group = ResponsibilityGroup.all_objects.get()
    assert group.started_on == datetime.date(2026, 1, 5)
    kinds = GroupMember.all_objects.filter(group=group).values_list("kind", flat=True)
    assert list(kinds) == ["personen"]


def test_internal_member_gets_access_and_loses_it_when_the_membership_ends(world, client_for):
    make_group(world)
    provider = make_provider(world)
    overview = reverse("people:overview", args=[world.person.pk])
    assert client_for(provider).get(overview).status_code == 403
    client = client_for(world.owner)
    response = client.post(member_add_url(world), member_data(kind="intern", staff=provider.pk))
    assert response.status_code == 302
    member = GroupMember.all_objects.get(staff=provider)
    assert member.line == "forste"  # internal members are first line unless told
    assert member.email == "fysio@example.org"  # taken from the staff member
    assert client_for(provider).get(overview).status_code == 200
    relation = CareRelation.all_objects.get(staff=provider)
    assert relation.kind == "ansvarsgruppe"

    end_url = reverse("teams:member_end", args=[world.person.pk, member.pk])
    assert client.get(end_url).status_code == 200
    response = client.post(end_url, {"ended_on": "04.01.2026"})
    assert "Sluttdatoen kan ikke være før medlemskapet startet." in response.content.decode()
    response = client.post(end_url, {"ended_on": "01.03.2026"})
    assert response.status_code == 302
    member.refresh_from_db()
    relation.refresh_from_db()
    assert member.ended_on == datetime.date(2026, 3, 1)
    assert relation.valid_to is not None
    assert client_for(provider).get(overview).status_code == 403
    actions = list(
        AuditEvent.all_objects.filter(object_type__in=["group_member", "care_relation"])
        .filter(object_id__in=[str(member.pk), str(relation.pk)])
        .order_by("seq")
        .values_list("object_type", "action")
    )
    assert actions == [
        ("group_member", "add"),
        ("care_relation", "grant"),
        ("group_member", "end"),
        ("care_relation", "end"),
    ]
    # The past member is still shown with the period.
    body = client.get(group_url(world)).content.decode()
    assert "Tidligere medlemmer" in body and "05.01.2026 – 01.03.2026" in body


def test_relative_member_must_be_one_of_the_persons_relatives(world, client_for):
    group = make_group(world)
    own = make_relative(world.person)
    stranger = make_relative(factories.PersonFactory(municipality=world.municipality), "Annen")
    with activate(world.municipality), pytest.raises(services.TeamRuleError, match="hører ikke"):
        services.member_add(
            actor=actor_for(world.owner),
            group=group,
            kind="parorende",
            relative=stranger,
            role="Datter",
            started_on=group.started_on,
        )
    client = client_for(world.owner)
    response = client.post(
        member_add_url(world), member_data(kind="parorende", relative=stranger.pk, role="Datter")
    )
    assert response.status_code == 200  # not offered in the form
    assert not GroupMember.all_objects.filter(kind="parorende").exists()
    response = client.post(
        member_add_url(world), member_data(kind="parorende", relative=own.pk, role="Datter")
    )
    assert response.status_code == 302
    member = GroupMember.all_objects.get(kind="parorende")
    assert member.relative == own and member.display_name == "Rita Datter"
    assert not CareRelation.all_objects.filter(kind="ansvarsgruppe").exists()


def test_member_form_explains_what_is_missing_and_keeps_input(world, client_for):
    make_group(world)
    client = client_for(world.owner)
    response = client.post(member_add_url(world), member_data(kind="intern", role="Ergoterapeut"))
    body = response.content.decode()
    assert "Velg en ansatt eller en enhet." in body
    assert 'value="Ergoterapeut"' in body
    response = client.post(member_add_url(world), member_data(kind="ekstern", is_chair="on"))
    body = response.content.decode()
    assert "Skriv navnet på den eksterne samarbeidsparten." in body
    assert "Lederen av gruppen må være en kommunal tjenesteyter." in body
    response = client.post(member_add_url(world), member_data(kind="ekstern", name="Dr. Lege"))
    assert response.status_code == 302
    assert GroupMember.all_objects.get(kind="ekstern").name == "Dr. Lege"


def test_one_chair_at_a_time_and_a_warning_when_it_is_not_the_coordinator(world, client_for):
    make_coordinator(world.person, world.owner)
    group = make_group(world)
    provider = make_provider(world)
    client = client_for(world.owner)
    response = client.post(
        member_add_url(world),
        member_data(kind="intern", staff=provider.pk, is_chair="on"),
        follow=True,
    )
    body = response.content.decode()
    assert "Lederen av gruppen er ikke personens koordinator. Er det riktig?" in body
    assert "Lederen av gruppen er ikke personens koordinator." in body  # the page says so too
    chairs = GroupMember.all_objects.filter(group=group, is_chair=True, ended_on__isnull=True)
    assert list(chairs.values_list("staff_id", flat=True)) == [provider.pk]
    # Handing the chair back to the coordinator clears the warning.
    owner_member = GroupMember.all_objects.get(staff=world.owner)
    with activate(world.municipality):
        services.member_end(
            actor=actor_for(world.owner), member=owner_member, ended_on=datetime.date(2026, 2, 1)
        )
        services.member_add(
            actor=actor_for(world.owner),
            group=group,
            kind="intern",
            staff=world.owner,
            role="Koordinator",
            started_on=datetime.date(2026, 2, 1),
            is_chair=True,
        )
    body = client.get(group_url(world)).content.decode()
    assert "ikke personens koordinator" not in body
    assert chairs.get().staff == world.owner


def test_the_same_staff_member_is_not_added_twice(world):
    group = make_group(world)
    provider = make_provider(world)
    add_provider(world, group, provider)
    with pytest.raises(services.TeamRuleError, match="allerede medlem"):
        add_provider(world, group, provider)


def test_member_with_open_follow_ups_stays_until_they_are_done(world):
    group = make_group(world)
    member = add_provider(world, group, make_provider(world))
    meeting = make_meeting(world, group)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        services.meeting_record(actor=actor, meeting=meeting, attendance={}, minutes="Referat")
        item = services.follow_up_add(
            actor=actor,
            meeting=meeting,
            what="Bestille rullator",
            responsible_member=member,
            due_on=datetime.date(2026, 12, 31),
        )
        with pytest.raises(services.TeamRuleError, match="oppfølgingspunkter"):
            services.member_end(actor=actor, member=member, ended_on=datetime.date(2026, 12, 1))
        with pytest.raises(services.TeamRuleError, match="oppfølgingspunkter"):
            services.group_end(actor=actor, group=group, ended_on=datetime.date(2026, 12, 1))
        services.follow_up_done(actor=actor, item=item)
        services.group_end(actor=actor, group=group, ended_on=datetime.date(2026, 12, 1))
    member.refresh_from_db()
    assert member.ended_on == datetime.date(2026, 12, 1)
    open_relations = CareRelation.all_objects.filter(kind="ansvarsgruppe", valid_to__isnull=True)
    assert not open_relations.exists()
    assert FollowUpItem.all_objects.get().done_on is not None


def test_group_with_planned_meetings_cannot_end(world, client_for):
    group = make_group(world)
    make_meeting(world, group)
    client = client_for(world.owner)
    response = client.post(group_url(world), {"slutt-ended_on": "01.12.2026"})
    assert "Gruppen har planlagte møter." in response.content.decode()
    group.refresh_from_db()
    assert group.ended_on is None


@pytest.mark.parametrize("name", ["group_detail", "member_add", "meeting_new"])
def test_outsider_is_refused(world, client_for, name):
    make_group(world)
    client = client_for(world.outsider)
    url = reverse(f"teams:{name}", args=[world.person.pk])
    for response in (client.get(url), client.post(url, member_data(kind="ekstern", name="X"))):
        assert response.status_code == 403
        assert b"Skjermesen" not in response.content
    assert not GroupMember.all_objects.filter(kind="ekstern").exists()
    assert AuditEvent.all_objects.latest("seq").outcome == "refused"
