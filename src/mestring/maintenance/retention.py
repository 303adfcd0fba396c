"""What has passed its retention period, and deleting or anonymising it.

A record is due when it ended (closed, discharged, returned…) more than its period
ago. Deleting goes leaves-first (loans, stays, episodes, plans, cases, referrals) and
each record in its own savepoint: a record still referenced by something that is not
yet due (a decision that a running loan rests on) stays, and is reported as kept.
Audit rows are never deleted (see models.py). Removing domain rows does not touch
the audit chain: its hashes cover the audit rows only, and a row names other records
by id, so the chain still verifies after a run.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, models, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone

from mestring.access.models import AuditEvent, Consent
from mestring.assessments.models import Assessment
from mestring.casework.models import Appeal, Case, CaseStatus, Decision
from mestring.devices.models import Loan
from mestring.institutions.models import Stay
from mestring.maintenance.models import PERIOD_FIELDS, RetentionPolicy
from mestring.outcomes.models import Observation
from mestring.people.models import Person, Relative, UnitInvolvement
from mestring.plans.models import IndividualPlan, PlanStatus
from mestring.referrals.models import Referral, ReferralStatus
from mestring.rehab.models import Episode, EpisodeStatus

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


def due_audit(m: int, cutoff: datetime.date) -> models.QuerySet:
    return AuditEvent.all_objects.filter(municipality_id=m, occurred_at__lt=_start_of(cutoff))


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


@dataclass(frozen=True)
class Kind:
    code: str
    period_field: str
    due: Callable[[int, datetime.date], models.QuerySet]
    delete: Callable[[models.Model], None] | None  # None: never deleted by the job

    @property
    def label(self) -> str:
        return str(PERIOD_FIELDS[self.period_field][1])


# Leaves first: what rests on a decision, a plan or a referral goes before it.
KINDS: tuple[Kind, ...] = (
    Kind("loans", "loans_years", due_loans, _delete_plain),
    Kind("stays", "stays_years", due_stays, _delete_plain),
    Kind("episodes", "episodes_years", due_episodes, _delete_episode),
    Kind("plans", "plans_years", due_plans, _delete_plain),
    Kind("cases", "cases_years", due_cases, _delete_case),
    Kind("referrals", "referrals_years", due_referrals, _delete_plain),
    Kind("audit", "audit_years", due_audit, None),
)


@dataclass
class KindResult:
    code: str
    label: str
    years: int
    cutoff: datetime.date
    due_ids: list[int] = field(default_factory=list)
    done_ids: list[int] = field(default_factory=list)
    kept_ids: list[int] = field(default_factory=list)  # still referenced, or never deleted
    action: str = "delete"

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.code,
            "label": self.label,
            "years": self.years,
            "cutoff": self.cutoff.isoformat(),
            "action": self.action,
            "due": len(self.due_ids),
            "done": len(self.done_ids),
            "kept": len(self.kept_ids),
            "due_ids": self.due_ids,
            "done_ids": self.done_ids,
            "kept_ids": self.kept_ids,
        }


# --- persons ---------------------------------------------------------------------------


def _protecting_relations() -> list[models.ManyToOneRel]:
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
            rel.related_model.all_objects.filter(**{rel.field.name: person}).delete()
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
        result = KindResult(kind.code, kind.label, years, cutoff, due_ids=ids)
        if kind.delete is None:
            result.action = "keep"
            result.kept_ids = list(ids)
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


def execute(municipality_id: int, today: datetime.date | None = None) -> list[KindResult]:
    """Delete and anonymise what is due. The caller holds the transaction and audits."""
    today = today or timezone.localdate()
    policy = policy_for(municipality_id)
    results = []
    for kind in KINDS:
        years = getattr(policy, kind.period_field)
        cutoff = years_before(today, years)
        queryset = kind.due(municipality_id, cutoff).order_by("pk")
        result = KindResult(kind.code, kind.label, years, cutoff)
        if kind.delete is None:
            result.action = "keep"
            result.due_ids = result.kept_ids = list(queryset.values_list("pk", flat=True))
            results.append(result)
            continue
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
