from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mestring.core"
    verbose_name = "Felles"
