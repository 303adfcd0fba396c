from django.urls import path

from mestring.tenancy import views

app_name = "tenancy"
urlpatterns = [path("kommune/", views.choose_municipality, name="choose")]
