from django.urls import path

from mestring.rehab import views

app_name = "rehab"

EPISODE = "personer/<str:person_id>/forlop/<int:episode_id>/"

urlpatterns = [
    path("personer/<str:person_id>/forlop/", views.person_episodes, name="person_episodes"),
    path("personer/<str:person_id>/forlop/ny/", views.episode_create, name="episode_create"),
    path(EPISODE, views.episode_detail, name="episode_detail"),
    path(f"{EPISODE}vurdering/", views.episode_assess, name="episode_assess"),
    path(f"{EPISODE}oppstart/", views.episode_start, name="episode_start"),
    path(f"{EPISODE}besok/ny/", views.visit_create, name="visit_create"),
    path(f"{EPISODE}avslutning/", views.episode_end, name="episode_end"),
    path(f"{EPISODE}oppfolging/", views.episode_follow_up, name="episode_follow_up"),
    path(f"{EPISODE}mal/ny/", views.goal_create, name="goal_create"),
    path(f"{EPISODE}mal/<int:goal_id>/", views.goal_edit, name="goal_edit"),
    path(f"{EPISODE}team/ny/", views.team_add, name="team_add"),
    path(f"{EPISODE}team/<int:member_id>/avslutt/", views.team_end, name="team_end"),
    path("rehabilitering/venteliste/", views.waiting_list, name="waiting_list"),
    path("rapporter/hverdagsrehabilitering/", views.report, name="report"),
    path("admin/rehabilitering/programmer/", views.programme_list, name="programme_list"),
    path("admin/rehabilitering/programmer/ny/", views.programme_edit, name="programme_create"),
    path(
        "admin/rehabilitering/programmer/<int:programme_id>/",
        views.programme_edit,
        name="programme_edit",
    ),
]
