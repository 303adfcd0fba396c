"""Import of a FHIR R4 Bundle: the person, an individual plan with goals and measures.

Accepts what `export.person_bundle` writes (from this or another Mestring) and a
minimal Bundle from another system: a Patient with a fødselsnummer or D-nummer, and
optionally CarePlans (intent "plan") with Goals and activities, and a Consent.

- The person is found by the identity number; unknown persons are created (the
  number checked as in the person import, synthetic numbers only where allowed).
  Details of a known person are not overwritten; only empty contact fields are filled.
- Each CarePlan with status active / on-hold (→ active plan) or completed (→ closed
  plan) is imported. Revoked CarePlans (earlier versions), drafts and the like are
  skipped: the plan's history stays with the source; the import starts this plan's
  own revision history.
- Plans, goals and measures are matched on their identifiers: Mestring's own
  "<kommunenummer>-<id>" (our own number means our own object), or any identifier
  recorded by an earlier import (`fhir.ExternalId`). Without identifiers a plan is
  matched on its start date, a goal on its text, a measure on its title. So importing
  the same Bundle twice changes nothing. Goals and measures missing from the Bundle are
  left as they are.
- A new plan needs a consent to individual plan, as in the plan import: one in force is
  used, otherwise the Bundle's Consent (status active) is recorded.
- Access as on the person's pages: a known person is imported into only by a staff
  member the guard lets in (`access.guard.decide`: an active care relation or emergency
  access, and no block). Otherwise nothing is read or changed, the import is refused as
  a whole and the refusal is audited for that person, as the guard does. A new person
  is registered as on the web: the registrar gets time-limited access to the record.
  Every audit row carries the ground of access. The operator's command is the one path
  without a user; it acts for the municipality and is audited as administration.
- All or nothing: every problem is collected as a Norwegian message and nothing is saved.
  One audit row per object written; an import that changes nothing leaves one read row.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from mestring.access.actor import Actor
from mestring.access.audit import AccessGround, EventSpec, access_ground, record_events
from mestring.access.guard import audit_refusal, decide
from mestring.access.models import AuditPurpose, Consent, ConsentGiver, ConsentKind
from mestring.fhir import codes
from mestring.fhir.models import ExternalId, ExternalKind
from mestring.kernel.audit_words import AuditAction
from mestring.people.identity import IdentityKind, InvalidNationalId, parse_national_id
from mestring.people.models import Person, Unit, UnitKind
from mestring.plans.models import (
    Achievement,
    Goal,
    GoalStatusChange,
    IndividualPlan,
    Measure,
    PlanRevision,
    PlanStatus,
)
from mestring.plans.revisions import build_snapshot
from mestring.plans.selectors import plan_content
from mestring.register.services import registration_access_grant
from mestring.tenancy.models import MunicipalityOwned

Json = dict[str, Any]
# The rows an import finds again by their identifiers.
M = TypeVar("M", bound=MunicipalityOwned)
DEFAULT_UNIT = "Importert fra FHIR"
MAX_ERRORS = 50

PLAN_STATUS_FROM_FHIR: dict[str, str] = {
    codes.CarePlanStatus.ACTIVE: PlanStatus.ACTIVE,
    codes.CarePlanStatus.ON_HOLD: PlanStatus.ACTIVE,
    codes.CarePlanStatus.COMPLETED: PlanStatus.CLOSED,
}


class BundleError(ValueError):
    """A Bundle that cannot be imported; `errors` are plain Norwegian messages."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


class ImportRefused(Exception):
    """The actor may not reach the (known) person the Bundle is about."""

    def __init__(self, person: Person) -> None:
        self.person = person
        super().__init__(f"person {person.pk}")


