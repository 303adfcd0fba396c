from django.apps import AppConfig


class RegisterConfig(AppConfig):
    """The register's use cases: search, records, staff and units, import.

    The register's data stays in ``mestring.people``, below access, because access
    rules are about its persons, staff and units; the use cases audit and check
    access, so they live here, above access. No models of its own.
    """

    name = "mestring.register"
    verbose_name = "Personregister"
