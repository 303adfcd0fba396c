from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo municipality (`mestring demo`): builds data in every domain app, so it
    stands above them all and none of them imports it."""

    name = "mestring.demo"
    verbose_name = "Demokommune"
