"""Email the desk owes people: recorded in the database first, sent after commit.

`queue_email` renders the email and writes an `OutboundEmail` row inside the
caller's transaction, then asks Celery to send it once the transaction commits.
If the broker is down the row simply waits: the `sweep_outbox` task finds it and
sends it later. `deliver` claims the row with a conditional UPDATE before talking
to SMTP, so a task that runs twice sends one email. The claim, render, send and
sweep themselves live in `notifications.delivery`, shared with the survey.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications import delivery, password_reset, preferences
from notifications import threading as mail_threading
from notifications.models import OutboundEmail
from notifications.signals import email_failed

MAX_ATTEMPTS = delivery.MAX_ATTEMPTS


def queue_email(
    *,
    kind: str,
    to: str,
    template: str,
    context: dict[str, Any],
    ticket: models.Model | None = None,
    language: str | None = None,
    starts_thread: bool = False,
) -> OutboundEmail | None:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html`, record and queue them.

    An email about a ticket is threaded (notifications.threading) and says that a reply
    adds to the request; `starts_thread` marks the ticket's first email, whose
    Message-ID is the ticket's root.

    The person in `context["recipient"]` may have switched this kind of email off
    (notifications.preferences): then nothing is recorded and None is returned. So is an
    automatic answer withheld by `withheld_from` (loop breaking).
    """
    if not to:
        return None
    if not preferences.wants(context.get("recipient"), kind) or _is_withheld(to, kind):
        return None
    context = {"site_url": settings.SITE_URL, "ticket": ticket, **context}
    rendered = delivery.render(template, context, language=language, reply_note=ticket is not None)
    if ticket is None:
        message_id, in_reply_to = mail_threading.new_message_id(), ""
    elif starts_thread:
        message_id, in_reply_to = mail_threading.ticket_root(ticket.pk), ""
    else:
        message_id, in_reply_to = mail_threading.new_message_id(ticket.pk), mail_threading.ticket_root(ticket.pk)
    email = OutboundEmail.objects.create(
        ticket_id=None if ticket is None else ticket.pk,
        kind=kind,
        to=to,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        message_id=message_id,
        in_reply_to=in_reply_to,
    )
    batch = getattr(_handover, "ids", None)
    if batch is not None:
        batch.append(email.pk)
    else:
        from notifications.tasks import send_email

        delivery.enqueue_on_commit(send_email, email.pk)
    return email


_handover = threading.local()
_withheld = threading.local()


@contextmanager
def withheld_from(address: str, kinds: frozenset[str]) -> Iterator[None]:
    """Emails of these kinds to this address queued inside are not sent (a robot writing to
    us all day gets no answer to each message: email in caps the automatic answers)."""
    previous = getattr(_withheld, "rule", None)
    _withheld.rule = (address.lower(), kinds)
    try:
        yield
    finally:
        _withheld.rule = previous


def _is_withheld(to: str, kind: str) -> bool:
    rule = getattr(_withheld, "rule", None)
    return rule is not None and rule[0] == to.lower() and kind in rule[1]


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
    ids: list[int] = []
    _handover.ids = ids
    try:
        yield
    finally:
        _handover.ids = None
    if len(ids) == 1:
        from notifications.tasks import send_email

        delivery.enqueue_on_commit(send_email, ids[0])
    elif ids:
        from notifications.tasks import send_emails

        delivery.enqueue_on_commit(send_emails, ids)


def claim(email_id: int) -> OutboundEmail | None:
    """Take the email for sending, or return None if it is sent or someone else holds it."""
    if not delivery.claim(delivery.owed(OutboundEmail.objects.all()), email_id):
        return None
    return OutboundEmail.objects.get(pk=email_id)


def deliver(email_id: int, *, connection_factory: Callable[[], Any] | None = None) -> bool:
    """Send one recorded email exactly once. Returns True if this call sent it.

    On an SMTP failure the claim is released and the error re-raised so the task's
    retry (with backoff) and, after it, the sweep try again; after MAX_ATTEMPTS the
    email is marked failed. Each failure is announced by `email_failed` (tickets
    writes it on the ticket's history).
    """
    email = claim(email_id)
    if email is None:
        return False
    rendered = delivery.Rendered(subject=email.subject, text=email.body_text, html=email.body_html)

    def failed(attempts: int, permanent: bool, error: Exception) -> None:
        email_failed.send(sender=OutboundEmail, email=email, attempts=attempts, permanent=permanent, error=error)

    if email.kind == password_reset.KIND:  # rendered now, with a fresh link; the row holds none

        def send_it() -> None:
            password_reset.send(email, connection_factory=connection_factory)
    else:

        def send_it() -> None:
            delivery.send(
                to=email.to,
                email=rendered,
                connection_factory=connection_factory,
                headers=mail_threading.headers(
                    message_id=email.message_id or mail_threading.new_message_id(email.ticket_id),
                    in_reply_to=email.in_reply_to,
                ),
            )

    delivery.send_claimed(email, send_it, on_failure=failed)
    return True


def unsent_ids(*, older_than: timedelta) -> list[int]:
    """Emails still owed after `older_than`: their task was lost or failed."""
    return delivery.unsent_ids(OutboundEmail.objects.all(), older_than=older_than)


def prune_sent_bodies(*, older_than: timedelta) -> int:
    """Blank the text of emails sent longer ago than `older_than`; the row stays.

    Who was written to, about which ticket, with what subject and when is kept as the
    record; only the bodies (which may quote a teacher's words) go. Unsent and failed
    emails keep theirs, so a retry or a look at the failure still has the message.
    Returns how many rows were blanked.
    """
    cutoff = timezone.now() - older_than
    return (
        OutboundEmail.objects.filter(sent_at__lt=cutoff)
        .exclude(body_text="", body_html="")
        .update(body_text="", body_html="")
    )
