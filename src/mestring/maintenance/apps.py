from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "mestring.maintenance"
    verbose_name = "Sikkerhetskopi, sletting og innsyn"
