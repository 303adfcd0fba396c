"""`?limit&offset` pagination with a fixed number of queries (a count and one page)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

from mestring.api.schemas import MAX_OFFSET

DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class Paging(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Antall per side (1–100).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Hvor mange som hoppes over.")


def page_of(
    queryset: QuerySet, paging: Paging, convert: Any = None, *, prepare: Any = None
) -> dict[str, Any]:
    """One page of the list; `prepare` sees the page's rows together before `convert`
    (to mark which persons may be named, in one batch)."""
    count = queryset.count()
    items = list(queryset[paging.offset : paging.offset + paging.limit])
    if prepare is not None:
        items = prepare(items)
    if convert is not None:
        items = [convert(item) for item in items]
    return {"count": count, "limit": paging.limit, "offset": paging.offset, "items": items}
