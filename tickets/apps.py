from django.apps import AppConfig


class TicketsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tickets"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from schools.models import School
        from tickets.catalog import school_created

        post_save.connect(school_created, sender=School, dispatch_uid="tickets.school_created")

        from django.db.models.signals import post_delete

        from schools.calendar import reference_data_changed
        from tickets.models import SlaTarget

        # The targets are cached with the calendar (tickets.sla.clock.current_targets).
        post_save.connect(reference_data_changed, sender=SlaTarget, dispatch_uid="tickets.sla_target_saved")
        post_delete.connect(reference_data_changed, sender=SlaTarget, dispatch_uid="tickets.sla_target_deleted")

        from notifications.signals import email_failed
        from tickets.signals import record_email_failure

        email_failed.connect(record_email_failure, dispatch_uid="tickets.record_email_failure")
