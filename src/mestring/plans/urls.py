from django.urls import path

from mestring.plans import views

app_name = "plans"

PLAN = "personer/<str:person_id>/plan/<int:plan_id>/"

urlpatterns = [
    path("koordinatorer/", views.coordinator_list, name="coordinator_list"),
    path("koordinatorer/ny/", views.coordinator_add, name="coordinator_add"),
    path("koordinatorer/revisjon/", views.revision_overdue, name="revision_overdue"),
    path(
        "koordinatorer/<int:coordinator_id>/",
        views.coordinator_detail,
        name="coordinator_detail",
    ),
    path(
        "personer/<str:person_id>/koordinator/",
        views.coordinator_appoint,
        name="coordinator_appoint",
    ),
    path(
        "personer/<str:person_id>/koordinator/<int:assignment_id>/avslutt/",
        views.coordinator_end,
        name="coordinator_end",
    ),
    path("personer/<str:person_id>/plan/", views.plan_detail, name="plan_detail"),
    path(PLAN, views.plan_view, name="plan_view"),
    path(f"{PLAN}endre/", views.plan_edit, name="plan_edit"),
    path(f"{PLAN}avslutt/", views.plan_close, name="plan_close"),
    path(f"{PLAN}mal/ny/", views.goal_add, name="goal_add"),
    path(f"{PLAN}mal/<int:goal_id>/endre/", views.goal_edit, name="goal_edit"),
    path(f"{PLAN}tiltak/ny/", views.measure_add, name="measure_add"),
    path(f"{PLAN}tiltak/<int:measure_id>/endre/", views.measure_edit, name="measure_edit"),
    path(f"{PLAN}deltakere/ny/", views.participant_add, name="participant_add"),
    path(
        f"{PLAN}deltakere/<int:participant_id>/endre/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        f"{PLAN}deltakere/<int:participant_id>/fjern/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(f"{PLAN}evaluering/ny/", views.evaluation_add, name="evaluation_add"),
    path(f"{PLAN}versjoner/", views.revision_list, name="revision_list"),
    path(
        f"{PLAN}versjoner/<int:revision_number>/",
        views.revision_detail,
        name="revision_detail",
    ),
    path(f"{PLAN}plan.pdf", views.plan_pdf, name="plan_pdf"),
]
