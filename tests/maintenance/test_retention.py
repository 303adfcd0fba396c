"""Retention: periods per municipality, dry run, deletion and anonymisation, audited."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mestring.access.actor import system_actor
from mestring.access.audit import record_event, verify_chain
from mestring.access.models import AuditCheckpoint, AuditEvent
from mestring.casework.models import Case, Decision, LegalBasis
from mestring.maintenance.models import RetentionPolicy
from mestring.maintenance.retention import ANONYMOUS_NAME
from mestring.people.models import Person, Relative
from mestring.referrals.models import Referral, ReferralStatusChange
from tests import factories
from tests.referrals.helpers import make_referral

pytestmark = pytest.mark.urls("tests.maintenance.urls")

TODAY = timezone.localdate  # called per use: a run may pass midnight


def LONG_AGO() -> datetime.date:
    return TODAY() - datetime.timedelta(days=365 * 12)


def RECENTLY() -> datetime.date:
    return TODAY() - datetime.timedelta(days=365 * 2)


def closed_referral(person: Person, ended: datetime.date) -> Referral:
    referral = make_referral(person, status="avsluttet", received_on=ended)
    moment = timezone.make_aware(datetime.datetime.combine(ended, datetime.time(12)))
    ReferralStatusChange.all_objects.filter(referral=referral).update(changed_at=moment)
    return referral


def closed_case(world, person: Person, closed_on: datetime.date, referral=None) -> Case:
    case = Case.all_objects.create(
        municipality=world.municipality,
        person=person,
        referral=referral,
        kind="ip_koordinator",
        received_on=closed_on - datetime.timedelta(days=30),
        status="avsluttet",
        closed_on=closed_on,
    )
    Decision.all_objects.create(
        municipality=world.municipality,
        case=case,
        subject="individuell_plan",
        outcome="innvilget",
        reasons="Behov for koordinerte tjenester.",
        legal_basis=LegalBasis.all_objects.get(
            municipality=world.municipality, code="individuell-plan"
        ),
        decided_on=closed_on - datetime.timedelta(days=10),
        decided_by=world.caseworker,
    )
    return case


def age_person(person: Person) -> None:
    moment = timezone.make_aware(datetime.datetime.combine(LONG_AGO(), datetime.time(12)))
    Person.all_objects.filter(pk=person.pk).update(updated_at=moment)


@pytest.fixture
def old_world(world):
    """A forgotten person (everything long ended), and one with current records."""
    forgotten = factories.PersonFactory(
        municipality=world.municipality, given_name="Glemt", family_name="Gammelsen"
    )
    factories.RelativeFactory(municipality=world.municipality, person=forgotten)
    old_referral = closed_referral(forgotten, LONG_AGO())
    old_case = closed_case(world, forgotten, LONG_AGO())
    age_person(forgotten)
    # The current person: one old referral that a recent case still rests on, one
    # recent referral.
    rests_on = closed_referral(world.person, LONG_AGO())
    recent_case = closed_case(world, world.person, RECENTLY(), referral=rests_on)
    recent = closed_referral(world.person, RECENTLY())
    # Audit rows about the forgotten person, as any real record would have.
    record_event(
        actor=system_actor(world.municipality),
        action="view",
        object_type="person",
        person=forgotten,
    )
    return {
        "forgotten": forgotten,
        "old_referral": old_referral,
        "old_case": old_case,
        "rests_on": rests_on,
        "recent_case": recent_case,
        "recent": recent,
    }


def run(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("retention", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def kinds(report: list[dict]) -> dict[str, dict]:
    return {k["kind"]: k for k in report[0]["kinds"]}


def test_dry_run_lists_what_is_due_and_changes_nothing(world, old_world):
    events_before = AuditEvent.all_objects.count()
    report = kinds(run("--municipality", "9001", "--dry-run"))
    assert report["referrals"]["due_ids"] == sorted(
        [old_world["old_referral"].pk, old_world["rests_on"].pk]
    )
    assert report["cases"]["due_ids"] == [old_world["old_case"].pk]
    assert report["referrals"]["years"] == 10
    # The forgotten person still has records, so is not yet due for anonymising.
    assert report["persons"]["due_ids"] == []
    assert Referral.all_objects.count() == 3
    assert AuditEvent.all_objects.count() == events_before
    text = io.StringIO()
    call_command("retention", "--municipality", "9001", "--dry-run", stdout=text)
    assert "Prøvekjøring" in text.getvalue()
    assert str(old_world["old_referral"].pk) in text.getvalue()


def test_run_deletes_what_is_due_keeps_what_is_referenced_and_anonymises(world, old_world):
    report = kinds(run("--municipality", "9001"))
    forgotten = old_world["forgotten"]
    # Deleted: the forgotten person's case (with its decision) and referral.
    assert not Case.all_objects.filter(pk=old_world["old_case"].pk).exists()
    assert not Decision.all_objects.filter(case_id=old_world["old_case"].pk).exists()
    assert not Referral.all_objects.filter(pk=old_world["old_referral"].pk).exists()
    # Kept: the old referral a recent case rests on, and everything recent.
    assert Referral.all_objects.filter(pk=old_world["rests_on"].pk).exists()
    assert report["referrals"]["kept_ids"] == [old_world["rests_on"].pk]
    assert Referral.all_objects.filter(pk=old_world["recent"].pk).exists()
    assert Case.all_objects.filter(pk=old_world["recent_case"].pk).exists()
    # The forgotten person had nothing left: anonymised, not deleted (the log names them).
    forgotten.refresh_from_db()
    assert forgotten.given_name == ANONYMOUS_NAME
    assert forgotten.national_id == "" and forgotten.phone == "" and forgotten.email == ""
    assert "Gammelsen" not in forgotten.family_name
    assert not Relative.all_objects.filter(person=forgotten).exists()
    assert report["persons"]["done_ids"] == [forgotten.pk]
    # The current person is untouched.
    world.person.refresh_from_db()
    assert world.person.given_name == "Gunnhild"
    # One summary event per kind, and the chain still verifies.
    summary = AuditEvent.all_objects.filter(object_type__startswith="retention:")
    assert sorted(summary.values_list("object_type", flat=True)) == sorted(
        f"retention:{k}" for k in report
    )
    assert summary.get(object_type="retention:referrals").object_id == "1 av 2"
    assert verify_chain(world.municipality.pk) is None
    # A second run finds nothing more to do.
    again = kinds(run("--municipality", "9001"))
    assert again["referrals"]["done_ids"] == [] and again["persons"]["due_ids"] == []


def test_audit_rows_past_their_period_go_behind_a_checkpoint(world, old_world, settings):
    record_event(
        actor=system_actor(world.municipality),
        action="view",
        object_type="person",
        person=world.person,
    )
    before = AuditEvent.all_objects.filter(municipality=world.municipality).count()
    settings.MESTRING_AUDIT_MIN_YEARS = 1  # the installation allows it
    RetentionPolicy.all_objects.create(municipality=world.municipality, audit_years=1)
    # Look ahead in time: every row written so far is then past its period.
    from mestring.maintenance import retention
    from mestring.tenancy.context import activate

    with activate(world.municipality):
        results = {
            r.code: r
            for r in retention.execute(world.municipality.pk, TODAY() + datetime.timedelta(800))
        }
    assert (results["audit"].due, results["audit"].done) == (before, before)
    assert results["audit"].action == "delete"
    assert AuditCheckpoint.all_objects.get(municipality=world.municipality).removed == before
    # Only the pruning's own event is left, and the chain verifies from the checkpoint.
    left = AuditEvent.all_objects.filter(municipality=world.municipality)
    assert list(left.values_list("action", flat=True)) == ["audit_prune"]
    assert verify_chain(world.municipality.pk) is None


def test_periods_are_per_municipality(world, old_world):
    RetentionPolicy.all_objects.create(municipality=world.municipality, referrals_years=1)
    report = kinds(run("--municipality", "9001", "--dry-run"))
    assert old_world["recent"].pk in report["referrals"]["due_ids"]
    # Another municipality with its own old record is left alone by --municipality 9001.
    elsewhere = factories.make_municipality("9002", "Nabokommune")
    stranger = factories.PersonFactory(municipality=elsewhere)
    theirs = closed_referral(stranger, LONG_AGO())
    run("--municipality", "9001")
    assert Referral.all_objects.filter(pk=theirs.pk).exists()
    assert not AuditEvent.all_objects.filter(
        municipality=elsewhere, object_type__startswith="retention:"
    ).exists()
    other_report = kinds(run("--municipality", "9002", "--dry-run"))
    assert other_report["referrals"]["years"] == 10
    assert other_report["referrals"]["due_ids"] == [theirs.pk]


# --- the settings page ------------------------------------------------------------------


def test_admin_sets_the_periods(world, client_for):
    url = reverse("maintenance:retention_settings")
    client = client_for(world.admin)
    page = client.get(url)
    assert page.status_code == 200
    assert "Oppbevaringstider" in page.content.decode()
    data = {
        "referrals_years": 8,
        "cases_years": 10,
        "plans_years": 10,
        "episodes_years": 10,
        "stays_years": 10,
        "loans_years": 3,
        "audit_years": 10,
        "persons_years": 10,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    policy = RetentionPolicy.all_objects.get(municipality=world.municipality)
    assert policy.referrals_years == 8 and policy.loans_years == 3
    assert AuditEvent.all_objects.filter(
        object_type="retention_policy", action="update", username=world.admin.user.username
    ).exists()
    # Bad input is an error on the form that keeps what was typed, never a 500.
    bad = client.post(url, {**data, "referrals_years": "tretten", "loans_years": 0})
    assert bad.status_code == 200
    assert "tretten" in bad.content.decode()
    policy.refresh_from_db()
    assert policy.referrals_years == 8


def test_settings_page_refused_without_admin_permission(world, client_for):
    url = reverse("maintenance:retention_settings")
    for staff in (world.outsider, world.owner, world.caseworker, world.read_only):
        assert client_for(staff).get(url).status_code == 403, staff
        response = client_for(staff).post(url, {"referrals_years": 1})
        assert response.status_code == 403
    assert not RetentionPolicy.all_objects.exists()


def test_settings_are_per_municipality(world, client_for):
    elsewhere = factories.make_municipality("9002", "Nabokommune")
    RetentionPolicy.all_objects.create(municipality=elsewhere, referrals_years=2)
    page = client_for(world.admin).get(reverse("maintenance:retention_settings"))
    # The form shows this municipality's (default) periods, not the neighbour's.
    assert page.context["form"].initial["referrals_years"] == 10
