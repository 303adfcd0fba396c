from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "mestring.bench"
    verbose_name = "Ytelsesmåling"
