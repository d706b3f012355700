"""Celery tasks for the outbox: ids in, call the outbox. Thin on purpose.

Until this app existed they were `tickets.tasks.send_email`, `send_emails` and
`sweep_outbox`; tickets/tasks.py keeps those names registered so messages queued
by an older version still run.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from notifications import delivery, outbox


@shared_task(**delivery.SEND_TASK_OPTIONS)
def send_email(email_id: int) -> bool:
    return outbox.deliver(email_id)


@shared_task(acks_late=True)
def send_emails(email_ids: list[int]) -> int:
    """Emails one transaction recorded, handed over in one message. Each is claimed and sent
    on its own; one that fails gets its own retrying send_email, and the sweep backs that up."""
    sent = 0
    for email_id in email_ids:
        try:
            sent += outbox.deliver(email_id)
        except Exception:  # noqa: BLE001 - the failure is on the row; retry this one alone
            delivery.retry_later(send_email, email_id, countdown=30)
    return sent


@shared_task
def sweep_outbox() -> int:
    """Send what a lost or failed task left behind. Each email is claimed, so overlap is safe."""
    older_than = timedelta(seconds=settings.HELPDESK_OUTBOX_RETRY_AFTER_SECONDS)
    return delivery.sweep(outbox.unsent_ids(older_than=older_than), outbox.deliver, what="Email")


@shared_task
def prune_sent_bodies() -> int:
    """Nightly: blank the bodies of emails sent more than HELPDESK_OUTBOX_KEEP_DAYS ago."""
    return outbox.prune_sent_bodies(older_than=timedelta(days=settings.HELPDESK_OUTBOX_KEEP_DAYS))
