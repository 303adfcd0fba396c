from django.urls import path

from mestring.maintenance import views

app_name = "maintenance"

urlpatterns = [
    path("personer/<str:person_id>/innsyn/", views.person_innsyn, name="person_innsyn"),
    path("administrasjon/oppbevaring/", views.retention_settings, name="retention_settings"),
]
