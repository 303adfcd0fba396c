"""Status changes through explicit transition tables, each leaving a history row.

DESIGN.md §3: statistics are built from the history, so a status is never set by
hand: services call `transition()`, which checks the table and writes the row.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext as _


class TransitionNotAllowed(ValueError):
    """The message is for the user."""


def check_transition(
    table: Mapping[str, set[str]], current: str, new: str, labels: Mapping[str, str]
) -> None:
    if new not in table.get(current, set()):
        raise TransitionNotAllowed(
            _("Kan ikke endre status fra «%(old)s» til «%(new)s».")
            % {"old": labels.get(current, current), "new": labels.get(new, new)}
        )
