"""Register, start and end a frisklivsresept: the rules, the history, the audit rows and
the contact's care relation, which lasts as long as the prescription runs."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.friskliv import services
from mestring.friskliv.models import PrescriptionStatus, PrescriptionStatusChange
from mestring.kernel.states import TransitionNotAllowed
from mestring.tenancy.context import activate
from tests import factories
from tests.friskliv.helpers import DAY, actor_for, register

pytestmark = pytest.mark.django_db


def _relation_active(relation: CareRelation) -> bool:
    relation.refresh_from_db()
    return relation.valid_to is None or relation.valid_to > timezone.now()


def test_register_grants_the_contact_a_provider_relation_and_audits(world):
    contact = factories.StaffFactory(municipality=world.municipality)
    before = AuditEvent.all_objects.count()
    prescription = register(world.owner, world.person, contact=contact)
    assert prescription.status == PrescriptionStatus.REFERRED
    assert prescription.completed is None and prescription.period_weeks == 12
    relation = prescription.care_relation
    assert (relation.staff, relation.kind) == (contact, "tjenesteyter")
    assert _relation_active(relation)
    events = AuditEvent.all_objects.filter(seq__gt=0).order_by("-seq")[:2]
    assert AuditEvent.all_objects.count() == before + 2  # the relation and the prescription
    assert {(e.object_type, e.action) for e in events} == {
        ("care_relation", "grant"),
        ("prescription", "create"),
    }
    assert PrescriptionStatusChange.all_objects.filter(prescription=prescription).count() == 1


def test_contact_defaults_to_the_actor(world):
    prescription = register(world.owner, world.person)
    assert prescription.contact == world.owner


def test_start_then_end_completed_ends_the_relation(world):
    prescription = register(world.owner, world.person)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        services.prescription_start(
            actor=actor, prescription=prescription, start_date=DAY, period_weeks=10
        )
        assert prescription.planned_end == DAY + datetime.timedelta(weeks=10)
        services.prescription_end(
            actor=actor,
            prescription=prescription,
            ended_on=DAY + datetime.timedelta(weeks=10),
            completed=True,
        )
    prescription.refresh_from_db()
    assert (prescription.status, prescription.completed) == ("avsluttet", True)
    assert not _relation_active(prescription.care_relation)
    history = list(
        PrescriptionStatusChange.all_objects.filter(prescription=prescription).values_list(
            "from_status", "to_status"
        )
    )
    assert history == [("", "henvist"), ("henvist", "pagaende"), ("pagaende", "avsluttet")]
    assert AuditEvent.all_objects.filter(object_type="prescription", action="end").count() == 1


def test_referral_can_end_without_start_but_not_as_completed(world):
    prescription = register(world.owner, world.person)
    actor = actor_for(world.owner)
    with activate(world.municipality):
        with pytest.raises(services.PrescriptionError, match="ikke er startet"):
            services.prescription_end(
                actor=actor, prescription=prescription, ended_on=DAY, completed=True
            )
        services.prescription_end(
            actor=actor, prescription=prescription, ended_on=DAY, completed=False, note="Kom ikke"
        )
        with pytest.raises(TransitionNotAllowed):
            services.prescription_end(
                actor=actor, prescription=prescription, ended_on=DAY, completed=False
            )
        with pytest.raises(TransitionNotAllowed):
            services.prescription_start(actor=actor, prescription=prescription, start_date=DAY)
    prescription.refresh_from_db()
    assert (prescription.completed, prescription.end_note) == (False, "Kom ikke")


def test_dates_are_checked(world):
    actor = actor_for(world.owner)
    future = datetime.date.today() + datetime.timedelta(days=3)
    with activate(world.municipality):
        with pytest.raises(services.PrescriptionError, match="fram i tid"):
            services.prescription_register(
                actor=actor, person=world.person, referral_date=future, reason="overvekt"
            )
        with pytest.raises(services.PrescriptionError, match="årsak"):
            services.prescription_register(
                actor=actor, person=world.person, referral_date=DAY, reason="tull"
            )
    prescription = register(world.owner, world.person)
    with activate(world.municipality):
        with pytest.raises(services.PrescriptionError, match="før henvisningsdatoen"):
            services.prescription_start(
                actor=actor,
                prescription=prescription,
                start_date=DAY - datetime.timedelta(days=1),
            )
        services.prescription_start(actor=actor, prescription=prescription, start_date=DAY)
        with pytest.raises(services.PrescriptionError, match="før perioden startet"):
            services.prescription_end(
                actor=actor,
                prescription=prescription,
                ended_on=DAY - datetime.timedelta(days=1),
                completed=False,
            )
