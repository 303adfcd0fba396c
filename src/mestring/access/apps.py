from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "mestring.access"
    verbose_name = "Tilgang og logg"
