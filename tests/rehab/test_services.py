"""Episode services: the stages and their transitions, refusals with plain messages,
care relations for the team, and one audit row per write."""

from __future__ import annotations

import datetime

import pytest

from mestring.access.models import AuditEvent, CareRelation
from mestring.kernel.states import TransitionNotAllowed
from mestring.rehab import services
from mestring.rehab.models import Episode, EpisodeStatusChange, Visit
from mestring.tenancy.context import activate
from tests import factories
from tests.rehab.helpers import DAY, actor_for, ended, everyday, refer, started

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


def test_full_episode_walks_the_stages(world):
    actor = actor_for(world.owner)
    episode = refer(world.owner, world.person)
    assert episode.status == "henvist"
    with activate(world.municipality):
        services.episode_assess(
            actor=actor, episode=episode, assessed_on=days(1), assessment="aktuell"
        )
        assert episode.status == "venter"
        services.episode_start(actor=actor, episode=episode, start_date=days(5))
        services.visit_record(
            actor=actor, episode=episode, visited_on=days(6), staff=world.owner, minutes=45
        )
        services.episode_end(actor=actor, episode=episode, outcome="fullfort", end_date=days(40))
        assert episode.follow_up_due_on == days(40) + datetime.timedelta(weeks=12)
        services.episode_follow_up(
            actor=actor, episode=episode, followed_up_on=days(130), note="Klarer seg."
        )
    episode.refresh_from_db()
    assert episode.status == "fullfort" and episode.followed_up_on == days(130)
    steps = list(
        EpisodeStatusChange.all_objects.filter(episode=episode).values_list(
            "from_status", "to_status"
        )
    )
    assert steps == [
        ("", "henvist"),
        ("henvist", "venter"),
        ("venter", "pagar"),
        ("pagar", "fullfort"),
    ]
    actions = list(
        AuditEvent.all_objects.filter(object_type__startswith="episode")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "assess", "start", "create", "end", "follow_up"]


def test_not_relevant_needs_a_reason_and_ends_the_episode(world):
    episode = refer(world.owner, world.person)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        with pytest.raises(services.EpisodeError, match="Skriv hvorfor personen ikke er aktuell"):
            services.episode_assess(
                actor=actor, episode=episode, assessed_on=DAY, assessment="ikke_aktuell"
            )
        services.episode_assess(
            actor=actor,
            episode=episode,
            assessed_on=DAY,
            assessment="ikke_aktuell",
            reason="Klarer seg",
        )
        assert episode.status == "ikke_aktuell"
        with pytest.raises(TransitionNotAllowed):
            services.episode_start(actor=actor, episode=episode, start_date=DAY)


def test_refusals(world):
    actor = actor_for(world.owner)
    episode = refer(world.owner, world.person)
    with activate(world.municipality):
        with pytest.raises(TransitionNotAllowed):
            services.episode_start(actor=actor, episode=episode, start_date=DAY)
        with pytest.raises(services.EpisodeError, match="før henvisningsdatoen"):
            services.episode_assess(
                actor=actor, episode=episode, assessed_on=days(-1), assessment="aktuell"
            )
        with pytest.raises(services.EpisodeError, match="fram i tid"):
            services.episode_refer(
                actor=actor,
                person=world.person,
                programme=everyday(world.municipality),
                referral_date=datetime.date.today() + datetime.timedelta(days=3),
                referral_source="fastlege",
            )
        services.episode_assess(
            actor=actor, episode=episode, assessed_on=days(2), assessment="aktuell"
        )
        with pytest.raises(services.EpisodeError, match="før vurderingen"):
            services.episode_start(actor=actor, episode=episode, start_date=days(1))
        with pytest.raises(services.EpisodeError, match="må være startet"):
            services.visit_record(
                actor=actor, episode=episode, visited_on=days(3), staff=None, minutes=30
            )
        with pytest.raises(TransitionNotAllowed):
            services.episode_end(actor=actor, episode=episode, outcome="fullfort", end_date=days(3))
        with pytest.raises(services.EpisodeError, match="avbrutt"):
            services.episode_end(actor=actor, episode=episode, outcome="avbrutt", end_date=days(3))
        services.episode_start(actor=actor, episode=episode, start_date=days(4))
        with pytest.raises(services.EpisodeError, match="Besøket må være mellom"):
            services.visit_record(
                actor=actor, episode=episode, visited_on=days(3), staff=None, minutes=30
            )
        with pytest.raises(services.EpisodeError, match="minutter"):
            services.visit_record(
                actor=actor, episode=episode, visited_on=days(5), staff=None, minutes=0
            )
        with pytest.raises(services.EpisodeError, match="Sluttdatoen kan ikke være før"):
            services.episode_end(actor=actor, episode=episode, outcome="fullfort", end_date=days(3))
        with pytest.raises(services.EpisodeError, match="startet og avsluttet"):
            services.episode_follow_up(
                actor=actor, episode=episode, followed_up_on=days(9), note=""
            )
    assert Visit.all_objects.count() == 0


