from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "mestring.outcomes"
    verbose_name = "Måleinstrumenter og resultater"
