from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from people.services import remember_session

        # Every sign-in (password, single sign-on, the test client's login) is recorded,
        # so end_sessions() can find the sessions of one person without scanning them all.
        user_logged_in.connect(remember_session, dispatch_uid="people.remember_session")
