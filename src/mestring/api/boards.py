"""Board rows with whether their person may be named, as `access.boards.name_persons`
marks them: the rows it is given are these, so `named` is a declared field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from mestring.access.boards import name_persons

if TYPE_CHECKING:
    from mestring.access.actor import Actor
    from mestring.people.models import Person

T = TypeVar("T")


@dataclass
class Named(Generic[T]):
    row: T
    named: bool = False  # set by name_persons


def name_rows(
    actor: Actor,
    rows: Sequence[T],
    *,
    object_type: str,
    person_of: Callable[[T], Person],
    own_unit_work: Callable[[T], bool],
) -> list[Named[T]]:
    """`name_persons` over `rows`: each row with whether the actor may see its person's
    name (one access-log row per named person)."""
    return name_persons(
        actor,
        [Named(row) for row in rows],
        object_type=object_type,
        own_unit_work=lambda named: own_unit_work(named.row),
        person_of=lambda named: person_of(named.row),
    )
