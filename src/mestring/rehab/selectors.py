"""Reads about rehabilitation episodes, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, QuerySet, Sum

from mestring.people.models import Person
from mestring.rehab.models import (
    Episode,
    EpisodeGoal,
    EpisodeStatus,
    EpisodeStatusChange,
    EpisodeTeamMember,
    Programme,
    Visit,
)

if TYPE_CHECKING:
    # A test dependency: only for the type checker.
    from django_stubs_ext import WithAnnotations

WAITING_STATUSES = (EpisodeStatus.REFERRED, EpisodeStatus.WAITING)
FOLLOW_UP_AHEAD_DAYS = 14


def person_episodes(person: Person) -> QuerySet[Episode]:
    return (
        Episode.objects.filter(person=person)
        .select_related("programme")
        .annotate(visit_count=Count("visits"))
        .order_by("-referral_date", "-pk")
    )


class VisitTotals(TypedDict):
    visit_count: int
    visit_minutes: int | None  # None when there are no visits


def episode_for_page(
    person: Person, episode_id: int
) -> WithAnnotations[Episode, VisitTotals] | None:
    return (
        Episode.objects.filter(person=person, pk=episode_id)
        .select_related("programme", "decision", "plan")
        .annotate(visit_count=Count("visits"), visit_minutes=Sum("visits__minutes"))
        .first()
    )


class EpisodeParts(TypedDict):
    visits: list[Visit]
    goals: list[EpisodeGoal]
    team: list[EpisodeTeamMember]
    history: list[EpisodeStatusChange]


def episode_parts(episode: Episode) -> EpisodeParts:
    return {
        "visits": list(
            Visit.objects.filter(episode=episode)
            .select_related("staff__user")
            .order_by("-visited_on", "-pk")
        ),
        "goals": list(episode.goals.all()),
        "team": list(
            EpisodeTeamMember.objects.filter(episode=episode).select_related("staff__user")
        ),
        "history": list(episode.history.select_related("changed_by")),
    }


def active_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True).order_by("name")


def waiting_list(programme: Programme | None = None) -> QuerySet[Episode]:
    """Episodes referred or waiting to start, oldest referral first."""
    episodes = Episode.objects.filter(status__in=WAITING_STATUSES)
    if programme is not None:
        episodes = episodes.filter(programme=programme)
    return episodes.select_related("person", "programme").order_by("referral_date", "pk")


def waiting_for_units(unit_ids: Iterable[int]) -> QuerySet[Episode]:
    """Episodes waiting on the programmes the given units run: the therapists' work."""
    return Episode.objects.filter(status__in=WAITING_STATUSES, programme__unit__in=unit_ids)


def follow_ups_due(today: datetime.date, programme: Programme | None = None) -> QuerySet[Episode]:
    """Ended episodes whose follow-up is due within two weeks or overdue, not done."""
    episodes = Episode.objects.filter(
        follow_up_due_on__isnull=False,
        follow_up_due_on__lte=today + datetime.timedelta(days=FOLLOW_UP_AHEAD_DAYS),
        followed_up_on__isnull=True,
    )
    if programme is not None:
        episodes = episodes.filter(programme=programme)
    return episodes.select_related("person", "programme").order_by("follow_up_due_on", "pk")


@dataclass
class WaitingEpisode:
    """A row of the waiting list: the episode and the days since its referral."""

    episode: Episode
    waiting_days: int


def with_waiting_days(episodes: list[Episode], today: datetime.date) -> list[WaitingEpisode]:
    return [WaitingEpisode(episode, (today - episode.referral_date).days) for episode in episodes]


def all_programmes() -> QuerySet[Programme]:
    return (
        Programme.objects.select_related("unit")
        .annotate(episode_count=Count("episodes"))
        .order_by("name")
    )
