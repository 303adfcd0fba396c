"""Frisklivsresepter in a year, the table a municipal plan reports.

A prescription belongs to the year of its referral date; the age is the person's age
on the referral date (someone born 29 February turns a year older on 1 March in other
years, as `Person.age_on`). Completed counts prescriptions whose period was completed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from mestring.core.reporting import Report
from mestring.friskliv.models import Prescription, Reason
from mestring.people.models import Person

AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-19", 0, 19),
    ("20-39", 20, 39),
    ("40-59", 40, 59),
    ("60-79", 60, 79),
    ("80+", 80, None),
)


def age_band(age: int) -> str:
    for name, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return name
    return AGE_BANDS[0][0]  # a referral dated before birth: counted with the youngest


class FrisklivsreseptReport(Report):
    name = "frisklivsresept"
    parameters = ("year",)
    title = _("Frisklivsresept")
    definition = _(
        "Henviste: frisklivsresepter med henvisningsdato i året. Gjennomført: av disse, "
        "resepter der reseptperioden er registrert som gjennomført. Alder: personens alder "
        "på henvisningsdatoen. Årsak: årsaken som er registrert på henvisningen. En person "
        "som er henvist flere ganger i året, telles én gang per henvisning."
    )

    def __init__(self, *, year: int) -> None:
        self.year = int(year)

    def compute(self) -> dict[str, Any]:
        rows = Prescription.objects.filter(referral_date__year=self.year).values_list(
            "referral_date", "reason", "completed", "person__birth_date"
        )
        by_age = {name: 0 for name, _low, _high in AGE_BANDS}
        by_reason = {code: 0 for code in Reason.values}
        referred = completed = 0
        for referral_date, reason, done, birth_date in rows:
            referred += 1
            completed += done is True
            by_age[age_band(Person(birth_date=birth_date).age_on(referral_date))] += 1
            by_reason[reason] = by_reason.get(reason, 0) + 1
        return {
            "year": self.year,
            "referred": referred,
            "completed": completed,
            "by_age_band": by_age,
            "by_reason": by_reason,
        }

    def table(self, result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
        rows: list[list[Any]] = [
            ["referred", "", result["referred"]],
            ["completed", "", result["completed"]],
        ]
        rows += [["by_age_band", band, n] for band, n in result["by_age_band"].items()]
        rows += [["by_reason", reason, n] for reason, n in result["by_reason"].items()]
        return ["figure", "key", "value"], rows
