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

        from django.conf import settings
        from django.db.models.signals import post_save

        from people.services import password_or_activity_changed

        # However a password is set (reset link, admin, `changepassword`, a shell), and however
        # someone is deactivated, their sessions and API tokens end at once (issue 15, item 4).
        post_save.connect(
            password_or_activity_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="people.end_sessions"
        )

        from django.core import checks

        from people.roster.sftp import check_settings

        checks.register(check_settings)  # a roster SFTP setting that cannot work stops start-up, not the 3 a.m. run
