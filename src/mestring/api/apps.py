from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mestring.api"
    verbose_name = "Programmeringsgrensesnitt (REST)"
