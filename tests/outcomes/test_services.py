"""Recording, correcting and deleting measures, and the thresholds: totals computed
from the items, one audit row per write, an episode of another person refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent
from mestring.assessments.models import FunctionVariable
from mestring.outcomes import selectors, services
from mestring.outcomes.models import InstrumentThreshold, Observation, ObservationItem
from mestring.outcomes.scoring import ScoringError
from mestring.tenancy.context import activate
from tests import factories
from tests.assessments.helpers import actor_for
from tests.outcomes.helpers import DAY, copm, episode_for, sppb

pytestmark = pytest.mark.django_db


def _events(**filters):
    return AuditEvent.all_objects.filter(**filters)


def test_sppb_from_times_is_converted_and_audited(world):
    episode = episode_for(world.person)
    with activate(world.municipality):
        observation = services.sppb_record(
            actor=actor_for(world.owner),
            person=world.person,
            observed_on=DAY,
            time_point="start",
            episode=episode,
            side_by_side_s="10",
            semi_tandem_s="10",
            tandem_s="4,2",
            gait_s="7,5",
            chair_s="13.69",
        )
    observation.refresh_from_db()
    assert observation.total == 3 + 2 + 3
    assert observation.higher_is_better and observation.recorded_by == world.owner
    assert observation.version == "SPPB (Guralnik 1994)"
    items = {i.code: i for i in ObservationItem.all_objects.filter(observation=observation)}
    assert items["balance_tandem"].seconds == Decimal("4.20")
    assert (items["balance"].points, items["gait"].points, items["chair"].points) == (3, 2, 3)
    assert items["gait"].seconds == Decimal("7.50")
    event = _events(object_type="observation").get()
    assert (event.action, event.object_id, event.person_id) == (
        "create",
        str(observation.pk),
        world.person.pk,
    )


def test_episode_of_another_person_is_refused(world):
    other = factories.PersonFactory(municipality=world.municipality)
    theirs = episode_for(other)
    with activate(world.municipality), pytest.raises(services.OutcomeError, match="annen person"):
        services.sppb_record(
            actor=actor_for(world.owner),
            person=world.person,
            observed_on=DAY,
            time_point="start",
            episode=theirs,
            balance=1,
            gait=1,
            chair=1,
        )
    assert not Observation.all_objects.exists()
    assert not _events(object_type="observation").exists()


def test_future_date_and_unknown_time_point_are_refused(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with activate(world.municipality):
        actor = actor_for(world.owner)
        with pytest.raises(services.OutcomeError, match="fram i tid"):
            services.psfs_record(
                actor=actor,
                person=world.person,
                observed_on=tomorrow,
                time_point="start",
                activities=[("A", 1), ("B", 2), ("C", 3)],
            )
        with pytest.raises(services.OutcomeError, match="tidspunkt"):
            services.psfs_record(
                actor=actor,
                person=world.person,
                observed_on=DAY,
                time_point="senere",
                activities=[("A", 1), ("B", 2), ("C", 3)],
            )
    assert not Observation.all_objects.exists()


def test_copm_psfs_and_function_totals_and_direction(world):
    observation = copm(world.owner, world.person)
    assert (observation.total, observation.total_secondary) == (Decimal("4.00"), Decimal("3.00"))
    with activate(world.municipality):
        actor = actor_for(world.owner)
        psfs = services.psfs_record(
            actor=actor,
            person=world.person,
            observed_on=DAY,
            time_point="midt",
            activities=[("Gå trapper", 2), ("Bære", 3), ("Sykle", 5)],
        )
        codes = list(
            FunctionVariable.all_objects.filter(municipality=world.municipality, is_active=True)
            .order_by("position")
            .values_list("code", flat=True)
        )
        function = services.function_record(
            actor=actor,
            person=world.person,
            observed_on=DAY,
            time_point="slutt",
            scores={codes[0]: 2, codes[1]: 9, codes[2]: 3, codes[3]: None},
        )
        with pytest.raises(services.OutcomeError, match="ikke er i bruk"):
            services.function_record(
                actor=actor,
                person=world.person,
                observed_on=DAY,
                time_point="slutt",
                scores={"finnes-ikke": 2},
            )
    assert psfs.total == Decimal("3.33") and psfs.higher_is_better
    assert function.total == Decimal("2.50") and not function.higher_is_better
    assert ObservationItem.all_objects.filter(observation=function).count() == 3
    assert _events(object_type="observation", action="create").count() == 3


def test_correcting_replaces_the_items_and_delete_is_audited(world):
    observation = copm(world.owner, world.person)
    with activate(world.municipality):
        actor = actor_for(world.owner)
        services.copm_record(
            actor=actor,
            person=world.person,
            observed_on=DAY,
            time_point="slutt",
            activities=[("Lage middag", 8, 9)],
            observation=observation,
        )
        observation.refresh_from_db()
        assert (observation.total, observation.time_point) == (Decimal("8.00"), "slutt")
        assert ObservationItem.all_objects.filter(observation=observation).count() == 1
        with pytest.raises(services.OutcomeError, match="samme instrument"):
            services.psfs_record(
                actor=actor,
                person=world.person,
                observed_on=DAY,
                time_point="slutt",
                activities=[("A", 1), ("B", 2), ("C", 3)],
                observation=observation,
            )
        pk = observation.pk
        services.observation_delete(actor=actor, observation=observation)
    assert not Observation.all_objects.filter(pk=pk).exists()
    assert not ObservationItem.all_objects.filter(observation_id=pk).exists()
    actions = list(
        _events(object_type="observation", object_id=str(pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_total_only_for_imports(world):
    episode = episode_for(world.person)
    with activate(world.municipality):
        actor = actor_for(world.owner)
        observation = services.observation_record_total(
            actor=actor,
            person=world.person,
            instrument="sppb",
            observed_on=DAY,
            time_point="start",
            total="7",
            episode=episode,
        )
        assert observation.total == 7 and observation.episode == episode
        with pytest.raises(services.OutcomeError, match="fra 0 til 12"):
            services.observation_record_total(
                actor=actor,
                person=world.person,
                instrument="sppb",
                observed_on=DAY,
                time_point="start",
                total="13",
            )


def test_threshold_set_is_audited_and_used(world):
    with activate(world.municipality):
        actor = actor_for(world.admin)
        assert selectors.threshold_for("copm") == Decimal("2")
        services.threshold_set(actor=actor, instrument="copm", meaningful_change="1,5")
        assert selectors.threshold_for("copm") == Decimal("1.5")
        assert selectors.thresholds()["sppb"] == Decimal("1")
        services.threshold_set(actor=actor, instrument="copm", meaningful_change="3")
        assert InstrumentThreshold.all_objects.get().meaningful_change == Decimal("3")
        for bad in ("0", "-1", "100", "1.25", "x"):
            with pytest.raises((services.OutcomeError, ScoringError)):
                services.threshold_set(actor=actor, instrument="copm", meaningful_change=bad)
        with pytest.raises(services.OutcomeError, match="Ukjent"):
            services.threshold_set(actor=actor, instrument="vekt", meaningful_change="1")
        services.threshold_set(actor=actor, instrument="copm", meaningful_change=None)
        assert selectors.threshold_for("copm") == Decimal("2")
    events = _events(object_type="instrument_threshold")
    assert events.count() == 3
    assert set(events.values_list("purpose", flat=True)) == {"administration"}


def test_series_changes_and_judgement(world):
    sppb(world.owner, world.person, on=datetime.date(2026, 1, 5), balance=1, gait=1, chair=1)
    sppb(world.owner, world.person, on=datetime.date(2026, 2, 5), balance=1, gait=2, chair=1)
    sppb(world.owner, world.person, on=datetime.date(2026, 3, 5), balance=2, gait=2, chair=2)
    sppb(world.owner, world.person, on=datetime.date(2026, 4, 5), balance=0, gait=1, chair=1)
    with activate(world.municipality):
        (series,) = selectors.person_series(world.person)
    assert [r.observation.total for r in series.rows] == [3, 4, 6, 2]
    assert [r.change_previous for r in series.rows] == [None, 1, 2, -4]
    assert [r.change_start for r in series.rows] == [None, 1, 3, -1]
    assert [r.judgement for r in series.rows] == ["", "improved", "improved", "worsened"]
    assert 'role="img"' in series.chart and "style=" not in series.chart
