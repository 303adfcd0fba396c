"""The project's URLs plus this app's, until the app is wired into mestring/urls.py."""

from django.urls import include, path

from mestring.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns]
if not any(getattr(p, "namespace", None) == "maintenance" for p in project_urlpatterns):
    urlpatterns.append(path("", include("mestring.maintenance.urls")))
