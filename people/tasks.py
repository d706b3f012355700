"""Roster imports in the background: the director's upload, and the scheduled re-import (beat)."""

from celery import shared_task

from people.roster import runs


@shared_task(name="people.tasks.apply_roster_import", time_limit=1800, soft_time_limit=1700, acks_late=True)
def apply_roster_import(import_id: int) -> str:
    record = runs.run_import(import_id)
    return record.status if record is not None else "already taken"


@shared_task(name="people.tasks.scheduled_roster_import", time_limit=1800, soft_time_limit=1700)
def scheduled_roster_import() -> str:
    """Hourly: imports ROSTER_IMPORT_PATH when its files changed, and resends lost uploads' tasks."""
    runs.resend_lost_imports()
    record = runs.scheduled_import()
    return record.status if record is not None else "unchanged"
