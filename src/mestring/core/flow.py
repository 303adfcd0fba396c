"""The steps every form view takes: validate, call one service, report the outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from mestring.kernel.errors import DomainError

T = TypeVar("T")


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], T],
    *,
    success: str | Callable[[T], str],
    rule_errors: tuple[type[Exception], ...] = (DomainError,),
) -> T | None:
    """Validate the form, run the service with its cleaned data and flash the success
    message (text, or made from the service's result); a refusal of the domain (any
    DomainError, unless the caller names narrower ones) becomes an error above the form,
    which keeps what the user typed.

    Returns what the service returned, or None when the form is to be shown again.
    """
    if not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except rule_errors as exc:
        form.add_error(None, str(exc))
        return None
    # The callers tell success from failure by None, so a service must return its object.
    assert result is not None, "submit() needs an action that returns what it saved"
    messages.success(request, success(result) if callable(success) else success)
    return result
