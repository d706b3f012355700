from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The one outbox (email out); email in and threading will live here too.

    On the ground floor with schools: it imports neither tickets nor surveys, which
    import it. What the ticket history needs to hear comes as `signals.email_failed`.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
