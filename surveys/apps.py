from django.apps import AppConfig


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"

    def ready(self) -> None:
        from surveys.services import record_invitation
        from tickets.signals import ticket_closed

        ticket_closed.connect(record_invitation, dispatch_uid="surveys.record_invitation")
