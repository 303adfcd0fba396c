from django.urls import path

from mestring.reports import decisions_views, views

app_name = "reports"
urlpatterns = [
    path(
        "oversikt/koordinerende-enhet/",
        views.coordination_overview,
        name="coordination_overview",
    ),
    path(
        "oversikt/koordinerende-enhet/liste/<slug:kind>/",
        views.coordination_list,
        name="coordination_list",
    ),
    path("rapporter/vedtak/", decisions_views.decisions_report, name="decisions"),
]
