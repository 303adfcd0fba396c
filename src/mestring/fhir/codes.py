"""FHIR R4 codes as enums, and how Mestring's own choices map to them.

Every enum mirrors the FHIR R4 (4.0.1, unchanged in R4B) value set named in its
docstring, with exactly the codes of that value set that Mestring uses or reads.
`fhir.resources` checks the structure of a resource but not value sets, so the tests
check every exported code against these enums.

Where FHIR has no code for something Mestring records (the coordinator's role, the
member kinds, the parts of SPPB, COPM and PSFS), a local CodeSystem under
`https://mestring.no/fhir/CodeSystem/` is used. Those URLs are Mestring's own and
name no external terminology.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from mestring.access.models import ConsentKind
from mestring.outcomes.models import Instrument
from mestring.plans.models import Achievement, GoalStatus, PlanStatus
from mestring.teams.models import MeetingStatus, MemberKind

# --- Identifier systems and profiles

# Norwegian identity numbers (HL7 Norway, no-basis): OIDs registered by the
# Directorate of e-health.
FODSELSNUMMER: Final = "urn:oid:2.16.578.1.12.4.1.4.1"
D_NUMMER: Final = "urn:oid:2.16.578.1.12.4.1.4.2"
# Helsepersonellregisteret (HPR) number, as used by no-basis-Practitioner.
HPR_NUMMER: Final = "urn:oid:2.16.578.1.12.4.1.4.4"
NO_BASIS_PATIENT: Final = "http://hl7.no/fhir/StructureDefinition/no-basis-Patient"

# Mestring's own identifiers: value "<kommunenummer>-<id>" so that one value never
# means two things in two municipalities.
MESTRING: Final = "https://mestring.no/fhir"
ID_PLAN: Final = f"{MESTRING}/id/plan"
ID_PLAN_VERSION: Final = f"{MESTRING}/id/plan-version"
ID_GOAL: Final = f"{MESTRING}/id/goal"
ID_MEASURE: Final = f"{MESTRING}/id/measure"
ID_GROUP: Final = f"{MESTRING}/id/group"
ID_MEETING: Final = f"{MESTRING}/id/meeting"
ID_OBSERVATION: Final = f"{MESTRING}/id/observation"
ID_CONSENT: Final = f"{MESTRING}/id/consent"

# Extensions (Mestring's own) on CarePlan.activity, which has no identifier of its own.
EXT_SOURCE_ID: Final = f"{MESTRING}/StructureDefinition/source-id"
EXT_MEASURE_SCOPE: Final = f"{MESTRING}/StructureDefinition/measure-scope"

# Local code systems.
CS_GOAL_STATUS: Final = f"{MESTRING}/CodeSystem/goal-status"
CS_ACHIEVEMENT: Final = f"{MESTRING}/CodeSystem/achievement"
CS_CARETEAM_ROLE: Final = f"{MESTRING}/CodeSystem/careteam-role"
CS_CONSENT_KIND: Final = f"{MESTRING}/CodeSystem/consent-kind"
# No LOINC code is used for SPPB, COPM or PSFS: we could not verify a LOINC code for
# any of the three (nor for their parts), and a guessed LOINC code would be worse
# than none. So the instruments and their parts are coded in these local systems
# (code = outcomes.Instrument value: sppb / copm / psfs). Add a LOINC coding beside
# the local one only once a code is confirmed in the LOINC database.
CS_INSTRUMENT: Final = f"{MESTRING}/CodeSystem/instrument"
CS_INSTRUMENT_ITEM: Final = f"{MESTRING}/CodeSystem/instrument-item"

# FHIR / HL7 terminology systems.
HL7_GOAL_ACHIEVEMENT: Final = "http://terminology.hl7.org/CodeSystem/goal-achievement"
HL7_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
HL7_PARTICIPATION_TYPE: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
HL7_OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
HL7_CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
HL7_CONSENT_ACTION: Final = "http://terminology.hl7.org/CodeSystem/consentaction"
LOINC: Final = "http://loinc.org"
# LOINC 59284-0 "Patient Consent": listed in FHIR's consent-category value set and used
# by the FHIR Consent examples and e.g. CH Core.
LOINC_PATIENT_CONSENT: Final = "59284-0"
UCUM: Final = "http://unitsofmeasure.org"


# --- Value sets


class CarePlanStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/request-status"""

    DRAFT = "draft"
    ACTIVE = "active"
    ON_HOLD = "on-hold"
    REVOKED = "revoked"
    COMPLETED = "completed"
    ENTERED_IN_ERROR = "entered-in-error"
    UNKNOWN = "unknown"


