from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "mestring.institutions"
    verbose_name = "Institusjonsopphold og senger"

    def ready(self) -> None:
        # An assigned stay becomes a planned arrival on the unit's bed board; the end
        # of the assignment cancels it. Both in the transaction of the act that caused
        # them.
        from mestring.catalogue.signals import assignment_ended, assignment_made
        from mestring.institutions.provision import on_assignment_ended, on_assignment_made

        assignment_made.connect(on_assignment_made, dispatch_uid="institutions.assignment_made")
        assignment_ended.connect(on_assignment_ended, dispatch_uid="institutions.assignment_ended")
