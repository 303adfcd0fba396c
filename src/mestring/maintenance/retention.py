"""What has passed its retention period, and deleting or anonymising it.

A record is due when it ended (closed, discharged, returned…) more than its period
ago. Deleting goes leaves-first (loans, stays, episodes, plans, cases, referrals) and
each record in its own savepoint: a record still referenced by something that is not
yet due (a decision that a running loan rests on) stays, and is reported as kept.
Removing domain rows does not touch the audit chain: its hashes cover the audit rows
only, and a row names other records by id, so the chain still verifies after a run.

Audit rows past their period are removed only as the oldest part of the chain
(`access.audit.audit_prune`): a checkpoint with the hash of the last removed row is
written first and the pruning is itself logged, so `mestring audit verify` still
checks the rest. They are counted, not listed by id (there may be millions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel, Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor, system_actor
from mestring.access.audit import AuditPruneRefused, audit_prune, prune_plan
from mestring.access.models import Consent
from mestring.assessments.models import Assessment
from mestring.casework.models import Appeal, Case, CaseStatus, Decision
from mestring.devices.models import Loan
from mestring.institutions.models import Stay
from mestring.maintenance.models import PERIOD_FIELDS, RetentionPolicy, audit_min_years
from mestring.outcomes.models import Observation
from mestring.people.models import Person, Relative, UnitInvolvement
from mestring.plans.models import IndividualPlan, PlanStatus
from mestring.referrals.models import Referral, ReferralStatus
from mestring.rehab.models import Episode, EpisodeStatus
from mestring.tenancy.models import Municipality, MunicipalityOwned

ANONYMOUS_NAME = "Anonymisert"
REFERRAL_FINAL = (ReferralStatus.CASE_OPENED, ReferralStatus.FORWARDED, ReferralStatus.CLOSED)
EPISODE_FINAL = (EpisodeStatus.NOT_RELEVANT, EpisodeStatus.COMPLETED, EpisodeStatus.DISCONTINUED)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def policy_for(municipality_id: int) -> RetentionPolicy:
    """The municipality's periods, or the defaults when it has not chosen any."""
    policy = RetentionPolicy.all_objects.filter(municipality_id=municipality_id).first()
    return policy or RetentionPolicy(municipality_id=municipality_id)


# --- what is due, per kind -------------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def due_referrals(m: int, cutoff: datetime.date) -> models.QuerySet:
    return (
        Referral.all_objects.filter(municipality_id=m, status__in=REFERRAL_FINAL)
        .annotate(ended=Max("history__changed_at"))
        .filter(
            models.Q(ended__lt=_start_of(cutoff))
            | models.Q(ended__isnull=True, received_on__lt=cutoff)
        )
    )


def due_cases(m: int, cutoff: datetime.date) -> models.QuerySet:
    return Case.all_objects.filter(
        municipality_id=m, status=CaseStatus.CLOSED, closed_on__lt=cutoff
    )


def due_plans(m: int, cutoff: datetime.date) -> models.QuerySet:
    return IndividualPlan.all_objects.filter(
        municipality_id=m, status=PlanStatus.CLOSED, closed_on__lt=cutoff
    )


def due_episodes(m: int, cutoff: datetime.date) -> models.QuerySet:
    return (
        Episode.all_objects.filter(municipality_id=m, status__in=EPISODE_FINAL)
        .annotate(ended=Max("history__changed_at"))
        .filter(ended__lt=_start_of(cutoff))
    )


def due_stays(m: int, cutoff: datetime.date) -> models.QuerySet:
    return Stay.all_objects.filter(municipality_id=m, discharged_on__lt=cutoff)


def due_loans(m: int, cutoff: datetime.date) -> models.QuerySet:
    return Loan.all_objects.filter(municipality_id=m, returned_on__lt=cutoff)


def _delete_case(case: Case) -> None:
    Appeal.all_objects.filter(decision__case=case).delete()
    # Newest first, so a decision that replaced another goes before the one it replaced.
    for decision in Decision.all_objects.filter(case=case).order_by("-pk"):
        decision.delete()
    Assessment.all_objects.filter(case=case).delete()
    case.delete()


def _delete_episode(episode: Episode) -> None:
    # Measurements taken in the episode belong to it and end with it.
    Observation.all_objects.filter(episode=episode).delete()
    episode.delete()


