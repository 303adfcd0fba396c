from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "mestring.planning"
    verbose_name = "Planlegging: befolkning, behov og kapasitet"
