"""Hverdagsrehabilitering in a year, the table a municipal plan reports.

An episode of the programme «hverdagsrehabilitering» belongs to the year of its
referral date. Durations, visits and SPPB change are over completed episodes.
Four queries whatever the amount of data. The SPPB change is counted from outcome
measures, which the outcomes app holds: its subclass of this report is the one
registered (outcomes.reports).
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from mestring.core.reporting import Report
from mestring.rehab.models import (
    EVERYDAY_REHAB,
    Episode,
    EpisodeAssessment,
    EpisodeOutcome,
    ReferralSource,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SPPB_KEYS = ("improved", "unchanged", "worsened", "not_measured")


def one_decimal(value: float | Decimal) -> float:
    """Rounded half up to one decimal (36.05 → 36.1), as municipal plans' tables round."""
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def spread(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"mean": None, "min": None, "max": None}
    return {
        "mean": one_decimal(Decimal(sum(values)) / len(values)),
        "min": min(values),
        "max": max(values),
    }


class EverydayRehabReport(Report):
    name = "everyday-rehab"
    parameters = ("year",)
    title = _("Hverdagsrehabilitering")
    definition = _(
        "Forløp i programmet hverdagsrehabilitering med henvisningsdato i året. Henvist fra: "
        "hvem henvisningen kom fra. Ikke aktuell / aktuell: vurderingen etter henvisningen. "
        "Fullført: forløp avsluttet som fullført. Ikke fullført: aktuelle forløp som ble "
        "avbrutt. Varighet: dager fra oppstart til slutt for fullførte forløp, med "
        "gjennomsnittet også i uker (dager delt på 7). Besøk: antall registrerte besøk per "
        "fullført forløp. SPPB: endring fra måling ved oppstart til måling ved avslutning for "
        "fullførte forløp; bedre når endringen er minst terskelen for meningsfull endring, "
        "dårligere når den er minst terskelen den andre veien, ellers uendret. Ikke målt: "
        "fullførte forløp som mangler måling ved oppstart eller avslutning. Gjennomsnitt er "
        "avrundet til én desimal."
    )

    def __init__(self, *, year: int) -> None:
        self.year = int(year)
        self.first_day = datetime.date(self.year, 1, 1)
        self.last_day = datetime.date(self.year, 12, 31)

    def episodes(self) -> QuerySet[Episode]:
        return Episode.objects.filter(
            programme__code=EVERYDAY_REHAB,
            referral_date__range=(self.first_day, self.last_day),
        )

    def compute(self) -> dict[str, Any]:
        rows = list(
            self.episodes().values_list(
                "pk", "referral_source", "assessment", "outcome", "start_date", "end_date"
            )
        )
        by_source = {source: 0 for source in ReferralSource.values}
        for _pk, source, *_rest in rows:
            by_source[source] = by_source.get(source, 0) + 1
        completed = [row for row in rows if row[3] == EpisodeOutcome.COMPLETED]
        completed_ids = [row[0] for row in completed]
        durations = [(row[5] - row[4]).days for row in completed if row[4] and row[5]]
        visit_counts = dict(
            Episode.objects.filter(pk__in=completed_ids)
            .annotate(n=Count("visits"))
            .values_list("pk", "n")
        )
        day_figures = spread(durations)
        return {
            "year": self.year,
            "referrals": len(rows),
            "by_source": by_source,
            "not_relevant": sum(1 for row in rows if row[2] == EpisodeAssessment.NOT_RELEVANT),
            "relevant": sum(1 for row in rows if row[2] == EpisodeAssessment.RELEVANT),
            "completed": len(completed),
            "not_completed": sum(
                1
                for row in rows
                if row[2] == EpisodeAssessment.RELEVANT and row[3] == EpisodeOutcome.DISCONTINUED
            ),
            "duration_days": day_figures,
            "duration_weeks_mean": (
                one_decimal(Decimal(sum(durations)) / len(durations) / 7) if durations else None
            ),
            "visits": spread([visit_counts.get(pk, 0) for pk in completed_ids]),
            "sppb": self.sppb(completed_ids),
        }

    def sppb(self, episode_ids: list[int]) -> dict[str, int]:
        """The SPPB change of the completed episodes, one count per key of SPPB_KEYS.

        The measures and how a change is judged belong to the outcomes app, which stands
        above rehab: its subclass (outcomes.reports), the one the report registry names,
        supplies these figures."""
        raise NotImplementedError

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        """figure, key, value; an empty value where there is nothing to compute."""

        def cell(value: Any) -> Any:
            return "" if value is None else value

        rows: list[list[Any]] = [
            ["year", "", result["year"]],
            ["referrals", "", result["referrals"]],
        ]
        rows += [["by_source", key, n] for key, n in result["by_source"].items()]
        for figure in ("not_relevant", "relevant", "completed", "not_completed"):
            rows.append([figure, "", result[figure]])
        rows += [["duration_days", k, cell(v)] for k, v in result["duration_days"].items()]
        rows.append(["duration_weeks_mean", "", cell(result["duration_weeks_mean"])])
        rows += [["visits", k, cell(v)] for k, v in result["visits"].items()]
        rows += [["sppb", k, n] for k, n in result["sppb"].items()]
        return ["figure", "key", "value"], rows

    @staticmethod
    def labels() -> dict[str, dict[str, StrOrPromise]]:
        return {
            "sources": dict(ReferralSource.choices),
            "flow": {
                "referrals": _("Henvist"),
                "not_relevant": _("Vurdert ikke aktuell"),
                "relevant": _("Vurdert aktuell"),
                "completed": _("Fullført"),
                "not_completed": _("Ikke fullført (avbrutt)"),
            },
            "sppb": {
                "improved": _("Bedre"),
                "unchanged": _("Uendret"),
                "worsened": _("Dårligere"),
                "not_measured": _("Ikke målt"),
            },
        }
