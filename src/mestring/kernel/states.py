"""Status changes through explicit transition tables, each leaving a history row.

Statistics are built from the history, so a status is never set by hand: services call
`transition()`, which locks the row, checks the table against the status it finds under
the lock and writes the history row, all in one transaction. Two users changing the same
thing at once therefore never both win: the second sees the first's status and gets
`TransitionNotAllowed`, a `Conflict`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mestring.kernel.errors import Conflict

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

TransitionTable = Mapping[str, Collection[str]]


class TransitionNotAllowed(Conflict):
    """The status the thing has now does not lead to the status asked for."""

    code = "transition_not_allowed"


class HasUser(Protocol):
    """Who acts: anything with the user behind it (the access layer's actor)."""

    @property
    def user(self) -> AbstractBaseUser | None: ...


class StatusHistory(models.Model):
    """One change of status. Each stateful model has one concrete subclass with a
    foreign key to it (`related_name` given by the model's `status_history`)."""

    from_status = models.CharField(gettext_lazy("fra status"), max_length=20, blank=True)
    to_status = models.CharField(gettext_lazy("til status"), max_length=20)
    reason = models.CharField(gettext_lazy("begrunnelse"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("endret av"),
    )
    changed_at = models.DateTimeField(gettext_lazy("endret"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["changed_at", "pk"]


def status_labels(model: type[models.Model]) -> dict[Any, Any]:
    """Each status of `model` with its label, from the `status` field's choices."""
    field = model._meta.get_field("status")
    # get_field also answers relations, which have no choices; `status` is never one.
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.status is not a field")
    return dict(field.flatchoices)


class Stateful(models.Model):
    """A model with a `status` field that only `transition()` changes."""

    status_transitions: ClassVar[TransitionTable]
    # The related name of the history's foreign key to this model.
    status_history: ClassVar[str] = "history"

    status: Any

    class Meta:
        abstract = True

    def allowed_statuses(self) -> list[str]:
        """The statuses this can move to now."""
        return list(self.status_transitions.get(self.status, ()))

    def can_become(self, status: str) -> bool:
        return status in self.status_transitions.get(self.status, ())


def check_transition(
    table: TransitionTable, current: str, new: str, labels: Mapping[str, Any]
) -> None:
    """Refuse a change the table does not allow, naming both statuses in Norwegian."""
    if new not in table.get(current, ()):
        raise TransitionNotAllowed(
            _("Kan ikke endre status fra «%(old)s» til «%(new)s».")
            % {"old": labels.get(current, current), "new": labels.get(new, new)}
        )


S = TypeVar("S", bound=Stateful)


def transition(
    obj: S,
    to: str,
    *,
    actor: HasUser | None,
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    history: Mapping[str, Any] | None = None,
) -> S:
    """Move `obj` to status `to` under a row lock and write its history row.

    `changes` are further fields set on `obj` in the same save (a closing date);
    `history` further fields of the history row. Runs inside the caller's transaction
    when there is one, so the caller's audit row commits or rolls back with it. `obj`
    is updated in place and returned.
    """
    model = type(obj)
    with transaction.atomic():
        locked = model._base_manager.select_for_update().only("pk", "status").get(pk=obj.pk)
        current = locked.status
        labels = status_labels(model)
        check_transition(model.status_transitions, current, to, labels)
        fields = {"status": to, **(changes or {})}
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save(update_fields=list(fields))
        getattr(obj, model.status_history).create(
            from_status=current,
            to_status=to,
            reason=reason,
            changed_by=actor.user if actor is not None else None,
            **(history or {}),
        )
    return obj


def record_initial_status(obj: Stateful, *, actor: HasUser | None, reason: str = "") -> None:
    """The history row of a thing just created in its first status (from nothing)."""
    getattr(obj, type(obj).status_history).create(
        from_status="",
        to_status=obj.status,
        reason=reason,
        changed_by=actor.user if actor is not None else None,
    )
