"""`{% person_summary person as summary %}`: the person overview's plan, coordinator,
group and open cases and messages.

The overview page belongs to people, which every domain app imports; the summary reads
plans, teams, cases and messages, which stand above people. The page's template asks for
it here, so that people's code imports none of them."""

from __future__ import annotations

from django import template

from mestring.home.person_summary import PersonSummary
from mestring.home.person_summary import person_summary as build_summary
from mestring.people.models import Person

register = template.Library()


@register.simple_tag
def person_summary(person: Person) -> PersonSummary:
    return build_summary(person)
