"""Celery tasks of tickets: ids in, fetch, call a service. Thin on purpose.

The outbox tasks' old names (`tickets.tasks.send_email`, `send_emails`, `sweep_outbox`) stay
registered so messages already in Redis (and a beat that has not restarted) from before the
notifications app still run; each runs the notifications task of the same job. They can go
once no worker or queue holds a message from an older version.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import delivery
from notifications import tasks as notification_tasks
from tickets import auto_close, email_in, idempotency, visits


@shared_task(name="tickets.tasks.send_email", **delivery.SEND_TASK_OPTIONS)
def send_email(email_id: int) -> bool:
    return notification_tasks.send_email(email_id)


@shared_task(name="tickets.tasks.send_emails", acks_late=True)
def send_emails(email_ids: list[int]) -> int:
    return notification_tasks.send_emails(email_ids)


@shared_task(name="tickets.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return notification_tasks.sweep_outbox()


@shared_task(name="tickets.tasks.roll_past_visits")
def roll_past_visits_task() -> int:
    return visits.roll_past_visits()


@shared_task(name="tickets.tasks.auto_close_resolved_tickets")
def auto_close_resolved_tickets() -> int:
    """Close resolved tickets nobody confirmed within HELPDESK_AUTO_CLOSE_BUSINESS_DAYS.

    Goes through close_ticket (actor None), so the survey follows through the signal.
    """
    days = getattr(settings, "HELPDESK_AUTO_CLOSE_BUSINESS_DAYS", 5)
    return auto_close.auto_close_resolved_tickets(now=timezone.now(), business_days=days)


@shared_task(name="tickets.tasks.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """Nightly: forget API idempotency keys older than HELPDESK_IDEMPOTENCY_KEEP_DAYS."""
    return idempotency.prune_keys(older_than=timedelta(days=settings.HELPDESK_IDEMPOTENCY_KEEP_DAYS))


@shared_task(name="tickets.tasks.ingest_mailbox", time_limit=600, soft_time_limit=540)
def ingest_mailbox() -> int:
    """Read the desk's mailbox (INBOUND_EMAIL_URL); nothing to do until it is set."""
    return email_in.ingest_mailbox()
