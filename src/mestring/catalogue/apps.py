from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "mestring.catalogue"
    verbose_name = "Tjenestekatalog, tildeling og venteliste"

    def ready(self) -> None:
        # Casework stops and replaces decisions; the assignments and waiting-list
        # entries that carry them out follow here, in casework's transaction.
        from mestring.casework.signals import decision_ended, decision_replaced
        from mestring.catalogue.services import on_decision_ended, on_decision_replaced

        decision_ended.connect(on_decision_ended, dispatch_uid="catalogue.decision_ended")
        decision_replaced.connect(on_decision_replaced, dispatch_uid="catalogue.decision_replaced")
