from django.urls import path

from mestring.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("helse/", views.health, name="health"),
    path("meny/<slug:slug>/", views.hub, name="hub"),
]