def _delete_plain(obj: models.Model) -> None:
    obj.delete()


M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Kind(Generic[M]):
    code: str
    period_field: str
    due: Callable[[int, datetime.date], models.QuerySet[M]]
    delete: Callable[[M], None]

    @property
    def label(self) -> str:
        return str(PERIOD_FIELDS[self.period_field][1])


# Leaves first: what rests on a decision, a plan or a referral goes before it.
KINDS: tuple[Kind[Any], ...] = (
    Kind("loans", "loans_years", due_loans, _delete_plain),
    Kind("stays", "stays_years", due_stays, _delete_plain),
    Kind("episodes", "episodes_years", due_episodes, _delete_episode),
    Kind("plans", "plans_years", due_plans, _delete_plain),
    Kind("cases", "cases_years", due_cases, _delete_case),
    Kind("referrals", "referrals_years", due_referrals, _delete_plain),
)
AUDIT_CODE = "audit"


@dataclass
class KindResult:
    code: str
    label: str
    years: int
    cutoff: datetime.date
    due_ids: list[int] = field(default_factory=list)
    done_ids: list[int] = field(default_factory=list)
    kept_ids: list[int] = field(default_factory=list)  # still referenced
    action: str = "delete"
    # Kinds counted rather than listed (audit rows) set these instead of the id lists.
    due_count: int | None = None
    done_count: int | None = None
    kept_count: int | None = None
    note: str = ""  # why some were kept, for the operator

    @property
    def due(self) -> int:
        return len(self.due_ids) if self.due_count is None else self.due_count

    @property
    def done(self) -> int:
        return len(self.done_ids) if self.done_count is None else self.done_count

    @property
    def kept(self) -> int:
        return len(self.kept_ids) if self.kept_count is None else self.kept_count

    @property
    def would(self) -> int:
        """What a run would delete or anonymise (the dry run's figure)."""
        return self.due - self.kept

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.code,
            "label": self.label,
            "years": self.years,
            "cutoff": self.cutoff.isoformat(),
            "action": self.action,
            "due": self.due,
            "done": self.done,
            "kept": self.kept,
            "note": self.note,
            "due_ids": self.due_ids,
            "done_ids": self.done_ids,
            "kept_ids": self.kept_ids,
        }


# --- persons ---------------------------------------------------------------------------


def _protecting_relations() -> list[ForeignObjectRel]:
    """Relations whose rows are the person's records (they protect the person row)."""
    return [
        rel
        for rel in Person._meta.related_objects
        if not rel.many_to_many and rel.on_delete is models.PROTECT
    ]


def persons_due(m: int, cutoff: datetime.date) -> models.QuerySet:
    """Persons without any record left, unchanged since before the cutoff, not yet anonymised."""
    queryset = Person.all_objects.filter(municipality_id=m, updated_at__lt=_start_of(cutoff))
    queryset = queryset.exclude(given_name=ANONYMOUS_NAME, national_id="")
    for rel in _protecting_relations():
        queryset = queryset.filter(**{f"{rel.get_accessor_name()}__isnull": True})
    return queryset.distinct()


def anonymise_person(person: Person) -> None:
    """Replace what identifies the person; the row stays for the access log's sake."""
    Relative.all_objects.filter(person=person).delete()
    UnitInvolvement.all_objects.filter(person=person).delete()
    Consent.all_objects.filter(person=person).delete()
    for rel in Person._meta.related_objects:
        # The person's own messages and comments on min side hold health text.
        if rel.related_model._meta.app_label == "portal":
            # Every model of min side is MunicipalityOwned, with its unscoped manager.
            portal_model = cast(type[MunicipalityOwned], rel.related_model)
            portal_model.all_objects.filter(**{rel.field.name: person}).delete()
    Person.all_objects.filter(pk=person.pk).update(
        given_name=ANONYMOUS_NAME,
        family_name=f"#{person.pk}",
        national_id="",
        national_id_kind="",
        birth_date=person.birth_date.replace(month=1, day=1),
        phone="",
        email="",
        street_address="",
        postal_code="",
        postal_town="",
        updated_at=timezone.now(),
    )


# --- the run ---------------------------------------------------------------------------


