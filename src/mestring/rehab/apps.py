from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "mestring.rehab"
    verbose_name = "Rehabiliteringsforløp"

    def ready(self) -> None:
        # An assigned service that a programme runs becomes a referral on its waiting
        # list; a stopped decision ends the episodes it started. Both in the
        # transaction of the act that caused them.
        from mestring.casework.signals import decision_ended
        from mestring.catalogue.signals import assignment_made
        from mestring.rehab.provision import on_assignment_made, on_decision_ended

        assignment_made.connect(on_assignment_made, dispatch_uid="rehab.assignment_made")
        decision_ended.connect(on_decision_ended, dispatch_uid="rehab.decision_ended")
