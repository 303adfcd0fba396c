from __future__ import annotations

from django.urls import path

from mestring.fhir import views

app_name = "fhir"
urlpatterns = [
    path("personer/<str:person_id>/fhir/", views.person_export, name="person_export"),
    path("fhir/import/", views.bundle_import, name="import"),
]
