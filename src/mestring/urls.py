from django.urls import include, path

urlpatterns = [
    path("", include("mestring.home.urls")),
    path("", include("mestring.accounts.urls")),
    path("", include("mestring.tenancy.urls")),
    path("", include("mestring.register.urls")),
    path("", include("mestring.access.urls")),
    path("", include("mestring.referrals.urls")),
    path("", include("mestring.casework.urls")),
    path("", include("mestring.plans.urls")),
    path("", include("mestring.teams.urls")),
    path("", include("mestring.catalogue.urls")),
    path("", include("mestring.assessments.urls")),
    path("", include("mestring.outcomes.urls")),
    path("", include("mestring.rehab.urls")),
    path("", include("mestring.institutions.urls")),
    path("", include("mestring.friskliv.urls")),
    path("", include("mestring.courses.urls")),
    path("", include("mestring.devices.urls")),
    path("", include("mestring.planning.urls")),
    path("", include("mestring.actionplan.urls")),
    path("", include("mestring.public.urls")),
    path("", include("mestring.portal.urls")),
    path("", include("mestring.fhir.urls")),
    path("api/", include("mestring.api.urls")),
    path("", include("mestring.reports.urls")),
    path("", include("mestring.jobs.urls")),
    path("", include("mestring.maintenance.urls")),
]

handler400 = "mestring.core.views.bad_request"
handler403 = "mestring.core.views.permission_denied"
handler404 = "mestring.core.views.page_not_found"
handler500 = "mestring.core.views.server_error"
