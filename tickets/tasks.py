"""The outbox tasks' names from before the notifications app, kept so nothing queued is lost.

Messages already in Redis (and a beat that has not restarted) name these; each runs
the notifications task of the same job. They can go once no worker or queue holds
a message from a version older than the notifications app.
"""

from celery import shared_task

from notifications import delivery
from notifications import tasks as notification_tasks


@shared_task(name="tickets.tasks.send_email", **delivery.SEND_TASK_OPTIONS)
def send_email(email_id: int) -> bool:
    return notification_tasks.send_email(email_id)


@shared_task(name="tickets.tasks.send_emails", acks_late=True)
def send_emails(email_ids: list[int]) -> int:
    return notification_tasks.send_emails(email_ids)


@shared_task(name="tickets.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return notification_tasks.sweep_outbox()
