from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "mestring.devices"
    verbose_name = "Hjelpemidler"

    def ready(self) -> None:
        # A device service assigned to a store's unit becomes an order on the store's
        # list; the assignment's end cancels it while not yet filled. Both in the
        # transaction of the assignment.
        from mestring.catalogue.signals import assignment_ended, assignment_made
        from mestring.devices.provision import on_assignment_ended, on_assignment_made

        assignment_made.connect(on_assignment_made, dispatch_uid="devices.assignment_made")
        assignment_ended.connect(on_assignment_ended, dispatch_uid="devices.assignment_ended")
