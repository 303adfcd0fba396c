from __future__ import annotations

from django.urls import path

from mestring.public import views

app_name = "public"
ORG = "kommune/<str:number>/brukerorganisasjoner/"
LINK = ORG + "endre/<str:token>/"
urlpatterns = [
    path("kommuner/", views.municipality_list, name="municipality_list"),
    path("kommune/<str:number>/tjenester/", views.catalogue, name="catalogue"),
    path(
        "kommune/<str:number>/tjenester/<slug:code>/",
        views.service_detail,
        name="service_detail",
    ),
    path(ORG + "registrer/", views.organisation_register, name="organisation_register"),
    path(ORG + "registrer/takk/", views.organisation_registered, name="organisation_registered"),
    path(ORG + "ny-lenke/", views.link_request, name="link_request"),
    path(LINK, views.organisation_edit, name="organisation_edit"),
    path(LINK + "arrangement/ny/", views.event_edit, name="event_create"),
    path(LINK + "arrangement/<int:event_id>/", views.event_edit, name="event_edit"),
    path(LINK + "arrangement/<int:event_id>/slett/", views.event_delete, name="event_delete"),
    path("admin/brukerorganisasjoner/", views.moderation, name="moderation"),
    path(
        "admin/brukerorganisasjoner/<int:organisation_id>/",
        views.moderation_detail,
        name="moderation_detail",
    ),
    path(
        "admin/brukerorganisasjoner/<int:organisation_id>/godkjenn/",
        views.organisation_approve,
        name="organisation_approve",
    ),
    path(
        "admin/brukerorganisasjoner/<int:organisation_id>/avvis/",
        views.organisation_reject,
        name="organisation_reject",
    ),
    path("admin/offentlig-side/", views.profile_edit, name="profile_edit"),
]
