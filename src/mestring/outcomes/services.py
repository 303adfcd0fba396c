"""Writes about outcome measures: record, correct and delete an observation, and the
municipality's threshold for a meaningful change.

One recorder per instrument computes the total from the items (scoring.py); each write
is one transaction with its audit row. A recorder given `observation=` corrects that
observation in place: its items are replaced and the total computed again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import AuditPurpose
from mestring.assessments.models import FunctionVariable
from mestring.kernel.audit_words import AuditAction
from mestring.kernel.errors import RuleBroken
from mestring.outcomes import scoring
from mestring.outcomes.models import (
    DEFAULT_VERSIONS,
    Instrument,
    InstrumentThreshold,
    Observation,
    ObservationItem,
    TimePoint,
)
from mestring.people.models import Person
from mestring.rehab.models import Episode

MAX_THRESHOLD = Decimal("99.9")

# SPPB item codes, in the order they are shown.
SPPB_BALANCE_TIMES = ("balance_side_by_side", "balance_semi_tandem", "balance_tandem")
SPPB_PARTS = ("balance", "gait", "chair")


class OutcomeError(RuleBroken):
    """A request the rules for measures do not allow; the message is for the user."""

    code = "outcome_rule"


RULE_ERRORS = (OutcomeError, scoring.ScoringError)


def _check(
    person: Person,
    instrument: str,
    observed_on: datetime.date,
    time_point: str,
    episode: Episode | None,
) -> None:
    if instrument not in Instrument.values:
        raise OutcomeError(_("Ukjent måleinstrument."))
    if time_point not in TimePoint.values:
        raise OutcomeError(_("Velg tidspunkt: oppstart, underveis, avslutning eller oppfølging."))
    if observed_on > timezone.localdate():
        raise OutcomeError(_("Datoen for målingen kan ikke være fram i tid."), field="observed_on")
    if episode is not None and episode.person_id != person.pk:
        raise OutcomeError(_("Forløpet gjelder en annen person."))


def _save(
    *,
    actor: Actor,
    person: Person,
    instrument: str,
    observed_on: datetime.date,
    time_point: str,
    episode: Episode | None,
    version: str,
    note: str,
    total: Decimal | int | None,
    total_secondary: Decimal | None = None,
    higher_is_better: bool = True,
    items: list[ObservationItem],
    observation: Observation | None = None,
) -> Observation:
    if observation is not None and (
        observation.instrument != instrument or observation.person_id != person.pk
    ):
        raise OutcomeError(_("Målingen kan bare rettes med samme instrument."))
    _check(person, instrument, observed_on, time_point, episode)
    created = observation is None
    with transaction.atomic():
        if observation is None:
            observation = Observation(person=person, instrument=instrument)
            observation.recorded_by = actor.staff
        observation.episode = episode
        observation.version = (version or "").strip()[:60] or DEFAULT_VERSIONS[instrument]
        observation.observed_on = observed_on
        observation.time_point = time_point
        observation.total = None if total is None else Decimal(total)
        observation.total_secondary = total_secondary
        observation.higher_is_better = higher_is_better
        observation.note = (note or "").strip()[:500]
        observation.save()
        if not created:
            ObservationItem.objects.filter(observation=observation).delete()
        for position, item in enumerate(items):
            item.observation = observation
            item.position = position
            item.municipality_id = observation.municipality_id
        ObservationItem.objects.bulk_create(items)
        record_event(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="observation",
            object_id=observation.pk,
            person=person,
        )
    return observation


def sppb_record(
    *,
    actor: Actor,
    person: Person,
    observed_on: datetime.date,
    time_point: str,
    episode: Episode | None = None,
    version: str = "",
    note: str = "",
    side_by_side_s: scoring.Number | None = None,
    semi_tandem_s: scoring.Number | None = None,
    tandem_s: scoring.Number | None = None,
    gait_s: scoring.Number | None = None,
    chair_s: scoring.Number | None = None,
    balance: scoring.Number | None = None,
    gait: scoring.Number | None = None,
    chair: scoring.Number | None = None,
    observation: Observation | None = None,
) -> Observation:
    """SPPB from the times (converted with the standard bands) or points per part."""
    result = scoring.sppb_score(
        side_by_side_s=side_by_side_s,
        semi_tandem_s=semi_tandem_s,
        tandem_s=tandem_s,
        gait_s=gait_s,
        chair_s=chair_s,
        balance=balance,
        gait=gait,
        chair=chair,
    )
    items = [
        ObservationItem(code=code, seconds=seconds)
        for code, seconds in zip(
            SPPB_BALANCE_TIMES,
            (result.side_by_side_s, result.semi_tandem_s, result.tandem_s),
            strict=True,
        )
        if seconds is not None
    ]
    items += [
        ObservationItem(code="balance", points=result.balance),
        ObservationItem(code="gait", points=result.gait, seconds=result.gait_s),
        ObservationItem(code="chair", points=result.chair, seconds=result.chair_s),
    ]
    return _save(
        actor=actor,
        person=person,
        instrument=Instrument.SPPB,
        observed_on=observed_on,
        time_point=time_point,
        episode=episode,
        version=version,
        note=note,
        total=result.total,
        items=items,
        observation=observation,
    )


def copm_record(
    *,
    actor: Actor,
    person: Person,
    observed_on: datetime.date,
    time_point: str,
    activities: Iterable[tuple[str, scoring.Number, scoring.Number]],
    episode: Episode | None = None,
    version: str = "",
    note: str = "",
    observation: Observation | None = None,
) -> Observation:
    """COPM: (activity, performance, satisfaction) for 1–5 activities; the total is the
    mean performance and the secondary total the mean satisfaction."""
    checked = scoring.copm_activities(activities)
    performance, satisfaction = scoring.copm_scores(checked)
    items = [
        ObservationItem(
            label=activity.label, points=activity.score, points_secondary=activity.satisfaction
        )
        for activity in checked
    ]
    return _save(
        actor=actor,
        person=person,
        instrument=Instrument.COPM,
        observed_on=observed_on,
        time_point=time_point,
        episode=episode,
        version=version,
        note=note,
        total=performance,
        total_secondary=satisfaction,
        items=items,
        observation=observation,
    )


def psfs_record(
    *,
    actor: Actor,
    person: Person,
    observed_on: datetime.date,
    time_point: str,
    activities: Iterable[tuple[str, scoring.Number]],
    episode: Episode | None = None,
    version: str = "",
    note: str = "",
    observation: Observation | None = None,
) -> Observation:
    """PSFS: (activity, score 0–10) for 3–5 activities; the total is the mean, and
    higher is better (stored with the score)."""
    checked = scoring.psfs_activities(activities)
    items = [ObservationItem(label=activity.label, points=activity.score) for activity in checked]
    return _save(
        actor=actor,
        person=person,
        instrument=Instrument.PSFS,
        observed_on=observed_on,
        time_point=time_point,
        episode=episode,
        version=version,
        note=note,
        total=scoring.psfs_score(checked),
        higher_is_better=True,
        items=items,
        observation=observation,
    )


def function_record(
    *,
    actor: Actor,
    person: Person,
    observed_on: datetime.date,
    time_point: str,
    scores: Mapping[str, scoring.Number | None],
    episode: Episode | None = None,
    version: str = "",
    note: str = "",
    observation: Observation | None = None,
) -> Observation:
    """The functional variables in use, {code: 1–5 or 9}; unanswered (None) left out.
    The total is the mean over the scores 1–5, and lower is better."""
    variables = {
        variable.code: variable for variable in FunctionVariable.objects.filter(is_active=True)
    }
    answered = {code: value for code, value in scores.items() if value not in (None, "")}
    if set(answered) - set(variables):
        raise OutcomeError(_("Målingen inneholder en variabel som ikke er i bruk."))
    total = scoring.function_score(answered)
    items = [
        ObservationItem(code=code, label=variables[code].name[:200], points=int(answered[code]))
        for code in variables
        if code in answered
    ]
    return _save(
        actor=actor,
        person=person,
        instrument=Instrument.FUNCTION,
        observed_on=observed_on,
        time_point=time_point,
        episode=episode,
        version=version,
        note=note,
        total=total,
        higher_is_better=False,
        items=items,
        observation=observation,
    )


def observation_record_total(
    *,
    actor: Actor,
    person: Person,
    instrument: str,
    observed_on: datetime.date,
    time_point: str,
    total: scoring.Number,
    total_secondary: scoring.Number | None = None,
    episode: Episode | None = None,
    version: str = "",
    note: str = "",
) -> Observation:
    """An observation known only by its total (imports of earlier results): SPPB 0–12,
    COPM and PSFS their means. No items are stored."""
    value = scoring.to_decimal(total)
    ranges: dict[str, tuple[int, int]] = {
        Instrument.SPPB: (0, 12),
        Instrument.COPM: (1, 10),
        Instrument.PSFS: (0, 10),
        Instrument.FUNCTION: (1, 5),
    }
    low, high = ranges.get(instrument, (0, 0))
    if not low <= value <= high:
        raise OutcomeError(
            _("Skåren må være fra %(low)s til %(high)s.") % {"low": low, "high": high}
        )
    secondary = None if total_secondary in (None, "") else scoring.to_decimal(total_secondary)
    if secondary is not None and not 1 <= secondary <= 10:
        raise OutcomeError(_("Tilfredsheten må være fra 1 til 10."))
    return _save(
        actor=actor,
        person=person,
        instrument=instrument,
        observed_on=observed_on,
        time_point=time_point,
        episode=episode,
        version=version,
        note=note,
        total=value.quantize(scoring.HUNDREDTH),
        total_secondary=None if secondary is None else secondary.quantize(scoring.HUNDREDTH),
        higher_is_better=instrument != Instrument.FUNCTION,
        items=[],
    )


def observation_delete(*, actor: Actor, observation: Observation) -> Observation:
    """Delete an observation recorded by mistake; the audit row keeps that it existed."""
    with transaction.atomic():
        pk, person = observation.pk, observation.person
        observation.delete()
        record_event(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="observation",
            object_id=pk,
            person=person,
        )
    observation.pk = pk
    return observation


def threshold_set(
    *, actor: Actor, instrument: str, meaningful_change: scoring.Number | None
) -> InstrumentThreshold | None:
    """The municipality's own threshold for an instrument; None goes back to the default."""
    if instrument not in Instrument.values:
        raise OutcomeError(_("Ukjent måleinstrument."))
    with transaction.atomic():
        if meaningful_change is None or meaningful_change == "":
            InstrumentThreshold.objects.filter(instrument=instrument).delete()
            threshold = None
        else:
            value = scoring.to_decimal(meaningful_change)
            if value <= 0 or value > MAX_THRESHOLD:
                raise OutcomeError(_("Terskelen må være et tall over 0 og høyst 99,9."))
            if value != value.quantize(Decimal("0.1")):
                raise OutcomeError(_("Terskelen kan ha høyst én desimal."))
            threshold, _created = InstrumentThreshold.objects.update_or_create(
                instrument=instrument, defaults={"meaningful_change": value}
            )
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="instrument_threshold",
            object_id=instrument,
            purpose=AuditPurpose.ADMINISTRATION,
        )
    return threshold
