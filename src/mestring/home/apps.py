from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The start page, the menu and the person overview's summary: the top of the house,
    which may read from every domain app and which none of them imports."""

    name = "mestring.home"
    verbose_name = "Startside og meny"
