from django.urls import path

from mestring.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("tjenester/", views.service_list, name="service_list"),
    path("tjenester/<int:service_id>/", views.service_detail, name="service_detail"),
    path("admin/tjenester/ny/", views.service_edit, name="service_create"),
    path("admin/tjenester/<int:service_id>/", views.service_edit, name="service_edit"),
    path("kapasitet/", views.capacity, name="capacity"),
    path("venteliste/", views.waiting_list, name="waiting_list"),
    path(
        "personer/<str:person_id>/vedtak/<int:decision_id>/tildeling/",
        views.decision_assign,
        name="decision_assign",
    ),
    path(
        "personer/<str:person_id>/venteliste/<int:entry_id>/fjern/",
        views.waiting_remove,
        name="waiting_remove",
    ),
    path(
        "personer/<str:person_id>/venteliste/<int:entry_id>/tildel/",
        views.waiting_assign,
        name="waiting_assign",
    ),
]
