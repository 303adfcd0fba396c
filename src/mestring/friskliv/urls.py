from __future__ import annotations

from django.urls import path

from mestring.friskliv import report_views, views

app_name = "friskliv"
urlpatterns = [
    path(
        "personer/<str:person_id>/frisklivsresept/",
        views.person_prescriptions,
        name="person_prescriptions",
    ),
    path(
        "personer/<str:person_id>/frisklivsresept/ny/",
        views.prescription_create,
        name="prescription_create",
    ),
    path(
        "personer/<str:person_id>/frisklivsresept/<int:prescription_id>/",
        views.prescription_detail,
        name="prescription_detail",
    ),
    path("frisklivssentral/resepter/", views.prescription_list, name="prescription_list"),
    path("rapporter/frisklivsresept/", report_views.report, name="report"),
]
