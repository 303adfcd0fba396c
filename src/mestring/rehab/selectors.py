"""Reads about rehabilitation episodes, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, QuerySet, Sum

from mestring.catalogue import selectors as catalogue_selectors
from mestring.catalogue.models import WaitingListEntry, WaitingPriority
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
    """Episodes waiting on the programmes the given units run: the therapists' work
    once a place is given (those still waiting for a place: `waiting_count_for_units`)."""
    return Episode.objects.filter(status__in=WAITING_STATUSES, programme__unit__in=unit_ids)


def _programme_of_entries(
    programmes: list[Programme], entries: Iterable[WaitingListEntry]
) -> dict[int, Programme]:
    """Entry pk → the programme whose waiting list shows it: the active programme that
    runs the entry's service at the entry's unit, else the first that runs the service
    (where the assignment will refer the person, see `rehab.provision.programme_for`)."""
    chosen: dict[int, Programme] = {}
    for entry in entries:
        running = [p for p in programmes if p.service_id == entry.service_id]
        own = [p for p in running if entry.unit_id is not None and p.unit_id == entry.unit_id]
        if own or running:
            chosen[entry.pk] = (own or running)[0]
    return chosen


def _service_programmes() -> list[Programme]:
    return list(Programme.objects.filter(is_active=True, service__isnull=False).order_by("pk"))


def waiting_for_a_place(
    programme: Programme | None = None,
) -> list[tuple[WaitingListEntry, Programme]]:
    """Those on the allocation office's waiting list for a service a programme runs,
    each with the programme whose list shows them, in the waiting list's order. Two
    queries, whatever the number."""
    programmes = _service_programmes()
    services = {p.service_id for p in programmes}
    if programme is not None:
        services &= {programme.service_id}
    if not services:
        return []
    entries = list(
        catalogue_selectors.waiting_list()
        .filter(service__in=services)
        .select_related("decision__case__person")
    )
    chosen = _programme_of_entries(programmes, entries)
    return [
        (entry, chosen[entry.pk])
        for entry in entries
        if entry.pk in chosen and (programme is None or chosen[entry.pk].pk == programme.pk)
    ]


def waiting_count_for_units(unit_ids: Iterable[int]) -> int:
    """What the programmes the given units run have waiting, as their waiting list shows
    it: referrals waiting to start and those waiting for a place in the service."""
    units = set(unit_ids)
    programmes = _service_programmes()
    services = {p.service_id for p in programmes if p.unit_id in units}
    entries = WaitingListEntry.objects.filter(removed_on__isnull=True, service__in=services).only(
        "pk", "service_id", "unit_id"
    )
    chosen = _programme_of_entries(programmes, entries)
    waiting_for_place = sum(1 for p in chosen.values() if p.unit_id in units)
    return waiting_for_units(units).count() + waiting_for_place


def waiting_by_programme(unit_ids: Iterable[int]) -> list[tuple[Programme, int]]:
    """For each programme the given units run, how many its waiting list shows
    (referrals waiting to start and those waiting for a place in its service), so that
    each count links to exactly that list. Four queries, whatever the number."""
    own = list(Programme.objects.filter(unit__in=set(unit_ids)).order_by("name", "pk"))
    if not own:
        return []
    programmes = _service_programmes()
    counts = dict(
        Episode.objects.filter(status__in=WAITING_STATUSES, programme__in=own)
        .values_list("programme")
        .annotate(n=Count("pk"))
        .values_list("programme", "n")
    )
    entries = WaitingListEntry.objects.filter(
        removed_on__isnull=True, service__in={p.service_id for p in own}
    ).only("pk", "service_id", "unit_id")
    for programme in _programme_of_entries(programmes, entries).values():
        counts[programme.pk] = counts.get(programme.pk, 0) + 1
    # An inactive programme is listed only while someone still waits on it.
    return [(p, counts.get(p.pk, 0)) for p in own if p.is_active or counts.get(p.pk)]


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
    """A row of the programme's waiting list: a referral (the episode) waiting to start,
    or someone on the allocation office's waiting list for the service (the entry),
    with the days waited: since the referral, or since being put on the list."""

    person: Person
    programme: Programme
    since: datetime.date
    priority: int
    waiting_days: int
    episode: Episode | None = None
    entry: WaitingListEntry | None = None
    # Set by `access.boards.name_persons`: the name may be shown / the person opened.
    named: bool = False
    openable: bool = False

    @property
    def order(self) -> tuple[int, datetime.date, int, int]:
        # Priority, then the day: an episode, with no priority of its own, counts as
        # normal; on the same day a referral (which has its place) comes first.
        pk = self.episode.pk if self.episode else self.entry.pk if self.entry else 0
        return (self.priority, self.since, 0 if self.episode else 1, pk)


def with_waiting_days(episodes: list[Episode], today: datetime.date) -> list[WaitingEpisode]:
    return [
        WaitingEpisode(
            person=episode.person,
            programme=episode.programme,
            since=episode.referral_date,
            priority=WaitingPriority.NORMAL,
            waiting_days=(today - episode.referral_date).days,
            episode=episode,
        )
        for episode in episodes
    ]


def waiting_rows(programme: Programme | None, today: datetime.date) -> list[WaitingEpisode]:
    """One waiting list per service: the programme's referrals waiting to start and
    those waiting for a place in the service it runs, ordered by priority, then date."""
    rows = with_waiting_days(list(waiting_list(programme)), today)
    rows += [
        WaitingEpisode(
            person=entry.decision.case.person,
            programme=chosen,
            since=entry.added_on,
            priority=entry.priority,
            waiting_days=(today - entry.added_on).days,
            entry=entry,
        )
        for entry, chosen in waiting_for_a_place(programme)
    ]
    return sorted(rows, key=lambda row: row.order)


def all_programmes() -> QuerySet[Programme]:
    return (
        Programme.objects.select_related("unit")
        .annotate(episode_count=Count("episodes"))
        .order_by("name")
    )
