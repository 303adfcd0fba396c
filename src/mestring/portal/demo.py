"""Demo data for the citizen login: relatives with an identity number and a right to act.

The demo persons already have synthetic identity numbers (demo/build.py; every tenth has
none). This adds relatives that can log in on the development provider
(`/min-side/logg-inn/?kommune=<demo municipality>` → "Logg inn som …"):

- "Vera Verge" – guardian (vergemål) for an adult: lands on that person's pages.
- "Frida Fullmektig" – power of attorney (fullmakt) for an elderly person.
- An adult demo person who is also the parent (foreldreansvar) of a child under 16:
  listed under "Pårørende" with their own name; they choose between their own pages
  and the child's ("Hvem vil du se sidene til?").
- "Petter Forelder" – parental responsibility for a child of 16 or 17: not found,
  since the child's own consent is needed from MESTRING_CHILD_CONSENT_AGE (16).
- "Nina Nabo" – a relative without a right to act: not found.
Any demo person with a number can log in to their own pages. Choosing the assurance
level "betydelig" shows the refusal.

Synthetic identity numbers only. Idempotent: nothing happens if "Vera Verge" exists.
"""

from __future__ import annotations

import datetime
import random

from mestring.people.identity import random_synthetic_national_id
from mestring.people.models import ActingBasis, Person, RelationType, Relative

GUARDIAN = "Vera Verge"
ATTORNEY = "Frida Fullmektig"
TOO_OLD_PARENT = "Petter Forelder"
NO_BASIS = "Nina Nabo"


def _pick(persons: list[Person], today: datetime.date, low: int, high: int) -> Person | None:
    """The first person (in the given order) with an identity number aged low..high."""
    return next(
        (p for p in persons if p.national_id and low <= p.age_on(today) <= high),
        None,
    )


def build_portal_demo(rng: random.Random, persons: list[Person], today: datetime.date) -> None:
    if Relative.objects.filter(name=GUARDIAN).exclude(national_id="").exists():
        return
    persons = sorted(persons, key=lambda p: p.person_ref or str(p.pk))
    used: set[int] = set()

    def pick(low: int, high: int) -> Person | None:
        found = _pick([p for p in persons if p.pk not in used], today, low, high)
        if found is not None:
            used.add(found.pk)
        return found

    def synthetic_id(age: int) -> str:
        return random_synthetic_national_id(rng, today - datetime.timedelta(days=age * 365 + 100))

    relatives: list[Relative] = []
    ward = pick(18, 66) or pick(67, 120)
    if ward is not None:
        relatives.append(
            Relative(
                person=ward,
                name=GUARDIAN,
                relation=RelationType.GUARDIAN,
                acting_basis=ActingBasis.GUARDIANSHIP,
                national_id=synthetic_id(52),
                phone="99 00 00 01",
            )
        )
    elderly = pick(75, 120)
    if elderly is not None:
        relatives.append(
            Relative(
                person=elderly,
                name=ATTORNEY,
                relation=RelationType.CHILD,
                acting_basis=ActingBasis.POWER_OF_ATTORNEY,
                national_id=synthetic_id(48),
                phone="99 00 00 02",
            )
        )
    child = pick(3, 13)
    parent = pick(28, 50)
    if child is not None and parent is not None:
        relatives.append(
            Relative(
                person=child,
                name=parent.full_name,
                relation=RelationType.PARENT,
                acting_basis=ActingBasis.PARENTAL_RESPONSIBILITY,
                national_id=parent.national_id,
                phone="99 00 00 03",
            )
        )
    teenager = pick(16, 17)
    if teenager is not None:
        relatives.append(
            Relative(
                person=teenager,
                name=TOO_OLD_PARENT,
                relation=RelationType.PARENT,
                acting_basis=ActingBasis.PARENTAL_RESPONSIBILITY,
                national_id=synthetic_id(45),
            )
        )
    neighbour = pick(18, 120)
    if neighbour is not None:
        relatives.append(
            Relative(
                person=neighbour,
                name=NO_BASIS,
                relation=RelationType.FRIEND,
                acting_basis=ActingBasis.NONE,
                national_id=synthetic_id(60),
            )
        )
    for relative in relatives:
        relative.municipality_id = relative.person.municipality_id
        relative.save()