def plan(municipality_id: int, today: datetime.date | None = None) -> list[KindResult]:
    """What a run would do today (the dry run's answer); nothing is changed."""
    today = today or timezone.localdate()
    policy = policy_for(municipality_id)
    results = []
    for kind in KINDS:
        years = getattr(policy, kind.period_field)
        cutoff = years_before(today, years)
        ids = list(kind.due(municipality_id, cutoff).order_by("pk").values_list("pk", flat=True))
        results.append(KindResult(kind.code, kind.label, years, cutoff, due_ids=ids))
    result = _audit_result(policy, today)
    pruning = prune_plan(municipality_id, _start_of(result.cutoff))
    result.due_count, result.done_count = pruning.due, 0
    result.kept_count, result.note = pruning.kept, _kept_note(pruning.kept)
    results.append(result)
    years = policy.persons_years
    cutoff = years_before(today, years)
    person_ids = list(
        persons_due(municipality_id, cutoff).order_by("pk").values_list("pk", flat=True)
    )
    results.append(
        KindResult(
            "persons",
            str(PERIOD_FIELDS["persons_years"][1]),
            years,
            cutoff,
            due_ids=person_ids,
            action="anonymise",
        )
    )
    return results


def _audit_result(policy: RetentionPolicy, today: datetime.date) -> KindResult:
    # Never below the installation's minimum, whatever the policy row says.
    years = max(policy.audit_years, audit_min_years())
    label = str(PERIOD_FIELDS["audit_years"][1])
    return KindResult(AUDIT_CODE, label, years, years_before(today, years))


def _kept_note(kept: int) -> str:
    if not kept:
        return ""
    return _(
        "%(kept)s gamle rader kommer etter en nyere rad i kjeden og blir stående til "
        "den nyere raden også har passert tiden."
    ) % {"kept": kept}


def prune_audit(actor: Actor, policy: RetentionPolicy, today: datetime.date) -> KindResult:
    """Remove the audit rows past their period, behind a checkpoint (in a savepoint)."""
    result = _audit_result(policy, today)
    try:
        pruning, _checkpoint = audit_prune(actor=actor, before=_start_of(result.cutoff))
    except AuditPruneRefused as refused:
        pruning = prune_plan(actor.municipality.pk, _start_of(result.cutoff))
        result.due_count, result.done_count, result.kept_count = pruning.due, 0, pruning.due
        result.note = str(refused)
        return result
    result.due_count, result.done_count = pruning.due, pruning.removable
    result.kept_count, result.note = pruning.kept, _kept_note(pruning.kept)
    return result


def execute(
    municipality_id: int, today: datetime.date | None = None, *, actor: Actor | None = None
) -> list[KindResult]:
    """Delete and anonymise what is due. The caller holds the transaction and audits the
    run; the audit rows' pruning logs its own checkpoint event as `actor`."""
    today = today or timezone.localdate()
    policy = policy_for(municipality_id)
    if actor is None:
        actor = system_actor(Municipality.objects.get(pk=municipality_id), label="retention")
    results = []
    for kind in KINDS:
        years = getattr(policy, kind.period_field)
        cutoff = years_before(today, years)
        queryset = kind.due(municipality_id, cutoff).order_by("pk")
        result = KindResult(kind.code, kind.label, years, cutoff)
        for obj in queryset:
            result.due_ids.append(obj.pk)
            try:
                with transaction.atomic():
                    kind.delete(obj)
            except (ProtectedError, IntegrityError):
                result.kept_ids.append(obj.pk)
            else:
                result.done_ids.append(obj.pk)
        results.append(result)
    results.append(prune_audit(actor, policy, today))
    # Persons last: the deletions above may have left some without any record.
    years = policy.persons_years
    cutoff = years_before(today, years)
    persons = KindResult(
        "persons", str(PERIOD_FIELDS["persons_years"][1]), years, cutoff, action="anonymise"
    )
    for person in persons_due(municipality_id, cutoff).order_by("pk"):
        persons.due_ids.append(person.pk)
        try:
            with transaction.atomic():
                anonymise_person(person)
        except (ProtectedError, IntegrityError):
            persons.kept_ids.append(person.pk)
        else:
            persons.done_ids.append(person.pk)
    results.append(persons)
    return results
