"""Shared helpers for the public pages' tests."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from mestring.public import services
from mestring.public.models import OrganisationEvent, OrganisationStatus, UserOrganisation
from mestring.tenancy.models import Municipality

LINK = re.compile(r"https?://[^\s]+/brukerorganisasjoner/endre/([A-Za-z0-9_-]+)/")


def org_data(**extra: str) -> dict[str, str]:
    data = {
        "name": "Synsforeningen lokallag",
        "contact_name": "Siri Syn",
        "email": "syn@demo.invalid",
        "phone": "12345678",
        "website": "https://syn.demo.invalid",
        "purpose": "Likepersoner og treff for svaksynte.",
    }
    return {**data, **extra}


def make_org(
    municipality: Municipality,
    *,
    name: str = "Organisasjon",
    status: str = OrganisationStatus.APPROVED,
    email: str = "org@demo.invalid",
) -> UserOrganisation:
    now = timezone.now()
    return UserOrganisation.all_objects.create(
        municipality=municipality,
        name=name,
        contact_name="Kontakt Person",
        email=email,
        purpose=f"Formålet til {name}.",
        status=status,
        submitted_at=now,
        updated_at=now,
        approved_at=now if status == OrganisationStatus.APPROVED else None,
    )


def make_event(
    organisation: UserOrganisation, title: str, days_from_today: int
) -> OrganisationEvent:
    return OrganisationEvent.all_objects.create(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        title=title,
        starts_on=timezone.localdate() + datetime.timedelta(days=days_from_today),
    )


def give_token(organisation: UserOrganisation, *, days: int = 30) -> str:
    token = f"testtoken-{organisation.pk}-{days}"
    organisation.edit_token_hash = services.hash_token(token)
    organisation.edit_token_expires_at = timezone.now() + datetime.timedelta(days=days)
    organisation.save()
    return token


def token_from_mail(message: object) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)
