"""Permissions and the default roles every municipality starts with.

Permissions are codes defined here; which role has which is data (Role.permissions),
so a municipality can change it. A permission never replaces the care relation:
reading a person's record always needs one as well (access.guard).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PERSON_SEARCH = "person.search"
PERSON_REGISTER = "person.register"
ADMIN_UNITS = "admin.units"
ADMIN_STAFF = "admin.staff"
STATISTICS_VIEW = "statistics.view"
ACCESS_REVIEW = "access.review"
ACCESS_GRANT = "access.grant"
# Lifting a block (sperring) the person asked for: those who administer access, never
# anyone the block covers (access.services.block_lift_refusal).
ACCESS_BLOCK_LIFT = "access.block_lift"
# Work lists of rehabilitation: episode waiting list, bed board, courses, frisklivsresept.
REHAB_REGISTER = "rehab.register"
# The device store: items, deliveries and returns (name, address and phone of the
# person, never the record).
DEVICES_MANAGE = "devices.manage"
# The municipal plan: the action plan, population figures for projections.
PLAN_EDIT = "planning.edit"

PERMISSIONS: dict[str, str] = {
    PERSON_SEARCH: _("Søke etter personer"),
    PERSON_REGISTER: _("Registrere nye personer"),
    ADMIN_UNITS: _("Administrere enheter"),
    ADMIN_STAFF: _("Administrere ansatte og roller"),
    STATISTICS_VIEW: _("Se statistikk"),
    ACCESS_REVIEW: _("Gjennomgå nødtilgang"),
    ACCESS_GRANT: _("Gi tilgang til personer"),
    ACCESS_BLOCK_LIFT: _("Oppheve sperringer personer har bedt om"),
    REHAB_REGISTER: _("Registrere henvisninger, opphold og deltakere i rehabilitering"),
    DEVICES_MANAGE: _("Drive hjelpemiddellageret: hjelpemidler, utlevering og retur"),
    PLAN_EDIT: _("Endre tiltaksplanen og importere befolkningstall"),
}

# code: (name, permissions). Created for every new municipality.
DEFAULT_ROLES: dict[str, tuple[str, list[str]]] = {
    "saksbehandler": (
        _("Saksbehandler (tjenestekontor)"),
        [PERSON_SEARCH, PERSON_REGISTER, STATISTICS_VIEW, REHAB_REGISTER],
    ),
    "leder_ke": (
        _("Leder koordinerende enhet"),
        [
            PERSON_SEARCH,
            PERSON_REGISTER,
            ACCESS_REVIEW,
            ACCESS_GRANT,
            ACCESS_BLOCK_LIFT,
            STATISTICS_VIEW,
        ],
    ),
    "koordinator": (_("Koordinator"), [PERSON_SEARCH]),
    "tjenesteyter": (_("Tjenesteyter"), [PERSON_SEARCH, REHAB_REGISTER]),
    "planlegger": (_("Planlegger / enhetsleder"), [STATISTICS_VIEW, PLAN_EDIT]),
    "hjelpemiddeltekniker": (_("Hjelpemiddeltekniker"), [DEVICES_MANAGE]),
    "administrator": (_("Administrator"), [ADMIN_UNITS, ADMIN_STAFF]),
}
