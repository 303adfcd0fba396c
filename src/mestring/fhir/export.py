"""A person's record as a FHIR R4 Bundle (type "collection").

Resources: Patient (no-basis-Patient), a CarePlan per individual plan, Goal, CareTeam
per responsibility group, Encounter per meeting, Observation per SPPB/COPM/PSFS
measure, Consent.

Earlier versions of a plan: every save of a plan stores a snapshot
(`plans.PlanRevision`), so each earlier version is exported as its own CarePlan
(`plan-<pk>-v<n>`, status "revoked": it stopped being in force before the plan was
done, because a newer version took over), and each version `replaces` the one before
it, the current plan replacing the latest earlier version. Only the current CarePlan
carries goals and activities as resources; an earlier version carries its goals as
notes, as the snapshot holds them (text and status labels).

Ids are stable (`plan-<pk>`, `goal-<pk>` …), each resource also carries a Mestring
identifier "<kommunenummer>-<pk>" (see codes.ID_*) that the import matches on, and the
fullUrl is a `urn:uuid:` derived from the municipality and the id, so the same record
always gives the same Bundle apart from its timestamp.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any, overload

from django.db.models import F, Prefetch
from django.utils import timezone

from mestring.access.audit import record_event
from mestring.access.models import Consent, ConsentGiver
from mestring.fhir import codes
from mestring.fhir.models import ExternalId, ExternalKind
from mestring.kernel.audit_words import AuditAction
from mestring.outcomes.models import Instrument, Observation
from mestring.people.identity import IdentityKind
from mestring.people.models import Person, Staff
from mestring.plans.models import Goal, IndividualPlan, Measure, PlanRevision
from mestring.plans.revisions import staff_name
from mestring.teams.models import (
    Attendance,
    GroupMember,
    Meeting,
    MemberKind,
    ResponsibilityGroup,
)

Json = dict[str, Any]
NAMESPACE = uuid.UUID("4f0a2f7e-7b39-4f7e-9a51-6d2f0c1e8a10")
EXPORTED_INSTRUMENTS = (Instrument.SPPB, Instrument.COPM, Instrument.PSFS)


def _number(value: Decimal | int | None) -> int | float | None:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _instant(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _clean(data: Any) -> Any:
    """Leave out empty values: FHIR forbids empty strings, lists and objects."""
    if isinstance(data, dict):
        cleaned = {key: _clean(value) for key, value in data.items()}
        return {key: value for key, value in cleaned.items() if value not in (None, "", [], {})}
    if isinstance(data, list):
        cleaned_list = [_clean(value) for value in data]
        return [value for value in cleaned_list if value not in (None, "", [], {})]
    return data


def _period(start: Any, end: Any) -> Json:
    return {"start": start, "end": end}


@overload
def _staff_reference(staff: Staff) -> Json: ...
@overload
def _staff_reference(staff: Staff | None) -> Json | None: ...
def _staff_reference(staff: Staff | None) -> Json | None:
    if staff is None:
        return None
    identifier = (
        {"system": codes.HPR_NUMMER, "value": staff.hpr_number} if staff.hpr_number else None
    )
    return {"type": "Practitioner", "display": staff_name(staff), "identifier": identifier}


class _Builder:
    def __init__(self, person: Person) -> None:
        self.person = person
        self.prefix = person.municipality.number
        self.entries: list[Json] = []
        self.patient_ref = {"reference": self.full_url("Patient", f"person-{person.pk}")}

    # --- helpers

    def full_url(self, resource_type: str, resource_id: str) -> str:
        name = f"{self.prefix}/{resource_type}/{resource_id}"
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, name)}"

    def ref(self, resource_type: str, resource_id: str) -> Json:
        return {"reference": self.full_url(resource_type, resource_id)}

    def identifier(self, system: str, pk: object) -> Json:
        return {"system": system, "value": f"{self.prefix}-{pk}"}

    def add(self, resource: Json) -> None:
        resource = _clean(resource)
        url = self.full_url(resource["resourceType"], resource["id"])
        self.entries.append({"fullUrl": url, "resource": resource})

    # --- resources

    def patient(self) -> None:
        person = self.person
        system = (
            codes.D_NUMMER
            if person.national_id_kind == IdentityKind.D_NUMMER
            else codes.FODSELSNUMMER
        )
        identifier = [{"system": system, "value": person.national_id}] if person.national_id else []
        telecom = []
        if person.phone:
            telecom.append({"system": "phone", "value": person.phone})
        if person.email:
            telecom.append({"system": "email", "value": person.email})
        address = {
            "line": [person.street_address],
            "postalCode": person.postal_code,
            "city": person.postal_town,
        }
        has_address = person.street_address or person.postal_code or person.postal_town
        self.add(
            {
                "resourceType": "Patient",
                "id": f"person-{person.pk}",
                "meta": {"profile": [codes.NO_BASIS_PATIENT]},
                "identifier": identifier,
                "name": [
                    {
                        "use": "official",
                        "text": person.full_name,
                        "family": person.family_name,
                        "given": [person.given_name],
                    }
                ],
                "birthDate": _date(person.birth_date),
                "telecom": telecom,
                "address": [address] if has_address else [],
            }
        )

    def external_identifiers(self, kind: str, pk: int) -> list[Json]:
        return [
            {"system": row.system, "value": row.value}
            for row in ExternalId.objects.filter(kind=kind, object_id=pk).order_by("pk")
        ]

    def goal(self, goal: Goal) -> None:
        achievement = codes.ACHIEVEMENT[goal.achievement]
        self.add(
            {
                "resourceType": "Goal",
                "id": f"goal-{goal.pk}",
                "identifier": [
                    self.identifier(codes.ID_GOAL, goal.pk),
                    *self.external_identifiers(ExternalKind.GOAL, goal.pk),
                ],
                "lifecycleStatus": str(codes.GOAL_STATUS[goal.status]),
                "achievementStatus": {
                    "coding": [
                        {"system": codes.HL7_GOAL_ACHIEVEMENT, "code": str(achievement)},
                        {
                            "system": codes.CS_ACHIEVEMENT,
                            "code": goal.achievement,
                            "display": goal.get_achievement_display(),
                        },
                    ],
                    "text": goal.get_achievement_display(),
                },
                "description": {"text": goal.text},
                "subject": self.patient_ref,
                "expressedBy": self.patient_ref,
                "target": [{"dueDate": _date(goal.target_date)}] if goal.target_date else [],
            }
        )

    def activity(self, plan: IndividualPlan, measure: Measure, today: datetime.date) -> Json:
        if plan.is_closed or (measure.end_on and measure.end_on < today):
            status = codes.CarePlanActivityStatus.COMPLETED
        elif measure.start_on and measure.start_on > today:
            status = codes.CarePlanActivityStatus.NOT_STARTED
        elif measure.start_on:
            status = codes.CarePlanActivityStatus.IN_PROGRESS
        else:
            status = codes.CarePlanActivityStatus.UNKNOWN
        performers: list[Json | None] = []  # no staff: None, left out by _clean
        if measure.responsible_unit:
            performers.append({"type": "Organization", "display": measure.responsible_unit.name})
        performers.append(_staff_reference(measure.responsible_staff))
        if measure.responsible_other:
            performers.append({"display": measure.responsible_other})
        return {
            "detail": {
                "extension": [
                    {
                        "url": codes.EXT_SOURCE_ID,
                        "valueIdentifier": self.identifier(codes.ID_MEASURE, measure.pk),
                    },
                    *(
                        {"url": codes.EXT_SOURCE_ID, "valueIdentifier": identifier}
                        for identifier in self.external_identifiers(
                            ExternalKind.MEASURE, measure.pk
                        )
                    ),
                    *(
                        [{"url": codes.EXT_MEASURE_SCOPE, "valueString": measure.scope}]
                        if measure.scope
                        else []
                    ),
                ],
                "code": {"text": measure.title},
                "description": measure.how,
                "status": str(status),
                "goal": [self.ref("Goal", f"goal-{measure.goal_id}")] if measure.goal_id else [],
                "scheduledPeriod": _period(_date(measure.start_on), _date(measure.end_on)),
                "performer": performers,
            }
        }

    def earlier_versions(self, plan: IndividualPlan) -> Json | None:
        """CarePlans for the earlier versions; returns the reference to the latest."""
        revisions = PlanRevision.objects.filter(plan=plan, number__lt=plan.version).order_by(
            "number"
        )
        previous: Json | None = None
        for revision in revisions:
            resource_id = f"plan-{plan.pk}-v{revision.number}"
            snapshot = revision.snapshot or {}
            values = snapshot.get("values", {})
            goals = snapshot.get("goals", [])
            self.add(
                {
                    "resourceType": "CarePlan",
                    "id": resource_id,
                    "identifier": [
                        self.identifier(codes.ID_PLAN_VERSION, f"{plan.pk}-v{revision.number}")
                    ],
                    "status": str(codes.CarePlanStatus.REVOKED),
                    "intent": str(codes.CarePlanIntent.PLAN),
                    "title": f"Individuell plan, versjon {revision.number}",
                    "description": values.get("what_matters"),
                    "subject": self.patient_ref,
                    "period": _period(values.get("start_date"), values.get("end_date")),
                    "created": _instant(revision.saved_at),
                    "replaces": [previous] if previous else [],
                    "note": [
                        {"text": revision.summary},
                        *(
                            {"text": f"Mål: {goal.get('text', '')} ({goal.get('status', '')})"}
                            for goal in goals
                        ),
                    ],
                }
            )
            previous = self.ref("CarePlan", resource_id)
        return previous

    def plan(self, plan: IndividualPlan, team_ids: list[str], today: datetime.date) -> None:
        previous = self.earlier_versions(plan)
        goals = list(plan.goals.all())
        for goal in goals:
            self.goal(goal)
        measures = plan.measures.select_related(
            "responsible_unit", "responsible_staff__user"
        ).order_by(F("start_on").asc(nulls_last=True), "pk")
        self.add(
            {
                "resourceType": "CarePlan",
                "id": f"plan-{plan.pk}",
                "identifier": [
                    self.identifier(codes.ID_PLAN, plan.pk),
                    *self.external_identifiers(ExternalKind.PLAN, plan.pk),
                ],
                "status": str(codes.PLAN_STATUS[plan.status]),
                "intent": str(codes.CarePlanIntent.PLAN),
                "title": "Individuell plan",
                "description": plan.what_matters,
                "subject": self.patient_ref,
                "period": _period(_date(plan.start_date), _date(plan.end_date)),
                "created": _instant(plan.created_at),
                "author": {"type": "Organization", "display": plan.responsible_unit.name},
                "careTeam": [self.ref("CareTeam", team_id) for team_id in team_ids],
                "goal": [self.ref("Goal", f"goal-{goal.pk}") for goal in goals],
                "replaces": [previous] if previous else [],
                "activity": [self.activity(plan, measure, today) for measure in measures],
            }
        )

    def member_reference(self, member: GroupMember) -> Json:
        if member.kind == MemberKind.PERSON:
            return self.patient_ref
        if member.staff is not None:
            return _staff_reference(member.staff)
        if member.relative is not None:
            return {"type": "RelatedPerson", "display": member.relative.name}
        return {"display": member.display_name}

    def care_team(self, group: ResponsibilityGroup, members: list[GroupMember]) -> str:
        resource_id = f"group-{group.pk}"
        participants = []
        for member in members:
            coding = [
                {
                    "system": codes.CS_CARETEAM_ROLE,
                    "code": member.kind,
                    "display": member.get_kind_display(),
                }
            ]
            if member.is_chair:
                coding.insert(
                    0,
                    {
                        "system": codes.CS_CARETEAM_ROLE,
                        "code": str(codes.CareTeamRole.COORDINATOR),
                        "display": "Koordinator",
                    },
                )
            participants.append(
                {
                    "role": [{"coding": coding, "text": member.role}],
                    "member": self.member_reference(member),
                    "period": _period(_date(member.started_on), _date(member.ended_on)),
                }
            )
        status = codes.CareTeamStatus.INACTIVE if group.ended_on else codes.CareTeamStatus.ACTIVE
        self.add(
            {
                "resourceType": "CareTeam",
                "id": resource_id,
                "identifier": [self.identifier(codes.ID_GROUP, group.pk)],
                "status": str(status),
                "name": "Ansvarsgruppe",
                "subject": self.patient_ref,
                "period": _period(_date(group.started_on), _date(group.ended_on)),
                "participant": participants,
            }
        )
        return resource_id

    def encounter(self, meeting: Meeting, attendances: list[Attendance]) -> None:
        participants = []
        for attendance in attendances:
            member = attendance.member
            if member.kind == MemberKind.PERSON:
                continue  # the person is the Encounter's subject
            kind = (
                codes.ParticipationType.ATTENDER
                if attendance.attended
                else codes.ParticipationType.PARTICIPATION
            )
            participants.append(
                {
                    "type": [
                        {"coding": [{"system": codes.HL7_PARTICIPATION_TYPE, "code": str(kind)}]}
                    ],
                    "individual": self.member_reference(member),
                }
            )
        self.add(
            {
                "resourceType": "Encounter",
                "id": f"meeting-{meeting.pk}",
                "identifier": [self.identifier(codes.ID_MEETING, meeting.pk)],
                "status": str(codes.MEETING_STATUS[meeting.status]),
                "class": {
                    "system": codes.HL7_ACT_CODE,
                    "code": str(codes.EncounterClass.AMBULATORY),
                    "display": "ambulatory",
                },
                "type": [{"text": "Ansvarsgruppemøte"}],
                "subject": self.patient_ref,
                "participant": participants,
                "period": _period(_instant(meeting.starts_at), _instant(meeting.ends_at)),
                "location": [{"location": {"display": meeting.place}}],
            }
        )

    def observation(self, observation: Observation) -> None:
        instrument = observation.instrument
        components: list[Json] = []

        def component(code: str, display: str, value: Any, unit: str = "poeng") -> None:
            if value is None:
                return
            ucum = "s" if unit == "s" else "{score}"
            components.append(
                {
                    "code": {
                        "coding": [
                            {"system": codes.CS_INSTRUMENT_ITEM, "code": code, "display": display}
                        ],
                        "text": display,
                    },
                    "valueQuantity": {
                        "value": _number(value),
                        "unit": unit,
                        "system": codes.UCUM,
                        "code": ucum,
                    },
                }
            )

        for item in observation.items.all():
            if instrument == Instrument.SPPB:
                component(f"sppb-{item.code}", item.code, item.points)
                component(
                    f"sppb-{item.code}-sekunder", f"{item.code} (sekunder)", item.seconds, "s"
                )
            elif instrument == Instrument.COPM:
                component("copm-utforelse", f"{item.label}: utførelse", item.points)
                component("copm-tilfredshet", f"{item.label}: tilfredshet", item.points_secondary)
            else:
                component("psfs-aktivitet", item.label, item.points)
        if instrument == Instrument.COPM:
            component(
                "copm-tilfredshet-snitt", "Tilfredshet, gjennomsnitt", observation.total_secondary
            )
        label = observation.get_instrument_display()
        value: Json = {}
        if observation.total is not None:
            value["valueQuantity"] = {
                "value": _number(observation.total),
                "unit": "poeng",
                "system": codes.UCUM,
                "code": "{score}",
            }
        else:
            value["dataAbsentReason"] = {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                        "code": "unknown",
                    }
                ]
            }
        self.add(
            {
                "resourceType": "Observation",
                "id": f"observation-{observation.pk}",
                "identifier": [self.identifier(codes.ID_OBSERVATION, observation.pk)],
                "status": str(codes.ObservationStatus.FINAL),
                "category": [
                    {
                        "coding": [
                            {
                                "system": codes.HL7_OBSERVATION_CATEGORY,
                                "code": str(codes.OBSERVATION_CATEGORY[instrument]),
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [
                        {"system": codes.CS_INSTRUMENT, "code": instrument, "display": label}
                    ],
                    "text": label,
                },
                "subject": self.patient_ref,
                "effectiveDateTime": _date(observation.observed_on),
                "performer": [_staff_reference(observation.recorded_by)],
                **value,
                "note": [{"text": observation.note}] if observation.note else [],
                "method": {"text": observation.version},
                "component": components,
            }
        )

    def consent(self, consent: Consent, today: datetime.date) -> None:
        if (consent.withdrawn_on and consent.withdrawn_on <= today) or (
            consent.expires_on and consent.expires_on < today
        ):
            status = codes.ConsentStatus.INACTIVE
        elif consent.given_on > today:
            status = codes.ConsentStatus.PROPOSED
        else:
            status = codes.ConsentStatus.ACTIVE
        if consent.given_by == ConsentGiver.PERSON:
            performer = self.patient_ref
        else:
            name = consent.given_by_relative.name if consent.given_by_relative else ""
            performer = {
                "type": "RelatedPerson",
                "display": name or consent.get_given_by_display(),
            }
        self.add(
            {
                "resourceType": "Consent",
                "id": f"consent-{consent.pk}",
                "identifier": [self.identifier(codes.ID_CONSENT, consent.pk)],
                "status": str(status),
                "scope": {
                    "coding": [
                        {
                            "system": codes.HL7_CONSENT_SCOPE,
                            "code": str(codes.CONSENT_SCOPE[consent.kind]),
                        }
                    ]
                },
                "category": [
                    {
                        "coding": [
                            {"system": codes.LOINC, "code": codes.LOINC_PATIENT_CONSENT},
                            {
                                "system": codes.CS_CONSENT_KIND,
                                "code": consent.kind,
                                "display": consent.get_kind_display(),
                            },
                        ],
                        "text": consent.get_kind_display(),
                    }
                ],
                "patient": self.patient_ref,
                "dateTime": _date(consent.given_on),
                "performer": [performer],
                "policyRule": {"text": consent.scope},
                "provision": {
                    "type": str(codes.ConsentProvisionType.PERMIT),
                    "period": _period(
                        _date(consent.given_on), _date(consent.withdrawn_on or consent.expires_on)
                    ),
                },
            }
        )


def person_bundle(person: Person) -> Json:
    """The person's FHIR R4 Bundle as a JSON-ready dict. Reads only; audit is the caller's.

    Runs in the person's municipality (scoped queries).
    """
    today = timezone.localdate()
    builder = _Builder(person)
    builder.patient()

    groups = list(ResponsibilityGroup.objects.filter(person=person).order_by("started_on", "pk"))
    members = {
        group.pk: list(
            GroupMember.objects.filter(group=group)
            .select_related("staff__user", "relative", "unit", "group__person")
            .order_by("-is_chair", "pk")
        )
        for group in groups
    }
    team_ids = {group.pk: builder.care_team(group, members[group.pk]) for group in groups}

    plans = IndividualPlan.objects.filter(person=person).select_related("responsible_unit")
    for plan in plans.order_by("start_date", "pk"):
        linked = [team_ids[g.pk] for g in groups if g.plan_id == plan.pk]
        if not linked and not plan.is_closed:
            linked = [team_ids[g.pk] for g in groups if g.plan_id is None and g.ended_on is None]
        builder.plan(plan, linked, today)

    attendances = Attendance.objects.select_related(
        "member__staff__user", "member__relative", "member__unit", "member__group__person"
    ).order_by("pk")
    meetings = (
        Meeting.objects.filter(group__person=person)
        .prefetch_related(Prefetch("attendances", queryset=attendances))
        .order_by("starts_at", "pk")
    )
    for meeting in meetings:
        builder.encounter(meeting, list(meeting.attendances.all()))

    observations = (
        Observation.objects.filter(person=person, instrument__in=EXPORTED_INSTRUMENTS)
        .select_related("recorded_by__user")
        .prefetch_related("items")
        .order_by("observed_on", "pk")
    )
    for observation in observations:
        builder.observation(observation)

    consents = Consent.objects.filter(person=person).select_related("given_by_relative")
    for consent in consents.order_by("given_on", "pk"):
        builder.consent(consent, today)

    return {
        "resourceType": "Bundle",
        "id": f"mestring-{builder.prefix}-person-{person.pk}",
        "meta": {"lastUpdated": _instant(timezone.now())},
        "type": str(codes.BundleType.COLLECTION),
        "timestamp": _instant(timezone.now()),
        "entry": builder.entries,
    }


def export_person(*, actor: Any, person: Person) -> Json:
    """person_bundle with one audit row (action "export", object type "fhir")."""
    bundle = person_bundle(person)
    record_event(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="fhir",
        object_id=person.pk,
        person=person,
    )
    return bundle
