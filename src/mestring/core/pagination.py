"""One page of a list: the same page size on every list page and in its CSV file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

PAGE_SIZE = 25


def paginate(
    queryset: QuerySet[Any] | Sequence[Any],
    page_number: int | str | None,
    per_page: int = PAGE_SIZE,
) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(page_number)
