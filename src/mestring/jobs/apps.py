from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "mestring.jobs"
    verbose_name = "Påminnelser og bakgrunnsjobber"
