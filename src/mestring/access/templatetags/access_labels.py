"""Plain-language labels for audit events, for the access log that people read.

The "why" column comes from fixed lists only (relation kinds, emergency reasons,
purposes), never from free text a staff member typed.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from mestring.access.models import AuditEvent, AuditPurpose, CareRelationKind, EmergencyReason
from mestring.access.permissions import DEFAULT_ROLES

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
}
REASONS: dict[str, str] = {
    **dict(CareRelationKind.choices),
    **dict(EmergencyReason.choices),
    "administrasjon": _("Administrasjon av tilganger"),
}


@register.filter
def action_label(event: AuditEvent) -> str:
    action = ACTIONS.get(event.action, event.action)
    what = OBJECTS.get(event.object_type)
    return f"{action} ({what})" if what and event.object_type != "person" else str(action)


@register.filter
def reason_label(event: AuditEvent) -> str:
    if event.reason_code in REASONS:
        reason = str(REASONS[event.reason_code])
    else:
        reason = str(dict(AuditPurpose.choices).get(event.purpose, ""))
    if event.purpose == AuditPurpose.EMERGENCY:
        return f"{_('Nødtilgang')}: {reason}"
    return reason


@register.filter
def role_labels(codes: str) -> str:
    names = [str(DEFAULT_ROLES[c][0]) if c in DEFAULT_ROLES else c for c in codes.split(",") if c]
    return ", ".join(names)
