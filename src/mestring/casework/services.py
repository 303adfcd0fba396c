"""Cases and decisions. Each write is one transaction with its audit row."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import record_event
from mestring.access.models import CareRelationKind
from mestring.access.services import care_relation_grant, care_relations_end_for
from mestring.casework.models import (
    CASE_TRANSITIONS,
    Case,
    CaseKind,
    CaseStatus,
    CaseStatusChange,
)
from mestring.core.transitions import check_transition
from mestring.people.models import Person, Staff, Unit
from mestring.referrals.models import Referral


def _grant_caseworker(actor: Actor, case: Case, caseworker: Staff) -> None:
    """The caseworker of an open case sees the person for as long as the case is open."""
    care_relation_grant(
        actor=actor,
        person=case.person,
        kind=CareRelationKind.CASEWORKER,
        reason=_("Saksbehandler på åpen sak"),
        staff=caseworker,
    )


def case_open(
    *,
    actor: Actor,
    person: Person,
    received_on: datetime.date,
    kind: str = CaseKind.PLAN_AND_COORDINATOR,
    referral: Referral | None = None,
    requests_individual_plan: bool = False,
    requests_coordinator: bool = False,
    responsible_unit: Unit | None = None,
    caseworker: Staff | None = None,
) -> Case:
    with transaction.atomic():
        case = Case.objects.create(
            person=person,
            kind=kind,
            referral=referral,
            received_on=received_on,
            requests_individual_plan=requests_individual_plan,
            requests_coordinator=requests_coordinator,
            responsible_unit=responsible_unit,
            caseworker=caseworker,
        )
        CaseStatusChange.objects.create(
            case=case, from_status="", to_status=CaseStatus.RECEIVED, changed_by=actor.user
        )
        if caseworker is not None:
            _grant_caseworker(actor, case, caseworker)
        record_event(
            actor=actor, action="create", object_type="case", object_id=case.pk, person=person
        )
    return case


def case_transition(*, actor: Actor, case: Case, to_status: str, reason: str = "") -> Case:
    """Move a case along its transition table; closing ends the caseworker's access."""
    check_transition(CASE_TRANSITIONS, case.status, to_status, dict(CaseStatus.choices))
    with transaction.atomic():
        CaseStatusChange.objects.create(
            case=case,
            from_status=case.status,
            to_status=to_status,
            reason=reason,
            changed_by=actor.user,
        )
        case.status = to_status
        if to_status == CaseStatus.CLOSED:
            case.closed_on = timezone.localdate()
            if case.caseworker is not None:
                care_relations_end_for(
                    actor=actor,
                    person=case.person,
                    staff=case.caseworker,
                    kind=CareRelationKind.CASEWORKER,
                )
        case.save(update_fields=["status", "closed_on"])
        record_event(
            actor=actor,
            action=f"status_{to_status}",
            object_type="case",
            object_id=case.pk,
            person=case.person,
        )
    return case
