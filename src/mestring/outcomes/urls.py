from django.urls import path

from mestring.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("personer/<str:person_id>/malinger/", views.person_measures, name="person_measures"),
    path(
        "personer/<str:person_id>/malinger/ny/<slug:instrument>/",
        views.observation_create,
        name="observation_create",
    ),
    path(
        "personer/<str:person_id>/malinger/<int:observation_id>/",
        views.observation_detail,
        name="observation_detail",
    ),
    path(
        "personer/<str:person_id>/malinger/<int:observation_id>/endre/",
        views.observation_edit,
        name="observation_edit",
    ),
    path(
        "personer/<str:person_id>/malinger/<int:observation_id>/slett/",
        views.observation_delete,
        name="observation_delete",
    ),
    path("admin/malinger/terskler/", views.thresholds, name="thresholds"),
]
