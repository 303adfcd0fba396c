from __future__ import annotations

from django.urls import path

from mestring.planning import views

app_name = "planning"
urlpatterns = [
    path("planlegging/befolkning/", views.demography, name="demography"),
    path("planlegging/befolkning/import/", views.population_import, name="population_import"),
    path("planlegging/behov/", views.projected_need, name="projected_need"),
    path("planlegging/kapasitet/", views.capacity, name="capacity"),
]
