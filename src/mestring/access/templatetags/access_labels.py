"""Plain-language labels for audit events, for the access log that people read.

The "why" column comes from fixed lists only (relation kinds, emergency reasons, reasons
for lifting a block, purposes), never from free text a staff member typed.
"""

from __future__ import annotations

from django import template
from django.utils.text import capfirst
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
from mestring.kernel.audit_words import AuditAction, audit_action_label
from mestring.people.models import ActingBasis

register = template.Library()

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
REASONS: dict[str, str] = {
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


# Actions whose words do not say what they were done to: the log names the object.
GENERIC_ACTIONS = frozenset(
    {
        AuditAction.VIEW,
        AuditAction.OPEN_PAGE,
        AuditAction.EXPORT,
        AuditAction.WRITE,
        AuditAction.CREATE,
        AuditAction.UPDATE,
        AuditAction.DELETE,
        AuditAction.END,
        AuditAction.CLOSE,
        AuditAction.IMPORT,
        AuditAction.IMPORT_CREATE,
        AuditAction.IMPORT_UPDATE,
        AuditAction.DEMO_CREATE,
    }
)


@register.filter
def action_label(event: AuditEvent) -> str:
    """What the actor did, in words from the audit vocabulary (never the stored code)."""
    action = capfirst(audit_action_label(event.action))
    what = OBJECTS.get(event.object_type)
    if what and event.action in GENERIC_ACTIONS and event.object_type != "person":
        return f"{action} ({what})"
    return str(action)


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