def test_discontinued_while_waiting(world):
    actor = actor_for(world.owner)
    episode = refer(world.owner, world.person)
    with activate(world.municipality):
        services.episode_assess(actor=actor, episode=episode, assessed_on=DAY, assessment="aktuell")
        services.episode_end(
            actor=actor, episode=episode, outcome="avbrutt", end_date=days(3), reason="Flyttet"
        )
    assert episode.status == "avbrutt" and episode.follow_up_due_on is None


def test_team_member_gets_and_loses_access(world):
    colleague = factories.StaffFactory(municipality=world.municipality)
    episode = started(world.owner, world.person)
    actor = actor_for(world.owner)

    def active() -> int:
        with activate(world.municipality):
            return (
                CareRelation.objects.active()
                .filter(person=world.person, staff=colleague, kind="tjenesteyter")
                .count()
            )

    with activate(world.municipality):
        member = services.team_member_add(
            actor=actor, episode=episode, staff=colleague, role="Ergoterapeut", started_on=DAY
        )
        with pytest.raises(services.EpisodeError, match="allerede med i teamet"):
            services.team_member_add(
                actor=actor, episode=episode, staff=colleague, role="", started_on=DAY
            )
    assert active() == 1
    with activate(world.municipality):
        services.team_member_end(actor=actor, member=member, ended_on=days(10))
    assert active() == 0
    with activate(world.municipality):
        services.team_member_add(
            actor=actor, episode=episode, staff=colleague, role="", started_on=days(11)
        )
    assert active() == 1
    with activate(world.municipality):
        services.episode_end(actor=actor, episode=episode, outcome="fullfort", end_date=days(20))
        assert episode.team.filter(ended_on__isnull=True).count() == 0
        with pytest.raises(services.EpisodeError, match="avsluttet"):
            services.team_member_add(
                actor=actor, episode=episode, staff=colleague, role="", started_on=days(20)
            )
    assert active() == 0


def test_goals_in_own_words(world):
    episode = ended(world.owner, world.person)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        with pytest.raises(services.EpisodeError, match="egne ord"):
            services.goal_add(actor=actor, episode=episode, text="  ")
        goal = services.goal_add(actor=actor, episode=episode, text="Handle selv")
        services.goal_update(
            actor=actor, goal=goal, text="Handle selv på butikken", achieved="nadd"
        )
        with pytest.raises(services.EpisodeError):
            services.goal_update(actor=actor, goal=goal, text="x", achieved="kanskje")
    goal.refresh_from_db()
    assert goal.achieved == "nadd" and goal.text == "Handle selv på butikken"
    assert AuditEvent.all_objects.filter(object_type="episode_goal").count() == 2


def test_a_stale_copy_cannot_change_the_status_again(world):
    """The transition is checked against the status found under the row lock, not the
    caller's copy: two users ending the same episode do not both win."""
    episode = started(world.owner, world.person)
    stale = Episode.all_objects.get(pk=episode.pk)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        services.episode_end(actor=actor, episode=episode, outcome="fullfort", end_date=days(10))
        with pytest.raises(TransitionNotAllowed):
            services.episode_end(
                actor=actor, episode=stale, outcome="avbrutt", end_date=days(10), reason="Flyttet"
            )
    episode.refresh_from_db()
    assert episode.status == "fullfort" and episode.end_reason == ""
    assert EpisodeStatusChange.all_objects.filter(episode=episode, to_status="avbrutt").count() == 0
    assert AuditEvent.all_objects.filter(object_type="episode", action="end").count() == 1
