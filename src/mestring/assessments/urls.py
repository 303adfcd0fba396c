from django.urls import path

from mestring.assessments import views

app_name = "assessments"
urlpatterns = [
    path(
        "personer/<str:person_id>/kartlegging/",
        views.person_assessments,
        name="person_assessments",
    ),
    path(
        "personer/<str:person_id>/kartlegging/ny/",
        views.assessment_create,
        name="assessment_create",
    ),
    path(
        "personer/<str:person_id>/kartlegging/<int:assessment_id>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "personer/<str:person_id>/kartlegging/<int:assessment_id>/endre/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path("kartlegging/forfalt/", views.due, name="due"),
    path("admin/kartlegging/variabler/", views.variable_list, name="variable_list"),
    path("admin/kartlegging/variabler/ny/", views.variable_edit, name="variable_create"),
    path(
        "admin/kartlegging/variabler/<int:variable_id>/",
        views.variable_edit,
        name="variable_edit",
    ),
]
