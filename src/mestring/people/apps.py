from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "mestring.people"
    verbose_name = "Personer og enheter"
