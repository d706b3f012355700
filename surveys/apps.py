from typing import Any

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"

    def ready(self) -> None:
        from tickets.signals import ticket_closed

        ticket_closed.connect(record_invitation, dispatch_uid="surveys.record_invitation")


def record_invitation(sender: type, ticket: Any, actor: Any = None, **kwargs: Any) -> None:
    """Receiver of `ticket_closed`: runs inside close_ticket's transaction, row locked."""
    from surveys.services import invite_on_close

    invite_on_close(ticket=ticket, actor=actor)
