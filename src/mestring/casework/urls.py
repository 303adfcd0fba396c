from django.urls import path

from mestring.casework import intake_views, views

app_name = "casework"
urlpatterns = [
    path("saker/", views.case_list, name="case_list"),
    path("saker/<int:case_id>/ta/", intake_views.case_take, name="case_take"),
    path("personer/<str:person_id>/saker/", views.person_cases, name="person_cases"),
    path("personer/<str:person_id>/saker/ny/", views.case_create, name="case_create"),
    path(
        "personer/<str:person_id>/saker/tjenester/ny/",
        views.service_application_create,
        name="service_application_create",
    ),
    path(
        "personer/<str:person_id>/saker/<int:case_id>/",
        views.case_detail,
        name="case_detail",
    ),
    path(
        "personer/<str:person_id>/vedtak/<int:decision_id>/",
        views.decision_detail,
        name="decision_detail",
    ),
    path(
        "personer/<str:person_id>/vedtak/<int:decision_id>/brev.pdf",
        views.decision_letter,
        name="decision_letter",
    ),
    path("frister/", views.deadlines, name="deadlines"),
    path("admin/hjemler/", views.legal_basis_list, name="legal_basis_list"),
    path("admin/hjemler/ny/", views.legal_basis_edit, name="legal_basis_create"),
    path("admin/hjemler/<int:legal_basis_id>/", views.legal_basis_edit, name="legal_basis_edit"),
]
