"""Admission, discharge, bed capacity, rehabilitation plans and agreements: the rules,
the care relation of the unit, and the audit rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.utils import timezone

from mestring.access.models import AuditEvent, CareRelation
from mestring.casework.models import Case, Decision, LegalBasis
from mestring.institutions import services
from mestring.institutions.models import PurchaseAgreement, RehabilitationPlan, Stay
from mestring.people.models import UnitKind
from mestring.tenancy.context import activate
from tests import factories
from tests.institutions.helpers import actor_for, admit, make_unit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate  # called per use: a run may pass midnight


def DAY() -> datetime.date:
    return TODAY() - datetime.timedelta(days=20)


def other_person(world, name: str = "Ola"):
    return factories.PersonFactory(municipality=world.municipality, given_name=name)


def test_admit_grants_the_unit_a_care_relation_and_is_audited(world):
    unit = make_unit(world.municipality, beds=2)
    before = AuditEvent.all_objects.count()
    stay = admit(world.owner, world.person, unit, on=DAY())
    assert stay.admitted_by == world.owner and stay.discharged_on is None
    relation = CareRelation.all_objects.get(pk=stay.care_relation_id)
    assert relation.unit == unit and relation.person == world.person
    assert relation.kind == "tjenesteyter" and relation.valid_to is None
    events = list(AuditEvent.all_objects.filter(seq__gt=before).order_by("seq"))
    assert [(e.action, e.object_type) for e in events] == [
        ("grant", "care_relation"),
        ("admit", "stay"),
    ]
    assert events[-1].object_id == str(stay.pk) and events[-1].person_id == world.person.pk


def test_admit_refused_when_the_unit_is_full(world):
    unit = make_unit(world.municipality, beds=1)
    admit(world.owner, other_person(world), unit, on=DAY())
    with pytest.raises(services.InstitutionError, match="ingen ledig seng"):
        admit(world.owner, world.person, unit, on=DAY() + datetime.timedelta(days=3))
    assert Stay.all_objects.filter(person=world.person).count() == 0


def test_admit_over_capacity_when_ticked_is_recorded(world):
    unit = make_unit(world.municipality, beds=1)
    admit(world.owner, other_person(world), unit, on=DAY())
    stay = admit(world.owner, world.person, unit, on=DAY(), over_capacity=True)
    assert stay.over_capacity
    last = AuditEvent.all_objects.order_by("-seq").first()
    assert last.action == "admit_over_capacity"


def test_bed_freed_by_discharge_can_be_used(world):
    unit = make_unit(world.municipality, beds=1)
    first = admit(world.owner, other_person(world), unit, on=DAY())
    with activate(world.municipality):
        services.stay_discharge(
            actor=actor_for(world.owner),
            stay=first,
            discharged_on=DAY() + datetime.timedelta(days=5),
            discharged_to="hjem",
        )
    # Admitted the day the other left: the bed is free that night.
    stay = admit(world.owner, world.person, unit, on=DAY() + datetime.timedelta(days=5))
    assert not stay.over_capacity
    # But a back-dated admission clashing with the first stay's nights is refused.
    with pytest.raises(services.InstitutionError, match="ingen ledig seng"):
        admit(world.owner, other_person(world, "Kari"), unit, on=DAY() + datetime.timedelta(days=2))


def test_bed_count_change_is_used(world):
    unit = make_unit(world.municipality, beds=1, valid_from=DAY() - datetime.timedelta(days=100))
    with activate(world.municipality):
        services.bed_capacity_set(actor=actor_for(world.admin), unit=unit, beds=2, valid_from=DAY())
    admit(world.owner, other_person(world), unit, on=DAY())
    admit(world.owner, world.person, unit, on=DAY())  # second bed from DAY()


def test_overlapping_stay_is_refused(world):
    unit = make_unit(world.municipality, beds=5)
    other = make_unit(world.municipality, name="Solina", beds=5)
    admit(world.owner, world.person, unit, on=DAY())
    with pytest.raises(services.InstitutionError, match="allerede et opphold på Lokalmedisinsk"):
        admit(world.owner, world.person, other, on=DAY() + datetime.timedelta(days=1))


def test_unit_without_beds_and_future_dates_are_refused(world):
    unit = factories.UnitFactory(municipality=world.municipality, name="Uten senger")
    with pytest.raises(services.InstitutionError, match="ikke registrert sengetall"):
        admit(world.owner, world.person, unit, on=DAY())
    beds = make_unit(world.municipality)
    with pytest.raises(services.InstitutionError, match="fram i tid"):
        admit(world.owner, world.person, beds, on=TODAY() + datetime.timedelta(days=1))


def test_discharge_ends_the_care_relation_and_checks_dates(world):
    unit = make_unit(world.municipality, beds=2)
    stay = admit(world.owner, world.person, unit, on=DAY())
    actor = actor_for(world.owner)
    with activate(world.municipality):
        with pytest.raises(services.InstitutionError, match="før innleggelsen"):
            services.stay_discharge(
                actor=actor,
                stay=stay,
                discharged_on=DAY() - datetime.timedelta(days=1),
                discharged_to="hjem",
            )
        with pytest.raises(services.InstitutionError, match="utskrevet til"):
            services.stay_discharge(actor=actor, stay=stay, discharged_on=TODAY(), discharged_to="")
        services.stay_discharge(actor=actor, stay=stay, discharged_on=TODAY(), discharged_to="hjem")
        with pytest.raises(services.InstitutionError, match="allerede avsluttet"):
            services.stay_discharge(
                actor=actor, stay=stay, discharged_on=TODAY(), discharged_to="hjem"
            )
    stay.refresh_from_db()
    assert stay.discharged_on == TODAY() and stay.discharged_to == "hjem"
    relation = CareRelation.all_objects.get(pk=stay.care_relation_id)
    assert relation.valid_to is not None and relation.valid_to <= timezone.now()
    actions = list(AuditEvent.all_objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["discharge", "end"]


def test_database_refuses_discharge_before_admission(world):
    unit = make_unit(world.municipality)
    with pytest.raises(IntegrityError):
        Stay.all_objects.create(
            municipality=world.municipality,
            person=world.person,
            unit=unit,
            stay_type="korttid",
            admitted_on=DAY(),
            discharged_on=DAY() - datetime.timedelta(days=1),
        )


def test_decision_of_another_person_is_refused(world):
    unit = make_unit(world.municipality)
    case = Case.all_objects.create(
        municipality=world.municipality,
        person=other_person(world),
        kind="ip_koordinator",
        received_on=DAY(),
    )
    decision = Decision.all_objects.create(
        municipality=world.municipality,
        case=case,
        subject="individuell_plan",
        outcome="innvilget",
        reasons="Test.",
        legal_basis=LegalBasis.all_objects.get(
            municipality=world.municipality, code="individuell-plan"
        ),
        decided_on=DAY(),
        decided_by=world.caseworker,
    )
    with activate(world.municipality), pytest.raises(services.InstitutionError, match="annen"):
        services.stay_admit(
            actor=actor_for(world.owner),
            person=world.person,
            unit=unit,
            stay_type="korttid",
            admitted_on=DAY(),
            decision=decision,
        )


def test_rehab_plan_only_for_rehabilitation_stays(world):
    unit = make_unit(world.municipality, beds=3)
    actor = actor_for(world.owner)
    stay = admit(world.owner, world.person, unit, on=DAY(), stay_type="korttid")
    refused = pytest.raises(services.InstitutionError, match="Bare rehabiliteringsopphold")
    with activate(world.municipality), refused:
        services.rehab_plan_save(
            actor=actor,
            stay=stay,
            goals="Gå",
            daily_training="",
            physio_minutes_per_day=None,
            responsible=None,
        )


def test_rehab_plan_create_then_edit(world):
    unit = make_unit(world.municipality, beds=3)
    actor = actor_for(world.owner)
    stay = admit(world.owner, world.person, unit, on=DAY())
    with activate(world.municipality):
        with pytest.raises(services.InstitutionError, match="minst ett mål"):
            services.rehab_plan_save(
                actor=actor,
                stay=stay,
                goals="  ",
                daily_training="",
                physio_minutes_per_day=None,
                responsible=None,
            )
        plan = services.rehab_plan_save(
            actor=actor,
            stay=stay,
            goals="Gå til postkassen selv\n\n  Lage frokost  ",
            daily_training="Gangtrening morgen og kveld",
            physio_minutes_per_day=45,
            responsible=world.owner,
        )
        services.rehab_plan_save(
            actor=actor,
            stay=stay,
            goals="Gå til butikken",
            daily_training="",
            physio_minutes_per_day=30,
            responsible=None,
        )
    plan = RehabilitationPlan.all_objects.get(pk=plan.pk)
    assert plan.goal_lines == ["Gå til butikken"] and plan.physio_minutes_per_day == 30
    assert list(
        AuditEvent.all_objects.filter(object_type="rehabilitation_plan").values_list(
            "action", flat=True
        )
    ) == ["create", "update"]


def test_agreement_save_and_auto_link(world):
    centre = make_unit(
        world.municipality,
        name="Helgeland rehabiliteringssenter",
        beds=10,
        kind=UnitKind.OTHER_EXTERNAL,
    )
    actor = actor_for(world.admin)
    with activate(world.municipality):
        agreement = services.agreement_save(
            actor=actor,
            agreement=None,
            name="Helgeland",
            centre=centre,
            year=DAY().year,
            bed_days=200,
            price_per_day=Decimal("4500"),
        )
        with pytest.raises(services.InstitutionError, match="finnes allerede"):
            services.agreement_save(
                actor=actor,
                agreement=None,
                name="Helgeland",
                centre=centre,
                year=DAY().year,
                bed_days=10,
                price_per_day=Decimal("1"),
            )
    assert PurchaseAgreement.all_objects.count() == 1
    stay = admit(world.owner, world.person, centre, on=DAY())
    assert stay.agreement == agreement
