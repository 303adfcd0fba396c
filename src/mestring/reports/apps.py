from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "mestring.reports"
    verbose_name = "Rapporter og oversikter"
