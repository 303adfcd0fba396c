"""Template filters for plans: the page shows what the PDF, the revisions and the API show."""

from __future__ import annotations

from django import template

from mestring.plans.models import Measure
from mestring.plans.revisions import measure_responsible

register = template.Library()


@register.filter
def responsible(measure: Measure) -> str:
    """Who is responsible for the measure: unit, staff member and others, in that order."""
    return measure_responsible(measure)
