"""`mestring import episodes`: a good file, each bad column named, twice = no change,
all or nothing."""

from __future__ import annotations

import pytest

from mestring.access.actor import system_actor
from mestring.core.importing import run_import
from mestring.outcomes.importers import EpisodeImporter
from mestring.outcomes.models import Observation
from mestring.rehab.models import Episode, EpisodeStatusChange, Visit
from mestring.tenancy.context import activate
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ",".join(EpisodeImporter.columns)
GOOD = [
    "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-12,aktuell,2025-01-20,2025-02-25,fullfort,12,6,8,4,7",
    "R2,Hverdagsrehabilitering,2025-02-01,fastlege,2025-02-03,ikke_aktuell,,,,,,,,",
    "R1,hverdagsrehabilitering,2025-06-01,annet,2025-06-02,aktuell,,2025-06-10,avbrutt,,,,,",
    "R2,hverdagsrehabilitering,2025-07-01,sykehjem,,,,,,,,,,",
    "R3,hverdagsrehabilitering,2025-08-01,tjenestekontor,2025-08-02,aktuell,2025-08-05,,,3,5,,,",
]


@pytest.fixture
def municipality(db):
    municipality = factories.make_municipality("9001", "Testkommune")
    for ref in ("R1", "R2", "R3"):
        factories.PersonFactory(municipality=municipality, person_ref=ref)
    return municipality


def run(municipality, lines):
    with activate(municipality):
        importer = EpisodeImporter(system_actor(municipality, label="import"))
        return run_import(importer, "\n".join([HEADER, *lines]) + "\n")


def test_good_file_and_twice_changes_nothing(municipality):
    result = run(municipality, GOOD)
    assert result.ok, result.errors
    assert result.created == 5
    statuses = dict(Episode.all_objects.values_list("referral_date__month", "status"))
    assert statuses == {1: "fullfort", 2: "ikke_aktuell", 6: "avbrutt", 7: "henvist", 8: "pagar"}
    first = Episode.all_objects.get(referral_date__month=1)
    visits = list(Visit.all_objects.filter(episode=first).values_list("visited_on", flat=True))
    assert len(visits) == 12 and visits[0] == first.start_date and visits[-1] == first.end_date
    totals = {
        (o.instrument, o.time_point): o.total for o in Observation.all_objects.filter(episode=first)
    }
    assert totals == {
        ("sppb", "start"): 6,
        ("sppb", "slutt"): 8,
        ("copm", "start"): 4,
        ("copm", "slutt"): 7,
    }
    counts = (
        Episode.all_objects.count(),
        Visit.all_objects.count(),
        Observation.all_objects.count(),
        EpisodeStatusChange.all_objects.count(),
    )
    again = run(municipality, GOOD)
    assert again.ok and again.created == 0 and again.updated == 0 and again.unchanged == 5
    assert counts == (
        Episode.all_objects.count(),
        Visit.all_objects.count(),
        Observation.all_objects.count(),
        EpisodeStatusChange.all_objects.count(),
    )
    changed = [
        *GOOD[:4],
        "R3,hverdagsrehabilitering,2025-08-01,tjenestekontor,2025-08-02,aktuell,2025-08-05,2025-09-01,fullfort,4,5,7,,",
    ]
    third = run(municipality, changed)
    assert third.ok and third.updated == 1 and third.unchanged == 4
    last = Episode.all_objects.get(referral_date__month=8)
    assert last.status == "fullfort" and Visit.all_objects.filter(episode=last).count() == 4


BAD = [
    ("person_ref", "R9,hverdagsrehabilitering,2025-01-10,sykehus,,,,,,,,,,"),
    ("programme", "R1,svømming,2025-01-10,sykehus,,,,,,,,,,"),
    ("referral_date", "R1,hverdagsrehabilitering,10.01.2025,sykehus,,,,,,,,,,"),
    ("referral_source", "R1,hverdagsrehabilitering,2025-01-10,nabo,,,,,,,,,,"),
    ("assessed_date", "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-01,aktuell,,,,,,,,"),
    ("assessment", "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,kanskje,,,,,,,,"),
    (
        "start_date",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,ikke_aktuell,2025-01-12,,,,,,,",
    ),
    (
        "end_date",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,2025-01-20,2025-01-15,fullfort,,,,,",
    ),
    (
        "outcome",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,,2025-01-15,fullfort,,,,,",
    ),
    (
        "outcome",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,2025-01-12,2025-01-15,ferdig,,,,,",
    ),
    (
        "visits",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,2025-01-12,,,mange,,,,",
    ),
    ("visits", "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,,,,3,,,,"),
    (
        "sppb_start",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,2025-01-12,,,,13,,,",
    ),
    (
        "sppb_end",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,2025-01-12,,,,5,7,,",
    ),
    (
        "copm_performance_start",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,2025-01-12,,,,,,0,",
    ),
    (
        "copm_performance_end",
        "R1,hverdagsrehabilitering,2025-01-10,sykehus,2025-01-11,aktuell,2025-01-12,2025-02-01,fullfort,,,,,x",
    ),
]


@pytest.mark.parametrize(("column", "line"), BAD, ids=[f"{c}-{i}" for i, (c, _l) in enumerate(BAD)])
def test_bad_column_is_named_and_nothing_is_written(municipality, column, line):
    result = run(municipality, [GOOD[0], line])
    assert not result.ok
    assert {(e.row, e.column) for e in result.errors} == {(3, column)}, result.errors
    assert Episode.all_objects.count() == 0 and Visit.all_objects.count() == 0


def test_duplicate_row_in_file(municipality):
    result = run(municipality, [GOOD[0], GOOD[0]])
    assert [(e.row, e.column) for e in result.errors] == [(3, "referral_date")]


def test_missing_column(municipality):
    with activate(municipality):
        result = run_import(
            EpisodeImporter(system_actor(municipality)), "person_ref,programme\nR1,x\n"
        )
    assert {e.column for e in result.errors} >= {"referral_date", "visits"}
