"""Ids of an episode of world.person and of its goal and team member, for the guard walkers."""

from __future__ import annotations

from mestring.rehab import services
from mestring.tenancy.context import activate
from tests.rehab.helpers import DAY, actor_for, goal, started


def make_ids(world) -> dict[str, int]:
    episode = started(world.owner, world.person)
    with activate(world.municipality):
        member = services.team_member_add(
            actor=actor_for(world.owner),
            episode=episode,
            staff=world.owner,
            role="Fysioterapeut",
            started_on=DAY,
        )
    return {
        "episode_id": episode.pk,
        "goal_id": goal(world.owner, episode).pk,
        "member_id": member.pk,
    }
