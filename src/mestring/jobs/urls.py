from django.urls import path

from mestring.jobs import views

app_name = "jobs"
urlpatterns = [
    path("profil/paminnelser/", views.reminders, name="reminders"),
    path("profil/paminnelser/<int:reminder_id>/sett/", views.mark_seen, name="mark_seen"),
]
