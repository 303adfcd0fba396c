"""Plain-language labels for audit events, for the access log that people read.

The "why" column comes from fixed lists only (relation kinds, emergency reasons, reasons
for lifting a block, purposes), never from free text a staff member typed.
"""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mestring.access.boards import UNIT_WORK, UNIT_WORK_LABEL
from mestring.access.models import (
    AuditEvent,
    AuditPurpose,
    BlockLiftReason,
    CareRelationKind,
    EmergencyReason,
)
from mestring.access.permissions import DEFAULT_ROLES
from mestring.people.models import ActingBasis

register = template.Library()

ACTIONS = {
    "view": _("Så på opplysninger"),
    "create": _("Registrerte opplysninger"),
    "update": _("Endret opplysninger"),
    "import_create": _("Registrert ved import"),
    "import_update": _("Endret ved import"),
    "grant": _("Ga tilgang"),
    "end": _("Avsluttet tilgang"),
    "block": _("Registrerte sperring"),
    "unblock": _("Opphevet sperring"),
    "consent_given": _("Registrerte samtykke"),
    "consent_withdrawn": _("Registrerte at samtykke ble trukket"),
    "emergency_access": _("Tok i bruk nødtilgang"),
    "review": _("Gjennomgikk nødtilgang"),
    "export": _("Hentet ut opplysninger"),
    "answer": _("Svarte"),
    "accept": _("Tok inn i planen"),
    "decline": _("Avslo"),
    "handle": _("Behandlet"),
    "login": _("Logget inn på Min side"),
}
OBJECTS = {
    "person": _("personopplysninger"),
    "relative": _("pårørende"),
    "unit_involvement": _("involverte enheter"),
    "consent": _("samtykke"),
    "consents": _("samtykker"),
    "care_relation": _("tilgang"),
    "care_relations": _("tilganger"),
    "access_log": _("tilgangsloggen"),
    "block": _("sperring"),
    "citizen_comment": _("kommentar fra innbygger"),
    "citizen_message": _("melding"),
    "block_request": _("ønske om sperring"),
    "decision_letter": _("vedtaksbrev"),
    "case": _("sak"),
    "bed_board": _("sengeoversikten"),
    "purchase_agreement": _("oversikt over kjøpte plasser"),
    "prescription_list": _("listen over frisklivsresepter"),
    "episode_waiting_list": _("ventelisten for rehabilitering"),
    "waiting_list": _("ventelisten"),
    "referral_inbox": _("innboksen for meldinger om behov"),
    "case_list": _("sakslisten"),
    "deadlines": _("fristoversikten"),
    "coordination_list": _("koordinerende enhets lister"),
    "course": _("kurssiden"),
    "follow_up_list": _("oppfølgingslisten"),
    "representation": _("rett til å handle på vegne av personen"),
}
REASONS: dict[str, str | Promise] = {
    **dict(CareRelationKind.choices),
    **dict(EmergencyReason.choices),
    **dict(BlockLiftReason.choices),
    "administrasjon": _("Administrasjon av tilganger"),
    UNIT_WORK: UNIT_WORK_LABEL,
}
# A relative acting on the person's behalf on the citizen pages: pa_vegne_av:<basis>.
ON_BEHALF_PREFIX = "pa_vegne_av:"
# Roles of those who act on the citizen pages, beside the staff roles.
CITIZEN_ROLES = {
    "innbygger": _("Personen selv"),
    "pårørende": _("Pårørende"),
    "innbygger-innlogging": _("Innlogging på Min side"),
}


# Where the object makes the action read differently.
ACTIONS_ON = {("review", "care_relation"): _("Gjennomgikk tilgang")}


@register.filter
def action_label(event: AuditEvent) -> str:
    if (event.action, event.object_type) in ACTIONS_ON:
        return str(ACTIONS_ON[event.action, event.object_type])
    action = ACTIONS.get(event.action, event.action)
    what = OBJECTS.get(event.object_type)
    return f"{action} ({what})" if what and event.object_type != "person" else str(action)


@register.filter
def reason_label(event: AuditEvent) -> str:
    if event.reason_code.startswith(ON_BEHALF_PREFIX):
        basis = event.reason_code.removeprefix(ON_BEHALF_PREFIX)
        basis_label = dict(ActingBasis.choices).get(basis, basis)
        return str(_("På vegne av personen (%(basis)s)") % {"basis": str(basis_label).lower()})
    if event.reason_code in REASONS:
        reason = str(REASONS[event.reason_code])
    else:
        reason = str(dict(AuditPurpose.choices).get(event.purpose, ""))
    if event.purpose == AuditPurpose.EMERGENCY:
        return f"{_('Nødtilgang')}: {reason}"
    return reason


@register.filter
def role_labels(codes: str) -> str:
    names = []
    for code in (c for c in codes.split(",") if c):
        if code in DEFAULT_ROLES:
            names.append(str(DEFAULT_ROLES[code][0]))
        elif code in CITIZEN_ROLES:
            names.append(str(CITIZEN_ROLES[code]))
        else:
            names.append(str(dict(ActingBasis.choices).get(code, code)))
    return ", ".join(names)
