from django.urls import path

from mestring.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logg-inn/", views.login_view, name="login"),
    path("logg-inn/kode/", views.code_view, name="code"),
    path("logg-inn/ny-app/", views.enrol_view, name="enrol"),
    path("logg-ut/", views.logout_view, name="logout"),
]
