"""The retention settings form."""

from __future__ import annotations

from django import forms

from mestring.maintenance.models import PERIOD_FIELDS, RetentionPolicy


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = list(PERIOD_FIELDS)
