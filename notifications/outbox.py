"""Email the desk owes people: recorded in the database first, sent after commit.

`queue_email` writes an `OutboundEmail` row inside the caller's transaction and
asks Celery to send it once the transaction commits. If the broker is down the
row simply waits: `sweep_outbox` finds it and sends it later. `deliver` claims a
row with a conditional UPDATE before talking to SMTP, so a task that runs twice
(a retry, a redelivery after a worker died, the sweep racing the task) sends one
email.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tickets.models import OutboundEmail, Ticket, TicketEvent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A claim older than this belongs to a worker that died mid-send; take it over.
STALE_CLAIM = timedelta(minutes=10)


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue a Celery task after the current transaction commits.

    Never raises: a broker outage must not fail the user's request, and the work
    is already recorded in the database for the periodic sweep to find.
    """

    def _send() -> None:
        try:
            task.apply_async(args=args, retry=False)
        except Exception:  # noqa: BLE001 - any broker failure is recovered by the sweep
            logger.warning("Could not queue %s%r; the sweep will pick it up", task.name, args, exc_info=True)

    transaction.on_commit(_send)


def _unclaimed(now: datetime) -> Q:
    return Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM)


def _one_line(text: str) -> str:
    # A newline in a subject would start a new header; collapse all whitespace.
    return " ".join(text.split())[:240]


def queue_email(
    *,
    kind: str,
    to: str,
    template: str,
    context: dict[str, Any],
    ticket: Ticket | None = None,
    language: str | None = None,
) -> OutboundEmail | None:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html`, record and queue them."""
    if not to:
        return None
    context = {"site_url": settings.SITE_URL, "ticket": ticket, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = _one_line(render_to_string(f"{template}_subject.txt", context))
        body_text = render_to_string(f"{template}_body.txt", context)
        body_html = render_to_string(f"{template}_body.html", context)
    email = OutboundEmail.objects.create(
        ticket=ticket, kind=kind, to=to, subject=subject, body_text=body_text, body_html=body_html
    )
    batch = getattr(_handover, "ids", None)
    if batch is not None:
        batch.append(email.pk)
    else:
        from tickets.tasks import send_email

        enqueue_on_commit(send_email, email.pk)
    return email


_handover = threading.local()


@contextmanager
def one_handover() -> Iterator[None]:
    """The emails queued inside go to Celery in one message after commit, not one each.

    For a service that records several emails at once (filing a ticket tells the
    requester and the technician): publishing a message costs about as much CPU as
    rendering an email. The callback is registered on leaving the block, so it belongs
    to the caller's transaction like any other and is dropped if that rolls back.
    """
    if getattr(_handover, "ids", None) is not None:  # nested: the outer block hands over
        yield
        return
    _handover.ids = ids = []
    try:
        yield
    finally:
        _handover.ids = None
    if len(ids) == 1:
        from tickets.tasks import send_email

        enqueue_on_commit(send_email, ids[0])
    elif ids:
        from tickets.tasks import send_emails

        enqueue_on_commit(send_emails, ids)


def claim(email_id: int) -> OutboundEmail | None:
    """Take the email for sending, or return None if it is sent or someone else holds it."""
    now = timezone.now()
    claimed = (
        OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True, failed_permanently=False)
        .filter(_unclaimed(now))
        .update(claimed_at=now)
    )
    if claimed != 1:
        return None
    return OutboundEmail.objects.get(pk=email_id)


def deliver(email_id: int, *, connection_factory: Callable[[], Any] | None = None) -> bool:
    """Send one recorded email exactly once. Returns True if this call sent it.

    On an SMTP failure the claim is released and the error re-raised so the task's
    retry (with backoff) and, after it, the sweep try again; after MAX_ATTEMPTS the
    email is marked failed and the failure written on the ticket's history.
    """
    email = claim(email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        connection=connection_factory() if connection_factory else None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except Exception as exc:
        _record_failure(email, exc)
        raise
    OutboundEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now(), attempts=email.attempts + 1)
    return True


def _record_failure(email: OutboundEmail, exc: Exception) -> None:
    attempts = email.attempts + 1
    permanent = attempts >= MAX_ATTEMPTS
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            claimed_at=None, attempts=attempts, last_error=str(exc)[:2000], failed_permanently=permanent
        )
        if email.ticket_id:
            TicketEvent.objects.create(
                ticket_id=email.ticket_id,
                kind=TicketEvent.Kind.EMAIL_FAILED,
                data={
                    "to": email.to,
                    "kind": email.kind,
                    "attempt": attempts,
                    "permanent": permanent,
                    "error": str(exc)[:300],
                },
            )


def unsent_ids(*, older_than: timedelta) -> list[int]:
    """Emails still owed after `older_than`: their task was lost or failed."""
    cutoff = timezone.now() - older_than
    return list(
        OutboundEmail.objects.filter(sent_at__isnull=True, failed_permanently=False, created_at__lt=cutoff)
        .filter(_unclaimed(timezone.now()))
        .values_list("pk", flat=True)[:500]
    )
