from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "mestring.courses"
    verbose_name = "Kurs og gruppetilbud"
