from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "schools"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from schools.services import ensure_profile

        post_save.connect(ensure_profile, sender=settings.AUTH_USER_MODEL, dispatch_uid="schools.ensure_profile")

        from django.db.models.signals import post_delete

        from schools.calendar import reference_data_changed
        from schools.models import Closure

        # Any save or delete (services, admin, API, shell) makes every process reload the calendar.
        post_save.connect(reference_data_changed, sender=Closure, dispatch_uid="schools.closure_saved")
        post_delete.connect(reference_data_changed, sender=Closure, dispatch_uid="schools.closure_deleted")

        from django.contrib.auth.signals import user_logged_in

        from helpdesk.middleware import remember_profile_language

        # Connected here too so a sign-in before the first request (tests' force_login) is seen.
        user_logged_in.connect(remember_profile_language, dispatch_uid="helpdesk-profile-language")

        from django.db.models.signals import post_migrate

        from schools.cache import create_cache_table

        # The database cache's table (settings: "Cache and sessions") comes with migrate.
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="schools.create_cache_table")
