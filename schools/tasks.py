"""Celery tasks of the schools app: thin wrappers over services."""

from celery import shared_task

from schools import services


@shared_task(name="schools.tasks.plan_visits")
def plan_visits() -> int:
    """Nightly: extend every rotation's planned visits to the horizon (idempotent)."""
    return services.plan_all_visits()


@shared_task(name="schools.tasks.plan_rotation_visits")
def plan_rotation_visits(rotation_id: int) -> int:
    rotation = services.Rotation.objects.filter(pk=rotation_id).select_related("school").first()
    if rotation is None:
        return 0
    return services.plan_visits(rotation=rotation)
