from django.urls import path

from mestring.access import admin_views, views

app_name = "access"
urlpatterns = [
    path("personer/<str:person_id>/tilgang/", views.person_access, name="person_access"),
    path(
        "personer/<str:person_id>/tilgang/<int:relation_id>/avslutt/",
        views.relation_end,
        name="relation_end",
    ),
    path(
        "personer/<str:person_id>/sperring/<int:block_id>/opphev/",
        views.block_end,
        name="block_end",
    ),
    path("personer/<str:person_id>/samtykker/", views.person_consents, name="person_consents"),
    path(
        "personer/<str:person_id>/samtykker/<int:consent_id>/trekk/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("personer/<str:person_id>/tilgangslogg/", views.person_access_log, name="access_log"),
    path("personer/<str:person_id>/nodtilgang/", views.emergency_access, name="emergency"),
    path("nodtilgang/", views.emergency_reviews, name="emergency_reviews"),
    path("nodtilgang/<int:access_id>/", views.emergency_review, name="emergency_review"),
    path(
        "gjennomgang/tilganger/<int:relation_id>/",
        views.relation_review,
        name="relation_review",
    ),
    path("mine-personer/", views.my_persons, name="my_persons"),
    path("admin/ansatte/<int:staff_id>/tilganger/", views.staff_relations, name="staff_relations"),
    path("admin/roller/", admin_views.role_list, name="role_list"),
    path("admin/roller/<int:role_id>/", admin_views.role_edit, name="role_edit"),
    path("admin/ansatte/<int:staff_id>/roller/", admin_views.role_assign, name="role_assign"),
    path(
        "admin/ansatte/<int:staff_id>/roller/<int:assignment_id>/fjern/",
        admin_views.role_unassign,
        name="role_unassign",
    ),
]