def refused_message() -> str:
    return _(
        "Du har ikke tilgang til personen i filen, og ingenting er importert. Personen er "
        "allerede registrert i kommunen; for å importere til personen må du ha tjenstlig "
        "behov for personen, som på personens egne sider."
    )


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    person: Person | None = None
    plans: list[IndividualPlan] = field(default_factory=list)
    # The guard refused the person: `errors` holds the one message, nothing was saved
    # except the refusal's audit row.
    refused: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_json(text: str | bytes) -> Any:
    """The Bundle from the file's text, or BundleError with a plain message."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise BundleError(["Filen er ikke lagret som UTF-8."]) from exc
    except json.JSONDecodeError as exc:
        raise BundleError(
            [f"Filen er ikke gyldig JSON (linje {exc.lineno}, tegn {exc.colno})."]
        ) from exc


# --- Reading the Bundle (no database)


def _date(value: Any, what: str, errors: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        errors.append(f"{what}: datoen må skrives som ÅÅÅÅ-MM-DD.")
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        errors.append(f"{what}: «{value[:30]}» er ikke en dato (ÅÅÅÅ-MM-DD).")
        return None


def _text(value: Any, limit: int, what: str, errors: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(f"{what}: skal være tekst.")
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.append(f"{what}: teksten er lengre enn {limit} tegn.")
    return value


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def _identifiers(resource: Json) -> list[tuple[str, str]]:
    found = []
    for identifier in _list(resource.get("identifier")):
        identifier = _dict(identifier)
        system, value = identifier.get("system"), identifier.get("value")
        if isinstance(system, str) and isinstance(value, str) and system and value:
            found.append((system[:200], value[:200]))
    return found


def _codes(concept: Any, system: str) -> list[str]:
    """The concept's codes in `system`; a code that is not text is no code."""
    codings = [_dict(coding) for coding in _list(_dict(concept).get("coding"))]
    found = [coding.get("code") for coding in codings if coding.get("system") == system]
    return [code for code in found if isinstance(code, str)]


def _label(resource: Json) -> str:
    return f"{resource.get('resourceType')} «{resource.get('id', '?')}»"


@dataclass
class PatientData:
    national_id: str
    kind: str
    given_name: str
    family_name: str
    birth_date: datetime.date | None
    phone: str
    email: str
    street_address: str
    postal_code: str
    postal_town: str
    reference_keys: set[str]


@dataclass
class GoalData:
    label: str
    identifiers: list[tuple[str, str]]
    text: str
    status: str
    achievement: str
    target_date: datetime.date | None
    keys: set[str]


@dataclass
class MeasureData:
    identifiers: list[tuple[str, str]]
    title: str
    scope: str
    how: str
    responsible_other: str
    start_on: datetime.date | None
    end_on: datetime.date | None
    goal: GoalData | None


@dataclass
class PlanData:
    label: str
    identifiers: list[tuple[str, str]]
    status: str
    start_date: datetime.date
    end_date: datetime.date | None
    what_matters: str
    unit_name: str
    goals: list[GoalData]
    measures: list[MeasureData]


@dataclass
class ConsentData:
    given_on: datetime.date
    scope: str
    given_by: str
    for_plan: bool


@dataclass
class BundleData:
    patient: PatientData
    plans: list[PlanData]
    consents: list[ConsentData]


