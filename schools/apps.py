from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "schools"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from schools.services import ensure_profile

        post_save.connect(ensure_profile, sender=settings.AUTH_USER_MODEL, dispatch_uid="schools.ensure_profile")
