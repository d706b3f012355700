from django.apps import AppConfig


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from schools.models import School
        from tickets.catalog import school_created

        post_save.connect(school_created, sender=School, dispatch_uid="tickets.school_created")
