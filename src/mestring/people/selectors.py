"""Reads of persons, units and staff. Always scoped to the active municipality."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from mestring.people.models import Person, Staff, Unit

PAGE_SIZE = 25
PERSON_SORTS = {
    "navn": ("family_name", "given_name", "birth_date", "pk"),
    "-navn": ("-family_name", "-given_name", "-birth_date", "-pk"),
    "fodt": ("birth_date", "family_name", "given_name", "pk"),
    "-fodt": ("-birth_date", "family_name", "given_name", "-pk"),
}
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class PersonQuery:
    text: str = ""
    birth_date: datetime.date | None = None
    sort: str = "navn"


def _parse_date(token: str) -> datetime.date | None:
    match = _DATE.match(token)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    iso = _ISO_DATE.match(token)
    if iso:
        parts = iso.groups()
    if not parts:
        return None
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def search_persons(query: PersonQuery) -> QuerySet[Person]:
    """Name words, a birth date (dd.mm.åååå) or an identity number, in any mix."""
    persons = Person.objects.all()
    if query.birth_date:
        persons = persons.filter(birth_date=query.birth_date)
    for token in query.text.split():
        digits = token.replace(" ", "")
        if digits.isdigit() and len(digits) == 11:
            persons = persons.filter(national_id=digits)
        elif (day := _parse_date(token)) is not None:
            persons = persons.filter(birth_date=day)
        else:
            persons = persons.filter(
                Q(given_name__istartswith=token) | Q(family_name__istartswith=token)
            )
    order = PERSON_SORTS.get(query.sort, PERSON_SORTS["navn"])
    return persons.order_by(*order).only(
        "pk", "given_name", "family_name", "birth_date", "person_ref", "postal_town"
    )


def paginate(queryset: QuerySet, page_number: object, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(page_number)


def person_overview(person: Person) -> dict[str, object]:
    """What the overview page shows, in a fixed number of queries."""
    return {
        "relatives": list(person.relatives.all()),
        "involvements": list(person.involvements.select_related("unit").order_by("-started_on")),
    }


def units(*, include_inactive: bool = True) -> QuerySet[Unit]:
    queryset = Unit.objects.all()
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("name")


def staff_list(text: str = "") -> QuerySet[Staff]:
    queryset = Staff.objects.select_related("user").prefetch_related(
        "units", "role_assignments__role", "role_assignments__unit"
    )
    for token in text.split():
        queryset = queryset.filter(
            Q(user__first_name__icontains=token)
            | Q(user__last_name__icontains=token)
            | Q(user__username__icontains=token)
        )
    return queryset.order_by("user__last_name", "user__first_name", "pk")
