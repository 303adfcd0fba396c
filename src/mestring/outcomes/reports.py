"""The everyday-rehab report with its SPPB change, counted from the episodes' measures.

The report's figures about episodes, visits and durations are rehab's
(rehab.reports); how the SPPB measured at start and end changed is judged here, where
the measures and their thresholds are. This class is the one the report registry
names, so the page, the CSV and `mestring report` all include the change."""

from __future__ import annotations

from decimal import Decimal

from mestring.outcomes.models import Instrument, Observation, TimePoint
from mestring.outcomes.selectors import classify_change, threshold_for
from mestring.rehab.reports import SPPB_KEYS
from mestring.rehab.reports import EverydayRehabReport as EpisodeFigures


class EverydayRehabReport(EpisodeFigures):
    def sppb(self, episode_ids: list[int]) -> dict[str, int]:
        """Earliest start and latest end SPPB of each completed episode."""
        starts: dict[int, Decimal] = {}
        ends: dict[int, Decimal] = {}
        observations = (
            Observation.objects.filter(
                episode_id__in=episode_ids,
                instrument=Instrument.SPPB,
                time_point__in=(TimePoint.START, TimePoint.END),
                total__isnull=False,
            )
            .order_by("observed_on", "pk")
            .values_list("episode_id", "time_point", "total")
        )
        for episode_id, time_point, total in observations:
            assert total is not None  # the query leaves out observations without a total
            if time_point == TimePoint.START:
                starts.setdefault(episode_id, total)
            else:
                ends[episode_id] = total
        threshold = threshold_for(Instrument.SPPB)
        counts = dict.fromkeys(SPPB_KEYS, 0)
        for episode_id in episode_ids:
            if episode_id in starts and episode_id in ends:
                counts[classify_change(starts[episode_id], ends[episode_id], threshold)] += 1
            else:
                counts["not_measured"] += 1
        return counts