class CarePlanIntent(StrEnum):
    """http://hl7.org/fhir/ValueSet/care-plan-intent"""

    PROPOSAL = "proposal"
    PLAN = "plan"
    ORDER = "order"
    OPTION = "option"


class CarePlanActivityStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/care-plan-activity-status"""

    NOT_STARTED = "not-started"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in-progress"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    STOPPED = "stopped"
    UNKNOWN = "unknown"
    ENTERED_IN_ERROR = "entered-in-error"


class GoalLifecycleStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/goal-status"""

    PROPOSED = "proposed"
    PLANNED = "planned"
    ACCEPTED = "accepted"
    ACTIVE = "active"
    ON_HOLD = "on-hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered-in-error"
    REJECTED = "rejected"


class GoalAchievementStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/goal-achievement (system HL7_GOAL_ACHIEVEMENT)"""

    IN_PROGRESS = "in-progress"
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no-change"
    ACHIEVED = "achieved"
    SUSTAINING = "sustaining"
    NOT_ACHIEVED = "not-achieved"
    NO_PROGRESS = "no-progress"
    NOT_ATTAINABLE = "not-attainable"


class EncounterStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/encounter-status"""

    PLANNED = "planned"
    ARRIVED = "arrived"
    TRIAGED = "triaged"
    IN_PROGRESS = "in-progress"
    ONLEAVE = "onleave"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered-in-error"
    UNKNOWN = "unknown"


class EncounterClass(StrEnum):
    """http://terminology.hl7.org/ValueSet/v3-ActEncounterCode (system HL7_ACT_CODE)"""

    AMBULATORY = "AMB"
    HOME_HEALTH = "HH"
    VIRTUAL = "VR"


class ParticipationType(StrEnum):
    """http://hl7.org/fhir/ValueSet/encounter-participant-type (v3-ParticipationType)"""

    ATTENDER = "ATND"
    PARTICIPATION = "PART"


class ObservationStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/observation-status"""

    REGISTERED = "registered"
    PRELIMINARY = "preliminary"
    FINAL = "final"
    AMENDED = "amended"
    CORRECTED = "corrected"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered-in-error"
    UNKNOWN = "unknown"


class ObservationCategory(StrEnum):
    """http://hl7.org/fhir/ValueSet/observation-category (system HL7_OBSERVATION_CATEGORY)"""

    SURVEY = "survey"
    EXAM = "exam"
    THERAPY = "therapy"
    ACTIVITY = "activity"


class ConsentStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/consent-state-codes"""

    DRAFT = "draft"
    PROPOSED = "proposed"
    ACTIVE = "active"
    REJECTED = "rejected"
    INACTIVE = "inactive"
    ENTERED_IN_ERROR = "entered-in-error"


class ConsentScope(StrEnum):
    """http://hl7.org/fhir/ValueSet/consent-scope (system HL7_CONSENT_SCOPE)"""

    ADR = "adr"
    RESEARCH = "research"
    PATIENT_PRIVACY = "patient-privacy"
    TREATMENT = "treatment"


class ConsentProvisionType(StrEnum):
    """http://hl7.org/fhir/ValueSet/consent-provision-type"""

    DENY = "deny"
    PERMIT = "permit"


class CareTeamStatus(StrEnum):
    """http://hl7.org/fhir/ValueSet/care-team-status"""

    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    INACTIVE = "inactive"
    ENTERED_IN_ERROR = "entered-in-error"


class BundleType(StrEnum):
    """http://hl7.org/fhir/ValueSet/bundle-type (the codes Mestring reads)"""

    DOCUMENT = "document"
    MESSAGE = "message"
    TRANSACTION = "transaction"
    BATCH = "batch"
    SEARCHSET = "searchset"
    COLLECTION = "collection"


