from django.urls import path

from mestring.referrals import views

app_name = "referrals"
urlpatterns = [
    path("meldinger/", views.inbox, name="inbox"),
    path("meldinger/ny/", views.register, name="register"),
    path("meldinger/<int:referral_id>/ta/", views.take, name="take"),
    path("meldinger/forslag/", views.suggestion, name="suggestion"),
    path("personer/<str:person_id>/meldinger/", views.person_referrals, name="person_referrals"),
    path(
        "personer/<str:person_id>/meldinger/<int:referral_id>/",
        views.detail,
        name="detail",
    ),
]
