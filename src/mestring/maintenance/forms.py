"""The retention settings form."""

from __future__ import annotations

from django import forms

from mestring.maintenance.models import PERIOD_FIELDS, RetentionPolicy, audit_years_too_short


class RetentionPolicyForm(forms.ModelForm):
    class Meta:
        model = RetentionPolicy
        fields = list(PERIOD_FIELDS)

    def clean_audit_years(self) -> int:
        years: int = self.cleaned_data["audit_years"]
        problem = audit_years_too_short(years)
        if problem:
            raise forms.ValidationError(problem)
        return years