class CareTeamRole(StrEnum):
    """Local (CS_CARETEAM_ROLE): the coordinator, and the member kinds of teams."""

    COORDINATOR = "koordinator"
    PERSON = MemberKind.PERSON.value
    RELATIVE = MemberKind.RELATIVE.value
    INTERNAL = MemberKind.INTERNAL.value
    EXTERNAL = MemberKind.EXTERNAL.value


class InstrumentCode(StrEnum):
    """Local (CS_INSTRUMENT): see the note on CS_INSTRUMENT about LOINC."""

    SPPB = Instrument.SPPB.value
    COPM = Instrument.COPM.value
    PSFS = Instrument.PSFS.value


# --- Mappings from Mestring's choices

PLAN_STATUS: Final[dict[str, CarePlanStatus]] = {
    PlanStatus.ACTIVE: CarePlanStatus.ACTIVE,
    PlanStatus.CLOSED: CarePlanStatus.COMPLETED,
}

GOAL_STATUS: Final[dict[str, GoalLifecycleStatus]] = {
    GoalStatus.PROPOSED: GoalLifecycleStatus.PROPOSED,
    GoalStatus.ACTIVE: GoalLifecycleStatus.ACTIVE,
    GoalStatus.ENDED: GoalLifecycleStatus.COMPLETED,
    GoalStatus.CANCELLED: GoalLifecycleStatus.CANCELLED,
}
# Read back; codes Mestring does not write fall on the nearest status.
GOAL_STATUS_FROM_FHIR: Final[dict[str, str]] = {
    **{fhir: ours for ours, fhir in GOAL_STATUS.items()},
    GoalLifecycleStatus.PLANNED: GoalStatus.PROPOSED,
    GoalLifecycleStatus.ACCEPTED: GoalStatus.ACTIVE,
    GoalLifecycleStatus.ON_HOLD: GoalStatus.ACTIVE,
    GoalLifecycleStatus.REJECTED: GoalStatus.CANCELLED,
}

ACHIEVEMENT: Final[dict[str, GoalAchievementStatus]] = {
    Achievement.NOT_STARTED: GoalAchievementStatus.NO_PROGRESS,
    Achievement.IN_PROGRESS: GoalAchievementStatus.IN_PROGRESS,
    Achievement.PARTLY: GoalAchievementStatus.IMPROVING,
    Achievement.ACHIEVED: GoalAchievementStatus.ACHIEVED,
    Achievement.NOT_ACHIEVED: GoalAchievementStatus.NOT_ACHIEVED,
}
ACHIEVEMENT_FROM_FHIR: Final[dict[str, str]] = {
    **{fhir: ours for ours, fhir in ACHIEVEMENT.items()},
    GoalAchievementStatus.WORSENING: Achievement.IN_PROGRESS,
    GoalAchievementStatus.NO_CHANGE: Achievement.IN_PROGRESS,
    GoalAchievementStatus.SUSTAINING: Achievement.ACHIEVED,
    GoalAchievementStatus.NOT_ATTAINABLE: Achievement.NOT_ACHIEVED,
}

MEETING_STATUS: Final[dict[str, EncounterStatus]] = {
    MeetingStatus.PLANNED: EncounterStatus.PLANNED,
    MeetingStatus.HELD: EncounterStatus.FINISHED,
    MeetingStatus.CANCELLED: EncounterStatus.CANCELLED,
}

OBSERVATION_CATEGORY: Final[dict[str, ObservationCategory]] = {
    Instrument.SPPB: ObservationCategory.EXAM,  # a performance test
    Instrument.COPM: ObservationCategory.SURVEY,  # the person's own rating
    Instrument.PSFS: ObservationCategory.SURVEY,
}

# Both kinds Mestring records are about collecting and sharing information.
CONSENT_SCOPE: Final[dict[str, ConsentScope]] = {
    ConsentKind.INDIVIDUAL_PLAN: ConsentScope.PATIENT_PRIVACY,
    ConsentKind.SHARING: ConsentScope.PATIENT_PRIVACY,
    ConsentKind.OTHER: ConsentScope.PATIENT_PRIVACY,
}
