"""Reads of the public pages. Nothing here ever touches a person: only the
municipality's services, its public profile and the approved user organisations."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mestring.catalogue.models import Service
from mestring.public.models import (
    OrganisationEvent,
    OrganisationStatus,
    PublicProfile,
    UserOrganisation,
)
from mestring.public.services import hash_token
from mestring.tenancy.models import Municipality

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The rehabilitation pyramid in plain words, for citizens (level: heading, explanation).
PYRAMID_GROUPS: dict[int | None, tuple[StrOrPromise, StrOrPromise]] = {
    1: (
        _("Forebygging og mestring i hverdagen"),
        _("Tilbud for alle som vil holde seg aktive og klare seg selv lenger."),
    ),
    2: (
        _("Hjelp til å komme i gang igjen hjemme"),
        _("Korte og tidlige tilbud, ofte hjemme hos deg, når hverdagen har blitt tyngre."),
    ),
    3: (
        _("Rehabilitering og oppfølging i kommunen"),
        _("Når du trenger mer hjelp over tid fra kommunens helse- og omsorgstjenester."),
    ),
    4: (
        _("Sammensatt rehabilitering"),
        _("Når mange tjenester må samarbeide om deg, i kommunen eller sammen med sykehuset."),
    ),
    5: (
        _("Spesialisthelsetjenesten"),
        _("Rehabilitering i sykehus eller institusjon, etter henvisning fra lege."),
    ),
    None: (
        _("Andre tjenester og ordninger"),
        _("Praktiske ordninger som kan gjøre hverdagen enklere."),
    ),
}


@dataclass
class ServiceGroup:
    level: int | None
    title: str
    explanation: str
    services: list[Service] = field(default_factory=list)


def municipality_or_404(number: str) -> Municipality:
    """The municipality named in a public address, or a 404."""
    if not (len(number) == 4 and number.isdigit()):
        raise Http404
    municipality = Municipality.objects.filter(number=number).first()
    if municipality is None:
        raise Http404
    return municipality


def all_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def public_profile() -> PublicProfile | None:
    return PublicProfile.objects.select_related("coordinating_unit").first()


def contact(profile: PublicProfile | None) -> dict[str, str]:
    """Whom citizens contact: the profile's details, else the coordinating unit's."""
    unit = profile.coordinating_unit if profile else None

    def pick(name: str) -> str:
        own = getattr(profile, name, "") if profile else ""
        return own or (getattr(unit, name, "") if unit else "")

    return {
        "unit": unit.name if unit else "",
        "phone": pick("phone"),
        "email": pick("email"),
        "address": pick("address"),
        "opening_hours": profile.opening_hours if profile else "",
    }


def active_services() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True).only(
        "code", "name", "description", "how_to_apply", "pyramid_level", "municipality_id"
    )


def service_groups(services: list[Service]) -> list[ServiceGroup]:
    """Services grouped by pyramid level, lowest first; those without a level last."""
    groups = {
        level: ServiceGroup(level, str(title), str(explanation))
        for level, (title, explanation) in PYRAMID_GROUPS.items()
    }
    for service in sorted(services, key=lambda s: s.name.casefold()):
        groups[service.pyramid_level if service.pyramid_level in groups else None].services.append(
            service
        )
    return [group for group in groups.values() if group.services]


def pyramid_words(level: int | None) -> ServiceGroup:
    title, explanation = PYRAMID_GROUPS.get(level, PYRAMID_GROUPS[None])
    return ServiceGroup(level, str(title), str(explanation))


def published_organisations(today: datetime.date | None = None) -> QuerySet[UserOrganisation]:
    """Approved organisations with their events from today on (two queries)."""
    today = today or timezone.localdate()
    upcoming = OrganisationEvent.objects.filter(starts_on__gte=today).order_by("starts_on", "title")
    return (
        UserOrganisation.objects.filter(status=OrganisationStatus.APPROVED)
        .prefetch_related(Prefetch("events", queryset=upcoming, to_attr="upcoming_events"))
        .order_by("name")
    )


def moderation_list(status: str) -> QuerySet[UserOrganisation]:
    order = "submitted_at" if status == OrganisationStatus.PENDING else "name"
    return (
        UserOrganisation.objects.filter(status=status)
        .select_related("approved_by")
        .order_by(order, "pk")
    )


def status_counts() -> dict[str, int]:
    counts = dict.fromkeys(OrganisationStatus.values, 0)
    rows = UserOrganisation.objects.values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


class TokenState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


def organisation_for_token(token: str) -> tuple[UserOrganisation | None, TokenState]:
    """The approved organisation a personal link belongs to, and whether it still works."""
    if not token or len(token) > 100:
        return None, TokenState.INVALID
    organisation = (
        UserOrganisation.objects.filter(
            edit_token_hash=hash_token(token), status=OrganisationStatus.APPROVED
        )
        .order_by("pk")
        .first()
    )
    if organisation is None or organisation.edit_token_expires_at is None:
        return None, TokenState.INVALID
    if organisation.edit_token_expires_at <= timezone.now():
        return organisation, TokenState.EXPIRED
    return organisation, TokenState.VALID
