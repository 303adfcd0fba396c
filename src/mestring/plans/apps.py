from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "mestring.plans"
    verbose_name = "Individuelle planer og koordinatorer"
