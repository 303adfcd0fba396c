"""The everyday-rehab report against figures this test computes itself from random data,
with year boundaries, another programme and another municipality that must not count."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest

from mestring.outcomes.models import Observation
from mestring.outcomes.reports import EverydayRehabReport
from mestring.rehab.models import Episode, Programme, Visit
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db
SOURCES = ["sykehus", "fastlege", "hjemmetjeneste", "sykehjem", "tjenestekontor", "annet"]


def r1(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def make(rng, municipality, programme, persons, year_days):
    """Random episodes; returns what the test needs to compute the figures itself."""
    facts = []
    for _ in range(rng.randint(40, 70)):
        referral = rng.choice(year_days)
        person = rng.choice(persons)
        kind = rng.choice(
            ["henvist", "ikke", "venter", "pagar", "fullfort", "avbrutt", "avbrutt_v"]
        )
        fields = {"referral_source": rng.choice(SOURCES), "referral_date": referral}
        start = referral + datetime.timedelta(days=rng.randint(0, 20))
        end = start + datetime.timedelta(days=rng.randint(0, 90))
        if kind == "henvist":
            fields.update(status="henvist")
        elif kind == "ikke":
            fields.update(status="ikke_aktuell", assessment="ikke_aktuell", assessed_on=referral)
        elif kind == "venter":
            fields.update(status="venter", assessment="aktuell", assessed_on=referral)
        elif kind == "pagar":
            fields.update(
                status="pagar", assessment="aktuell", assessed_on=referral, start_date=start
            )
        elif kind == "avbrutt_v":
            fields.update(status="avbrutt", assessment="aktuell", outcome="avbrutt", end_date=end)
        else:
            fields.update(
                status=kind,
                assessment="aktuell",
                outcome=kind,
                assessed_on=referral,
                start_date=start,
                end_date=end,
            )
        episode = Episode.all_objects.create(
            municipality=municipality, person=person, programme=programme, **fields
        )
        visits = rng.randint(0, 6)
        Visit.all_objects.bulk_create(
            [
                Visit(municipality=municipality, episode=episode, visited_on=start)
                for _ in range(visits)
            ]
        )
        sppb = {}
        for time_point in ("start", "slutt", "midt"):
            draws = rng.choice([0, 1, 1, 2])
            values = []
            for n in range(draws):
                total = rng.randint(0, 12)
                day = start + datetime.timedelta(days=(n * 7 if time_point == "start" else 30 + n))
                Observation.all_objects.create(
                    municipality=municipality,
                    person=person,
                    episode=episode,
                    instrument="sppb",
                    version="v",
                    observed_on=day,
                    time_point=time_point,
                    total=total,
                )
                values.append(total)
            sppb[time_point] = values  # in date order
        facts.append((episode, kind, visits, sppb))
    return facts


def test_report_matches_own_figures():
    rng = random.Random(20170602)
    here = factories.make_municipality("9001", "Her")
    there = factories.make_municipality("9002", "Der")
    programme = Programme.all_objects.get(municipality=here, code="hverdagsrehabilitering")
    other_programme = Programme.all_objects.create(municipality=here, code="annet", name="Annet")
    persons = [factories.PersonFactory(municipality=here) for _ in range(10)]
    days = [datetime.date(2017, 1, 1) + datetime.timedelta(days=n) for n in range(365)]
    days += [datetime.date(2016, 12, 31), datetime.date(2018, 1, 1), datetime.date(2016, 6, 1)]
    facts = make(rng, here, programme, persons, days)
    make(rng, here, other_programme, persons, days[:365])
    make(
        rng,
        there,
        Programme.all_objects.get(municipality=there, code="hverdagsrehabilitering"),
        [factories.PersonFactory(municipality=there)],
        days[:365],
    )

    mine = [f for f in facts if f[0].referral_date.year == 2017]
    completed = [f for f in mine if f[1] == "fullfort"]
    durations = [(e.end_date - e.start_date).days for e, *_ in completed]
    visits = [v for _e, _k, v, _s in completed]
    sppb = {"improved": 0, "unchanged": 0, "worsened": 0, "not_measured": 0}
    for *_rest, measures in completed:
        if not measures["start"] or not measures["slutt"]:
            sppb["not_measured"] += 1
            continue
        change = measures["slutt"][-1] - measures["start"][0]
        sppb["improved" if change >= 1 else "worsened" if change <= -1 else "unchanged"] += 1
    expected = {
        "year": 2017,
        "referrals": len(mine),
        "by_source": {s: sum(1 for e, *_ in mine if e.referral_source == s) for s in SOURCES},
        "not_relevant": sum(1 for f in mine if f[1] == "ikke"),
        "relevant": sum(1 for f in mine if f[1] not in ("ikke", "henvist")),
        "completed": len(completed),
        "not_completed": sum(1 for f in mine if f[1] in ("avbrutt", "avbrutt_v")),
        "duration_days": {
            "mean": r1(sum(durations) / len(durations)),
            "min": min(durations),
            "max": max(durations),
        },
        "duration_weeks_mean": r1(sum(durations) / len(durations) / 7),
        "visits": {"mean": r1(sum(visits) / len(visits)), "min": min(visits), "max": max(visits)},
        "sppb": sppb,
    }
    assert len(completed) > 3 and sppb["not_measured"] and sppb["improved"]
    with activate(here):
        result = EverydayRehabReport(year=2017).compute()
        csv_text = EverydayRehabReport(year=2017).as_csv()
    assert result == expected
    assert "by_source,sykehus," in csv_text and f"referrals,,{len(mine)}" in csv_text


def test_empty_year_has_null_figures():
    municipality = factories.make_municipality("9001", "Her")
    with activate(municipality):
        result = EverydayRehabReport(year=2019).compute()
        csv_text = EverydayRehabReport(year=2019).as_csv()
    assert result["referrals"] == 0
    assert result["duration_days"] == {"mean": None, "min": None, "max": None}
    assert result["duration_weeks_mean"] is None
    assert result["visits"] == {"mean": None, "min": None, "max": None}
    assert result["sppb"] == {"improved": 0, "unchanged": 0, "worsened": 0, "not_measured": 0}
    assert set(result["by_source"]) == set(SOURCES)
    assert "duration_days,mean,\r\n" in csv_text
