"""Celery tasks of the schools app: thin wrappers over services."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from schools import retention, services
from schools.models import Rotation


@shared_task(name="schools.tasks.plan_visits")
def plan_visits() -> int:
    """Nightly: extend every rotation's planned visits to the horizon (idempotent)."""
    return services.plan_all_visits()


@shared_task(name="schools.tasks.plan_rotation_visits")
def plan_rotation_visits(rotation_id: int) -> int:
    rotation = Rotation.objects.filter(pk=rotation_id).select_related("school").first()
    if rotation is None:
        return 0
    return services.plan_visits(rotation=rotation)


@shared_task(name="schools.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Nightly: delete the rows of sessions that have expired."""
    retention.clear_expired_sessions()


@shared_task(name="schools.tasks.prune_lockout_records")
def prune_lockout_records() -> int:
    """Nightly: delete sign-in and lockout records older than HELPDESK_LOCKOUT_KEEP_DAYS."""
    return retention.prune_lockout_records(older_than=timedelta(days=settings.HELPDESK_LOCKOUT_KEEP_DAYS))
