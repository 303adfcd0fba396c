from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "mestring.courses"
    verbose_name = "Kurs og gruppetilbud"

    def ready(self) -> None:
        # An assigned service that a course of the unit carries out enrols the person;
        # the end of the assignment withdraws the enrolment. Both in the transaction of
        # the act that caused them.
        from mestring.catalogue.signals import assignment_ended, assignment_made
        from mestring.courses.provision import on_assignment_ended, on_assignment_made

        assignment_made.connect(on_assignment_made, dispatch_uid="courses.assignment_made")
        assignment_ended.connect(on_assignment_ended, dispatch_uid="courses.assignment_ended")
