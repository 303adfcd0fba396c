from django.urls import path

from mestring.teams import views

app_name = "teams"
_PERSON = "personer/<str:person_id>/"
urlpatterns = [
    path(f"{_PERSON}ansvarsgruppe/", views.group_detail, name="group_detail"),
    path(f"{_PERSON}ansvarsgruppe/medlemmer/ny/", views.member_add, name="member_add"),
    path(
        f"{_PERSON}ansvarsgruppe/medlemmer/<int:member_id>/avslutt/",
        views.member_end,
        name="member_end",
    ),
    path(f"{_PERSON}moter/ny/", views.meeting_new, name="meeting_new"),
    path(f"{_PERSON}moter/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(f"{_PERSON}moter/<int:meeting_id>/endre/", views.meeting_edit, name="meeting_edit"),
    path(f"{_PERSON}moter/<int:meeting_id>/avlys/", views.meeting_cancel, name="meeting_cancel"),
    path(f"{_PERSON}moter/<int:meeting_id>/invitasjon.ics", views.meeting_ics, name="meeting_ics"),
    path(
        f"{_PERSON}oppfolging/<int:item_id>/utfort/",
        views.follow_up_done,
        name="follow_up_done",
    ),
    path("oppfolging/", views.my_follow_ups, name="my_follow_ups"),
    path("profil/kalender/", views.calendar_feed, name="calendar_feed"),
    path("kalender/<str:token>.ics", views.calendar_feed_ics, name="calendar_feed_ics"),
]
