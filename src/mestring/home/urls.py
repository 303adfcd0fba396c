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
]