class _Reader:
    def __init__(self, bundle: Any) -> None:
        self.bundle = bundle
        self.errors: list[str] = []
        self.index: dict[str, Json] = {}

    def fail(self, message: str) -> None:
        self.errors.append(message)

    def read(self) -> BundleData | None:
        bundle = self.bundle
        if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
            found = bundle.get("resourceType") if isinstance(bundle, dict) else None
            found_text = f" (fant «{found}»)" if isinstance(found, str) else ""
            self.fail(f"Filen er ikke en FHIR Bundle: resourceType må være «Bundle»{found_text}.")
            return None
        bundle_type = bundle.get("type")  # any JSON: a list or an object is no type either
        if not isinstance(bundle_type, str) or bundle_type not in {
            t.value for t in codes.BundleType
        }:
            self.fail("Bundle mangler gyldig type (for eksempel «collection»).")
        entries = bundle.get("entry")
        if not isinstance(entries, list) or not entries:
            self.fail("Bundle har ingen ressurser (entry mangler eller er tom).")
            return None
        resources: list[Json] = []
        for number, entry in enumerate(entries, start=1):
            resource = _dict(entry).get("resource") if isinstance(entry, dict) else None
            if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
                self.fail(f"Oppføring nr. {number} i Bundle mangler en ressurs med resourceType.")
                continue
            resources.append(resource)
            full_url = entry.get("fullUrl")
            if isinstance(full_url, str) and full_url:
                self.index[full_url] = resource
            if isinstance(resource.get("id"), str):
                self.index[f"{resource['resourceType']}/{resource['id']}"] = resource
        patients = [r for r in resources if r["resourceType"] == "Patient"]
        if len(patients) != 1:
            self.fail(f"Bundle må ha nøyaktig én Patient, men har {len(patients)}.")
            return None
        patient = self.patient(patients[0], entries)
        if patient is None:
            return None
        plans = [
            plan
            for resource in resources
            if resource["resourceType"] == "CarePlan"
            and (plan := self.plan(resource, patient)) is not None
        ]
        if sum(1 for plan in plans if plan.status == PlanStatus.ACTIVE) > 1:
            self.fail("Bundle har mer enn én aktiv CarePlan. En person kan ha én aktiv plan.")
        consents = [
            consent
            for resource in resources
            if resource["resourceType"] == "Consent"
            and (consent := self.consent(resource, patient)) is not None
        ]
        if self.errors:
            return None
        return BundleData(patient, plans, consents)

    def resolve(self, reference: Any) -> Json | None:
        target = _dict(reference).get("reference")
        return self.index.get(target) if isinstance(target, str) else None

    def points_to_patient(self, reference: Any, patient: PatientData) -> bool:
        target = _dict(reference).get("reference")
        return isinstance(target, str) and target in patient.reference_keys

    def patient(self, resource: Json, entries: list) -> PatientData | None:
        errors = self.errors
        before = len(errors)
        numbers = [
            (system, value)
            for system, value in _identifiers(resource)
            if system in (codes.FODSELSNUMMER, codes.D_NUMMER)
        ]
        if not numbers:
            self.fail(
                "Patient mangler fødselsnummer eller D-nummer (identifier med system "
                f"{codes.FODSELSNUMMER} eller {codes.D_NUMMER})."
            )
            return None
        system, raw = numbers[0]
        try:
            parsed = parse_national_id(raw, allow_synthetic=settings.MESTRING_SYNTHETIC_IDS)
        except InvalidNationalId as exc:
            self.fail(f"Patient: {exc.message}")
            return None
        expected = IdentityKind.D_NUMMER if system == codes.D_NUMMER else IdentityKind.FODSELSNUMMER
        if parsed.kind != expected:
            self.fail(
                "Patient: nummeret er et D-nummer, men står med systemet for fødselsnummer."
                if parsed.kind == IdentityKind.D_NUMMER
                else "Patient: nummeret er et fødselsnummer, men står med systemet for D-nummer."
            )
        names = [_dict(name) for name in _list(resource.get("name"))]
        name = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
        given = _list(name.get("given"))
        given_name = _text(
            " ".join(part for part in given if isinstance(part, str)),
            100,
            "Patient: fornavn",
            errors,
        )
        family_name = _text(name.get("family"), 100, "Patient: etternavn", errors)
        telecom = {"phone": "", "email": ""}
        for contact in _list(resource.get("telecom")):
            contact = _dict(contact)
            if contact.get("system") in telecom and not telecom[contact["system"]]:
                telecom[contact["system"]] = contact.get("value") or ""
        address = _dict(next(iter(_list(resource.get("address"))), {}))
        lines = [line for line in _list(address.get("line")) if isinstance(line, str)]
        postal_code = _text(address.get("postalCode"), 4, "Patient: postnummer", errors)
        keys = {f"Patient/{resource.get('id')}"}
        for entry in entries:
            if (
                isinstance(entry, dict)
                and entry.get("resource") is resource
                and entry.get("fullUrl")
            ):
                keys.add(entry["fullUrl"])
        data = PatientData(
            national_id=parsed.value,
            kind=str(parsed.kind),
            given_name=given_name,
            family_name=family_name,
            birth_date=_date(resource.get("birthDate"), "Patient: fødselsdato", errors),
            phone=_text(telecom["phone"], 30, "Patient: telefon", errors),
            email=_text(telecom["email"], 254, "Patient: e-post", errors),
            street_address=_text(", ".join(lines), 200, "Patient: adresse", errors),
            postal_code=postal_code,
            postal_town=_text(address.get("city"), 100, "Patient: poststed", errors),
            reference_keys=keys,
        )
        return data if len(errors) == before else None

    def goal(self, resource: Json, patient: PatientData) -> GoalData | None:
        label, errors = _label(resource), self.errors
        before = len(errors)
        text = _text(_dict(resource.get("description")).get("text"), 2000, label, errors)
        if not text:
            self.fail(f"{label} mangler beskrivelse (description.text).")
        lifecycle = resource.get("lifecycleStatus")
        status = codes.GOAL_STATUS_FROM_FHIR.get(lifecycle) if isinstance(lifecycle, str) else None
        if status is None:
            self.fail(f"{label}: ukjent eller manglende lifecycleStatus «{lifecycle}».")
        if not self.points_to_patient(resource.get("subject"), patient):
            self.fail(f"{label} gjelder ikke pasienten i Bundle (subject).")
        achievement_concept = resource.get("achievementStatus")
        achievement: str = Achievement.NOT_STARTED
        local = [c for c in _codes(achievement_concept, codes.CS_ACHIEVEMENT) if c in Achievement]
        hl7 = [
            c
            for c in _codes(achievement_concept, codes.HL7_GOAL_ACHIEVEMENT)
            if c in codes.ACHIEVEMENT_FROM_FHIR
        ]
        if local:
            achievement = local[0]
        elif hl7:
            achievement = codes.ACHIEVEMENT_FROM_FHIR[hl7[0]]
        targets = [_dict(t) for t in _list(resource.get("target"))]
        due = next((t.get("dueDate") for t in targets if t.get("dueDate")), None)
        target_date = _date(due, f"{label}: target.dueDate", errors)
        if status is None or len(errors) > before:
            return None
        keys = {f"Goal/{resource.get('id')}"} | {
            url for url, res in self.index.items() if res is resource
        }
        return GoalData(
            label=label,
            identifiers=_identifiers(resource),
            text=text,
            status=status,
            achievement=str(achievement),
            target_date=target_date,
            keys=keys,
        )

    def measure(self, activity: Json, goals: list[GoalData], label: str) -> MeasureData | None:
        detail = _dict(activity.get("detail"))
        errors = self.errors
        before = len(errors)
        code_text = _dict(detail.get("code")).get("text")
        description = detail.get("description")
        if isinstance(code_text, str) and code_text.strip():
            title = _text(code_text, 200, f"{label}: tiltak", errors)
            how = _text(description, 2000, f"{label}: tiltak, hvordan", errors)
        else:
            title = _text(description, 200, f"{label}: tiltak", errors)
            how = ""
        if not title:
            self.fail(f"{label}: et tiltak (activity) mangler navn (detail.code.text).")
        identifiers, scope = [], ""
        for extension in _list(detail.get("extension")):
            extension = _dict(extension)
            if extension.get("url") == codes.EXT_SOURCE_ID:
                identifiers += _identifiers({"identifier": [extension.get("valueIdentifier")]})
            elif extension.get("url") == codes.EXT_MEASURE_SCOPE:
                scope = _text(extension.get("valueString"), 200, f"{label}: omfang", errors)
        displays = [_dict(p).get("display") for p in _list(detail.get("performer"))]
        performers = [display for display in displays if isinstance(display, str)]
        responsible = _text(", ".join(performers), 200, f"{label}: ansvarlig", errors)
        period = _dict(detail.get("scheduledPeriod"))
        start = _date(period.get("start"), f"{label}: tiltak, fra", errors)
        end = _date(period.get("end"), f"{label}: tiltak, til", errors)
        if start and end and end < start:
            self.fail(f"{label}: tiltaket «{title}» slutter før det starter.")
        goal = None
        for reference in _list(detail.get("goal")):
            target = _dict(reference).get("reference")
            goal = next((g for g in goals if target in g.keys), None)
        if len(errors) > before:
            return None
        return MeasureData(
            identifiers, title, scope, how, responsible or "Ikke oppgitt", start, end, goal
        )

    def plan(self, resource: Json, patient: PatientData) -> PlanData | None:
        label, errors = _label(resource), self.errors
        status = resource.get("status")
        if not isinstance(status, str) or status not in {s.value for s in codes.CarePlanStatus}:
            self.fail(f"{label}: ukjent status «{status}».")
            return None
        if status not in PLAN_STATUS_FROM_FHIR:
            return None  # earlier versions (revoked), drafts: not imported
        if resource.get("intent") != codes.CarePlanIntent.PLAN:
            self.fail(f"{label}: intent må være «plan».")
            return None
        before = len(errors)
        if not self.points_to_patient(resource.get("subject"), patient):
            self.fail(f"{label} gjelder ikke pasienten i Bundle (subject).")
        period = _dict(resource.get("period"))
        start = _date(period.get("start"), f"{label}: period.start", errors)
        end = _date(period.get("end"), f"{label}: period.end", errors)
        if start is None:
            self.fail(f"{label} mangler startdato (period.start).")
        if start and end and end < start:
            self.fail(f"{label}: sluttdatoen er før startdatoen.")
        if status == codes.CarePlanStatus.COMPLETED and end is None:
            self.fail(f"{label} er avsluttet (completed), men mangler sluttdato (period.end).")
        goals = []
        for reference in _list(resource.get("goal")):
            target = self.resolve(reference)
            if target is None or target.get("resourceType") != "Goal":
                self.fail(f"{label} viser til et mål (Goal) som ikke finnes i Bundle.")
                continue
            goal = self.goal(target, patient)
            if goal is not None:
                goals.append(goal)
        measures = [
            measure
            for activity in _list(resource.get("activity"))
            if isinstance(activity, dict)
            and (measure := self.measure(activity, goals, label)) is not None
        ]
        author = _dict(resource.get("author")).get("display")
        unit_name = _text(author, 150, f"{label}: ansvarlig enhet (author)", errors)
        if len(errors) > before or start is None:
            return None
        return PlanData(
            label=label,
            identifiers=_identifiers(resource),
            status=PLAN_STATUS_FROM_FHIR[status],
            start_date=start,
            end_date=end,
            what_matters=_text(resource.get("description"), 5000, f"{label}: beskrivelse", errors),
            unit_name=unit_name or DEFAULT_UNIT,
            goals=goals,
            measures=measures,
        )

    def consent(self, resource: Json, patient: PatientData) -> ConsentData | None:
        if resource.get("status") != codes.ConsentStatus.ACTIVE:
            return None
        label = _label(resource)
        if not self.points_to_patient(resource.get("patient"), patient):
            self.fail(f"{label} gjelder ikke pasienten i Bundle (patient).")
            return None
        provision = _dict(resource.get("provision"))
        given = resource.get("dateTime") or _dict(provision.get("period")).get("start")
        given_on = _date(given, f"{label}: dato", self.errors)
        if given_on is None:
            self.fail(f"{label} mangler dato for samtykket (dateTime).")
            return None
        kinds = [
            code
            for category in _list(resource.get("category"))
            for code in _codes(category, codes.CS_CONSENT_KIND)
        ]
        performer = next(iter(_list(resource.get("performer"))), None)
        given_by = (
            ConsentGiver.PERSON
            if performer is None or self.points_to_patient(performer, patient)
            else ConsentGiver.RELATIVE
        )
        scope = _dict(resource.get("policyRule")).get("text")
        return ConsentData(
            given_on=given_on,
            scope=(scope if isinstance(scope, str) and scope.strip() else "Individuell plan")[:300],
            given_by=given_by,
            for_plan=not kinds or ConsentKind.INDIVIDUAL_PLAN in kinds,
        )


