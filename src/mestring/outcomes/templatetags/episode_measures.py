"""`{% episode_measures person episode %}`: an episode's measures, with links to record one.

The episode page belongs to rehab, which stands below outcomes: the page's template asks
for the measures here, so that rehab's code imports nothing from outcomes."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mestring.outcomes.models import Instrument, TimePoint
from mestring.outcomes.selectors import episode_observations
from mestring.people.models import Person
from mestring.rehab.models import Episode

register = template.Library()

MEASURE_LINKS = (
    (Instrument.SPPB, _("SPPB")),
    (Instrument.COPM, _("COPM")),
    (Instrument.PSFS, _("PSFS")),
)
WHEN = (
    (TimePoint.START, _("ved oppstart")),
    (TimePoint.END, _("ved avslutning")),
)


def measure_links(person: Person, episode: Episode) -> list[dict[str, str]]:
    """Links to record each instrument at the episode's start and end."""
    links = []
    for instrument, label in MEASURE_LINKS:
        url = reverse(
            "outcomes:observation_create",
            kwargs={"person_id": person.pk, "instrument": instrument},
        )
        for time_point, when in WHEN:
            links.append(
                {
                    "url": f"{url}?forlop={episode.pk}&tidspunkt={time_point}",
                    "label": f"{label} {when}",
                }
            )
    return links


@register.inclusion_tag("outcomes/_episode_measures.html")
def episode_measures(person: Person, episode: Episode) -> dict[str, Any]:
    return {
        "person": person,
        "episode": episode,
        "observations": episode_observations(episode),
        "measure_links": measure_links(person, episode),
    }
