from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "mestring.catalogue"
    verbose_name = "Tjenestekatalog, tildeling og venteliste"