# --- Writing


class _Writer:
    def __init__(
        self, actor: Actor, data: BundleData, outcome: ImportOutcome, *, operator: bool
    ) -> None:
        self.actor = actor
        self.data = data
        self.outcome = outcome
        self.operator = operator
        self.events: list[EventSpec] = []
        self.own_prefix = f"{actor.municipality.number}-"

    def event(self, action: AuditAction, object_type: str, pk: int, person: Person) -> None:
        self.events.append(EventSpec(action, object_type, pk, person))

    def count(self, created: bool, changed: bool) -> None:
        if created:
            self.outcome.created += 1
        elif changed:
            self.outcome.updated += 1
        else:
            self.outcome.unchanged += 1

    def access(self, person: Person) -> AccessGround:
        """The ground for reaching the person, from the same decision as the person's
        pages; ImportRefused when there is none."""
        if self.operator:
            # The operator's command (no user) acts for the municipality, like the other
            # import commands, not for anyone's care: audited as administration.
            return AccessGround(person_id=person.pk, purpose=AuditPurpose.ADMINISTRATION)
        decision = decide(self.actor, person.pk)
        if not decision.allowed:
            raise ImportRefused(person)
        return decision.ground(person.pk)

    def person(self) -> tuple[Person, AccessGround]:
        """The person and the ground for reaching them. A known person's access is asked
        for before anything of their record is read or changed."""
        data = self.data.patient
        person = Person.objects.filter(national_id=data.national_id).first()
        if person is None:
            missing = []
            if not data.given_name or not data.family_name:
                missing.append("navn (name.given og name.family)")
            if data.birth_date is None:
                missing.append("fødselsdato (birthDate)")
            if missing or data.birth_date is None:
                raise BundleError(
                    [f"Personen finnes ikke i kommunen, og Patient mangler {' og '.join(missing)}."]
                )
            person = Person.objects.create(
                national_id=data.national_id,
                national_id_kind=data.kind,
                given_name=data.given_name,
                family_name=data.family_name,
                birth_date=data.birth_date,
                phone=data.phone,
                email=data.email,
                street_address=data.street_address,
                postal_code=data.postal_code,
                postal_town=data.postal_town,
            )
            registration_access_grant(actor=self.actor, person=person)
            ground = self.access(person)
            self.event(AuditAction.IMPORT_CREATE, "person", person.pk, person)
            self.count(True, False)
            return person, ground
        ground = self.access(person)
        filled = []
        for name in ("phone", "email", "street_address", "postal_code", "postal_town"):
            if not getattr(person, name) and getattr(data, name):
                setattr(person, name, getattr(data, name))
                filled.append(name)
        if filled:
            person.save(update_fields=[*filled, "updated_at"])
            self.event(AuditAction.IMPORT_UPDATE, "person", person.pk, person)
        self.count(False, bool(filled))
        return person, ground

    def find(
        self, kind: str, model: type[M], identifiers: list[tuple[str, str]], **within: Any
    ) -> M | None:
        own_systems: dict[str, str] = {
            ExternalKind.PLAN: codes.ID_PLAN,
            ExternalKind.GOAL: codes.ID_GOAL,
            ExternalKind.MEASURE: codes.ID_MEASURE,
        }
        own_system = own_systems[kind]
        for system, value in identifiers:
            if system == own_system and value.startswith(self.own_prefix):
                pk = value.removeprefix(self.own_prefix)
                if pk.isdigit():
                    found = model.objects.filter(pk=int(pk), **within).first()
                    if found is not None:
                        return found
        for system, value in identifiers:
            row = ExternalId.objects.filter(kind=kind, system=system, value=value).first()
            if row is not None:
                found = model.objects.filter(pk=row.object_id, **within).first()
                if found is not None:
                    return found
        return None

    def remember(self, kind: str, pk: int, identifiers: list[tuple[str, str]]) -> None:
        for system, value in identifiers:
            if value.startswith(self.own_prefix) and system.startswith(codes.MESTRING):
                continue  # our own identifier: found without a row
            ExternalId.objects.update_or_create(
                kind=kind, system=system, value=value, defaults={"object_id": pk}
            )

    def consent(self, person: Person) -> Consent:
        existing = (
            Consent.objects.in_force()
            .filter(person=person, kind=ConsentKind.INDIVIDUAL_PLAN)
            .order_by("-given_on")
            .first()
        )
        if existing is not None:
            return existing
        candidates = [c for c in self.data.consents if c.for_plan]
        today = timezone.localdate()
        usable = [c for c in candidates if c.given_on <= today]
        if not usable:
            raise BundleError(
                [
                    "Planen kan ikke opprettes uten samtykke til individuell plan: Bundle mangler "
                    "en Consent med status «active» for pasienten, og personen har ikke samtykke "
                    "i kommunen."
                ]
            )
        chosen = max(usable, key=lambda c: c.given_on)
        consent = Consent.objects.create(
            person=person,
            kind=ConsentKind.INDIVIDUAL_PLAN,
            scope=chosen.scope,
            given_by=chosen.given_by,
            given_on=chosen.given_on,
            recorded_by=self.actor.user,
        )
        self.event(AuditAction.IMPORT_CREATE, "consent", consent.pk, person)
        self.outcome.created += 1
        return consent

    def unit(self, name: str) -> Unit:
        unit = Unit.objects.annotate(lower=Lower("name")).filter(lower=name.lower()).first()
        if unit is not None:
            return unit
        return Unit.objects.create(name=name, kind=UnitKind.INTERNAL)

    def plan(self, person: Person, data: PlanData) -> IndividualPlan:
        plan = self.find(ExternalKind.PLAN, IndividualPlan, data.identifiers, person=person)
        if plan is None and not data.identifiers:
            plan = IndividualPlan.objects.filter(person=person, start_date=data.start_date).first()
        if data.status == PlanStatus.ACTIVE:
            others = IndividualPlan.objects.filter(person=person, status=PlanStatus.ACTIVE)
            if plan is not None:
                others = others.exclude(pk=plan.pk)
            if others.exists():
                raise BundleError(
                    [
                        f"{data.label}: personen har allerede en annen aktiv plan i kommunen. "
                        "Avslutt den før planen importeres."
                    ]
                )
        unit = self.unit(data.unit_name)
        closed = data.status == PlanStatus.CLOSED
        values = {
            "status": data.status,
            "start_date": data.start_date,
            "end_date": data.end_date,
            "closed_on": data.end_date if closed else None,
            "what_matters": data.what_matters,
            "responsible_unit": unit,
        }
        created = plan is None
        before = "" if plan is None else plan.status
        if plan is None:
            plan = IndividualPlan.objects.create(
                person=person,
                consent=self.consent(person),
                closing_note="Avsluttet (importert fra FHIR)" if closed else "",
                **values,
            )
            changed = True
        else:
            changed = any(getattr(plan, name) != value for name, value in values.items())
            if changed:
                for name, value in values.items():
                    setattr(plan, name, value)
        if before != plan.status:
            # The other system's status is taken as given, not moved by the table; the
            # history still records each change, as statistics are built from it.
            plan.history.create(
                from_status=before, to_status=plan.status, changed_by=self.actor.user
            )
        self.remember(ExternalKind.PLAN, plan.pk, data.identifiers)
        goals_changed = self.goals(plan, data)
        measures_changed = self.measures(plan, data)
        if created or changed or goals_changed or measures_changed:
            if not created:
                plan.version += 1
                plan.updated_at = timezone.now()
                plan.save()
                self.event(AuditAction.IMPORT_UPDATE, "individual_plan", plan.pk, person)
            else:
                self.event(AuditAction.IMPORT_CREATE, "individual_plan", plan.pk, person)
            plan.refresh_from_db()
            PlanRevision.objects.create(
                plan=plan,
                number=plan.version,
                snapshot=build_snapshot(plan_content(plan)),
                saved_by=self.actor.user,
                summary="Importert fra FHIR" if created else "Oppdatert fra FHIR-import",
            )
        self.count(created, changed)
        return plan

    def goals(self, plan: IndividualPlan, data: PlanData) -> bool:
        any_change = False
        self.goal_objects: dict[int, Goal] = {}
        existing = list(Goal.objects.filter(plan=plan))
        for position, goal_data in enumerate(data.goals):
            goal = self.find(ExternalKind.GOAL, Goal, goal_data.identifiers, plan=plan)
            if goal is None and not goal_data.identifiers:
                goal = next((g for g in existing if g.text == goal_data.text), None)
            values = {
                "text": goal_data.text,
                "status": goal_data.status,
                "achievement": goal_data.achievement,
                "target_date": goal_data.target_date,
            }
            created = goal is None
            if goal is None:
                goal = Goal.objects.create(plan=plan, position=position, **values)
                before = ("", "")
                changed = True
            else:
                before = (goal.status, goal.achievement)
                changed = any(getattr(goal, name) != value for name, value in values.items())
                if changed:
                    for name, value in values.items():
                        setattr(goal, name, value)
                    goal.save(update_fields=list(values))
            if before != (goal.status, goal.achievement):
                GoalStatusChange.objects.create(
                    goal=goal,
                    from_status=before[0],
                    to_status=goal.status,
                    from_achievement=before[1],
                    to_achievement=goal.achievement,
                    changed_by=self.actor.user,
                )
            if changed:
                action = AuditAction.IMPORT_CREATE if created else AuditAction.IMPORT_UPDATE
                self.event(action, "plan_goal", goal.pk, plan.person)
            self.count(created, changed)
            any_change |= changed
            self.remember(ExternalKind.GOAL, goal.pk, goal_data.identifiers)
            self.goal_objects[id(goal_data)] = goal
        return any_change

    def measures(self, plan: IndividualPlan, data: PlanData) -> bool:
        any_change = False
        existing = list(Measure.objects.filter(plan=plan))
        for measure_data in data.measures:
            measure = self.find(ExternalKind.MEASURE, Measure, measure_data.identifiers, plan=plan)
            if measure is None and not measure_data.identifiers:
                measure = next((m for m in existing if m.title == measure_data.title), None)
            goal = self.goal_objects.get(id(measure_data.goal)) if measure_data.goal else None
            values = {
                "title": measure_data.title,
                "scope": measure_data.scope,
                "how": measure_data.how,
                "start_on": measure_data.start_on,
                "end_on": measure_data.end_on,
                "goal": goal,
            }
            created = measure is None
            if measure is None:
                values["responsible_other"] = measure_data.responsible_other
                measure = Measure.objects.create(plan=plan, **values)
                changed = True
            else:
                # Who is responsible is kept as the importing municipality set it: the
                # source names its own units and staff, which this municipality may have
                # replaced with its own.
                changed = any(getattr(measure, name) != value for name, value in values.items())
                if changed:
                    for name, value in values.items():
                        setattr(measure, name, value)
                    measure.save(update_fields=list(values))
            if changed:
                action = AuditAction.IMPORT_CREATE if created else AuditAction.IMPORT_UPDATE
                self.event(action, "plan_measure", measure.pk, plan.person)
            self.count(created, changed)
            any_change |= changed
            self.remember(ExternalKind.MEASURE, measure.pk, measure_data.identifiers)
        return any_change

    def run(self) -> None:
        person, ground = self.person()
        self.outcome.person = person
        for plan_data in sorted(self.data.plans, key=lambda p: p.start_date):
            self.outcome.plans.append(self.plan(person, plan_data))
        if not self.events:
            # Nothing changed, but the Bundle was compared with the person's record:
            # that is a read, audited as the person's pages audit one.
            self.event(AuditAction.VIEW, "fhir_import", person.pk, person)
        with access_ground(ground):
            record_events(actor=self.actor, specs=self.events)


