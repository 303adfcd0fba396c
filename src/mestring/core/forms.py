"""Form rendering in Designsystemet markup, for every form in the project, the date input,
and the submission token of the creating forms."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

# The date fields of every form: typed as dd.mm.åååå, with the number keyboard on a phone.
DATE_HELP = _("Skriv datoen som dd.mm.åååå, for eksempel 24.12.1950.")


class DateInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})


class DesignsystemetRenderer(DjangoTemplates):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


SUBMISSION_TOKEN = "submission_token"  # noqa: S105 - a field name, not a secret


class SubmissionTokenForm(forms.Form):
    """A creating form that is made once however often it is sent (M2): each form page
    carries a fresh token in a hidden field, the service stores it on what it creates,
    and the same form sent again (a double click, a retry) gets that object back."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[SUBMISSION_TOKEN].initial = str(uuid.uuid4())

    def clean_submission_token(self) -> uuid.UUID | None:
        value = self.cleaned_data.get(SUBMISSION_TOKEN) or ""
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            # A hidden field's own error would not show; say it above the form.
            self.add_error(None, _("Skjemaet er ufullstendig. Last siden på nytt og prøv igjen."))
            return None
