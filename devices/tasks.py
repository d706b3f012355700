"""Periodic work: maintenance tasks created for the coming weeks and put on visits."""

from celery import shared_task

from devices import services


@shared_task(name="devices.tasks.schedule_maintenance", time_limit=300)
def schedule_maintenance() -> int:
    """Runs after visits are planned (beat), so new visits pick up waiting tasks."""
    return services.schedule_maintenance()