def import_bundle(*, actor: Actor, bundle: Any, operator: bool = False) -> ImportOutcome:
    """Import a parsed Bundle (dict) into the actor's (active) municipality.

    All or nothing: on any error `outcome.errors` lists plain Norwegian messages and
    nothing is saved (no audit rows either). When the actor may not reach the known
    person, `outcome.refused` is set and nothing is saved but the refusal's audit row,
    which is written in the caller's transaction: a caller must answer the refusal,
    not raise it, or that row is rolled back with the rest.

    `operator=True` only for the `mestring fhir import` command: no user, no care
    relation asked for (see `_Writer.access`).
    """
    if operator and actor.user is not None:
        raise ValueError("An import for a user goes through the guard; operator is for commands.")
    outcome = ImportOutcome()
    reader = _Reader(bundle)
    data = reader.read()
    if data is None:
        outcome.errors = reader.errors[:MAX_ERRORS] or ["Bundle kunne ikke leses."]
        return outcome
    try:
        with transaction.atomic():
            _Writer(actor, data, outcome, operator=operator).run()
    except BundleError as exc:
        return ImportOutcome(errors=exc.errors)
    except ImportRefused as exc:
        # Everything the import did is rolled back; the refusal is kept, as the guard's.
        audit_refusal(actor, exc.person, action=AuditAction.IMPORT)
        return ImportOutcome(errors=[refused_message()], refused=True)
    return outcome


def import_text(*, actor: Actor, text: str | bytes, operator: bool = False) -> ImportOutcome:
    """import_bundle from a file's text (JSON)."""
    try:
        bundle = parse_json(text)
    except BundleError as exc:
        return ImportOutcome(errors=exc.errors)
    return import_bundle(actor=actor, bundle=bundle, operator=operator)
