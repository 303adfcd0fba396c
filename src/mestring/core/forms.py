"""Form rendering in Designsystemet markup, for every form in the project."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class DesignsystemetRenderer(DjangoTemplates):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
