from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The development seeder and smoke run: imports every app, and no app imports it."""

    name = "demo"
    verbose_name = "Demo district"
