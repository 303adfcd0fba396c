"""The project's URLs plus this app's, until `mestring.urls` includes them."""

from django.urls import include, path

from mestring.urls import handler400, handler403, handler404, handler500  # noqa: F401
from mestring.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns]
if not any(getattr(p, "namespace", None) == "jobs" for p in project_urlpatterns):
    urlpatterns.append(path("", include("mestring.jobs.urls")))
