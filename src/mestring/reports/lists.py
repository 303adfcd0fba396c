"""The lists behind the coordinating unit's figures. Each names persons, so each is for
the coordinating unit only and is audited when shown or downloaded."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mestring.core.reporting import adult_threshold
from mestring.plans import selectors as plan_selectors
from mestring.reports import coordination
from mestring.reports.individual_plans import plans_in_force
from mestring.teams import selectors as team_selectors

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _d(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "d.m.Y H:i")
    return date_format(value, "d.m.Y")


@dataclass(frozen=True)
class FigureList:
    title: StrOrPromise
    columns: list[StrOrPromise]
    # The rows shown: the whole queryset (CSV) or one page of it.
    rows: Callable[[Iterable[Any]], list[list[Any]]]
    queryset: Callable[[datetime.date, dict[str, str]], QuerySet]


def _by_unit_and_age(
    queryset: QuerySet, unit_field: str, day: datetime.date, params: dict[str, str]
) -> QuerySet:
    """The rows behind one cell of a unit × age table (same rules as the counts)."""
    unit = params.get("enhet", "")
    if unit == coordination.NO_UNIT:
        queryset = queryset.filter(**{f"{unit_field}__isnull": True})
    elif unit:
        queryset = queryset.filter(**{unit_field: unit})
    threshold = adult_threshold(day)
    if params.get("alder") == "under18":
        queryset = queryset.filter(person__birth_date__gt=threshold)
    elif params.get("alder") == "voksen":
        queryset = queryset.filter(person__birth_date__lte=threshold)
    return queryset.order_by("person__family_name", "person__given_name", "pk")


def _plans(day: datetime.date, params: dict[str, str]) -> QuerySet:
    queryset = plans_in_force(day).select_related("person", "responsible_unit")
    return _by_unit_and_age(queryset, "responsible_unit__name", day, params)


def _coordinators(day: datetime.date, params: dict[str, str]) -> QuerySet:
    queryset = coordination.coordinators_in_force(day).select_related("person", "coordinator__user")
    return _by_unit_and_age(queryset, "unit_name", day, params)


def _groups(day: datetime.date, params: dict[str, str]) -> QuerySet:
    queryset = coordination.groups_in_force(day).select_related("person", "plan__responsible_unit")
    return _by_unit_and_age(queryset, "plan__responsible_unit__name", day, params)


LISTS: dict[str, FigureList] = {
    "planer": FigureList(
        title=_("Personer med individuell plan"),
        columns=[_("Person"), _("Født"), _("Ansvarlig enhet"), _("Fra"), _("Til")],
        queryset=_plans,
        rows=lambda qs: [
            [
                p.person,
                _d(p.person.birth_date),
                p.responsible_unit.name,
                _d(p.start_date),
                _d(p.end_date),
            ]
            for p in qs
        ],
    ),
    "koordinatorer": FigureList(
        title=_("Personer med koordinator"),
        columns=[_("Person"), _("Født"), _("Koordinator"), _("Enhet"), _("Fra")],
        queryset=_coordinators,
        rows=lambda qs: [
            [a.person, _d(a.person.birth_date), a.coordinator, a.unit_name or "", _d(a.started_on)]
            for a in qs
        ],
    ),
    "ansvarsgrupper": FigureList(
        title=_("Personer med ansvarsgruppe"),
        columns=[_("Person"), _("Født"), _("Planens ansvarlige enhet"), _("Fra")],
        queryset=_groups,
        rows=lambda qs: [
            [
                g.person,
                _d(g.person.birth_date),
                g.plan.responsible_unit.name if g.plan else "",
                _d(g.started_on),
            ]
            for g in qs
        ],
    ),
    "revisjon": FigureList(
        title=_("Planer med forfalt revisjon"),
        columns=[_("Person"), _("Ansvarlig enhet"), _("Revisjon skulle vært")],
        queryset=lambda day, params: plan_selectors.revision_overdue(day),
        rows=lambda qs: [[p.person, p.responsible_unit.name, _d(p.next_revision_on)] for p in qs],
    ),
    "samtykker": FigureList(
        title=_("Samtykker trukket tilbake eller som snart utløper"),
        columns=[_("Person"), _("Samtykke"), _("Trukket tilbake"), _("Utløper")],
        queryset=lambda day, params: (
            coordination.consents_attention(day)
            .select_related("person")
            .order_by("person__family_name", "pk")
        ),
        rows=lambda qs: [
            [c.person, c.get_kind_display(), _d(c.withdrawn_on), _d(c.expires_on)] for c in qs
        ],
    ),
    "moter": FigureList(
        title=_("Møter denne uken"),
        columns=[_("Person"), _("Tid"), _("Sted")],
        queryset=lambda day, params: team_selectors.meetings_this_week(day),
        rows=lambda qs: [[m.group.person, _d(m.starts_at), m.place] for m in qs],
    ),
    "oppfolging": FigureList(
        title=_("Oppfølgingspunkter på overtid"),
        columns=[_("Person"), _("Hva"), _("Ansvarlig"), _("Frist")],
        queryset=lambda day, params: (
            coordination.follow_ups_overdue(day)
            .select_related(
                "meeting__group__person",
                "responsible_member__staff__user",
                "responsible_member__relative",
                "responsible_member__unit",
            )
            .order_by("due_on", "pk")
        ),
        rows=lambda qs: [
            [f.meeting.group.person, f.what, f.responsible_member.display_name, _d(f.due_on)]
            for f in qs
        ],
    ),
}
