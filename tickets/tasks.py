"""Celery tasks: ids in, fetch, call the outbox. Thin on purpose."""

import smtplib
import socket
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from tickets import idempotency, outbox


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError, socket.timeout),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=6,
    acks_late=True,
)
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
            try:
                send_email.apply_async(args=(email_id,), countdown=30, retry=False)
            except Exception:  # noqa: BLE001 - broker down too: the sweep sends it
                pass
    return sent


@shared_task
def sweep_outbox() -> int:
    """Send what a lost or failed task left behind. Each email is claimed, so overlap is safe."""
    sent = 0
    for email_id in outbox.unsent_ids(older_than=timedelta(seconds=settings.HELPDESK_OUTBOX_RETRY_AFTER_SECONDS)):
        try:
            sent += outbox.deliver(email_id)
        except Exception:  # noqa: BLE001 - recorded on the row; next sweep retries
            continue
    return sent


@shared_task(name="tickets.tasks.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """Nightly: forget API idempotency keys older than HELPDESK_IDEMPOTENCY_KEEP_DAYS."""
    return idempotency.prune_keys(older_than=timedelta(days=settings.HELPDESK_IDEMPOTENCY_KEEP_DAYS))
