from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "mestring.tenancy"
    verbose_name = "Kommuner"
