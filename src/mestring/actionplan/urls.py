from django.urls import path

from mestring.actionplan import views

app_name = "actionplan"
P = "planlegging/tiltaksplan/<int:plan_id>/"
urlpatterns = [
    path("planlegging/tiltaksplan/", views.plan_list, name="plan_list"),
    path("planlegging/tiltaksplan/ny/", views.plan_create, name="plan_create"),
    path("planlegging/tiltaksplan/import/", views.import_actions, name="import"),
    path(P, views.plan_detail, name="plan_detail"),
    path(P + "endre/", views.plan_edit, name="plan_edit"),
    path(P + "revider/", views.plan_revise, name="plan_revise"),
    path(P + "fremdrift/", views.plan_progress, name="plan_progress"),
    path(P + "tiltaksplan.xlsx", views.plan_export, {"fmt": "xlsx"}, name="plan_xlsx"),
    path(P + "tiltaksplan.pdf", views.plan_export, {"fmt": "pdf"}, name="plan_pdf"),
    path(P + "mal/ny/", views.goal_edit, name="goal_create"),
    path(P + "mal/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path(P + "tiltak/ny/", views.action_edit, name="action_create"),
    path(P + "tiltak/<int:action_id>/", views.action_detail, name="action_detail"),
    path(P + "tiltak/<int:action_id>/endre/", views.action_edit, name="action_edit"),
    path(P + "tiltak/<int:action_id>/status/", views.action_status, name="action_status"),
    path(P + "tiltak/<int:action_id>/evaluering/", views.action_evaluate, name="action_evaluate"),
    path("planlegging/statuskapittel/", views.chapter, name="chapter"),
]
