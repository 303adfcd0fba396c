from django.urls import path

from mestring.core.views import health
from mestring.home import views

# The namespace stays "core": every `core:home`, `core:hub` and `core:health` in the
# templates and the code keeps its name and its address.
app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("helse/", health, name="health"),
    path("meny/<slug:slug>/", views.hub, name="hub"),
    # The lists behind the start page's counts.
    path("start/nye-oppnevninger/", views.new_appointments, name="new_appointments"),
    path("start/nye-personer/", views.new_persons, name="new_persons"),
    path("start/planer-til-revisjon/", views.revisions_due, name="revisions_due"),
    path("start/tiltak-som-slutter/", views.measures_ending, name="measures_ending"),
    path("start/kapasitet/", views.capacity_attention, name="capacity_attention"),
]
