"""How anything the desk owes by email gets sent: once, after commit, never lost.

Every outbox row is recorded in PostgreSQL inside the transaction that owes it,
and only then handed to Celery. Two kinds of rows use these helpers:
`OutboundEmail` (notifications.outbox: rendered when recorded) and rows that are
their own outbox (`SurveyInvitation`: rendered at send time, because its token is
never stored anywhere but its one column). Such a row has the columns
`created_at`, `claimed_at`, `sent_at`, `attempts`, `last_error` and
`failed_permanently`.

- `enqueue_on_commit`: the one on-commit handover to Celery; a broker outage never
  fails the request, because the sweep finds the row again; without a broker the
  task runs on a background thread (notifications.background), never in the request;
- `claim`: the conditional UPDATE before sending, so a task that runs twice (a
  retry, a redelivery after a worker died, the sweep racing the task) sends once;
- `render` and `send`: the subject/text/html trio, and the message built from it;
- `send_claimed`: the send with its retry bookkeeping on the row;
- `unsent_ids` and `sweep`: what a lost or failed task left behind, sent again.
"""

import logging
import smtplib
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A claim older than this belongs to a worker that died mid-send; take it over.
STALE_CLAIM = timedelta(minutes=10)
NETWORK_ERRORS = (smtplib.SMTPException, OSError, socket.timeout)
# Every task that sends one row: SMTP and network errors retry with backoff (30 s
# doubling to 30 min), and the sweep takes over after the last retry.
SEND_TASK_OPTIONS: dict[str, Any] = {
    "autoretry_for": NETWORK_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 1800,
    "max_retries": 6,
    "acks_late": True,
}


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Queue a Celery task after the current transaction commits.

    Never raises: a broker outage must not fail the user's request, and the work
    is already recorded in the database for the periodic sweep to find.
    """

    def _send() -> None:
        if _eager(task) and settings.HELPDESK_EAGER_TASKS_IN_BACKGROUND:
            # No broker: never inline, where a hanging SMTP server would hold the request.
            from notifications import background

            background.submit(task, args)
            return
        try:
            task.apply_async(args=args, retry=False)
        except Exception:  # noqa: BLE001 - any broker failure is recovered by the sweep
            logger.warning("Could not queue %s%r; the sweep will pick it up", task.name, args, exc_info=True)

    transaction.on_commit(_send)


def retry_later(task: Any, *args: Any, countdown: int) -> None:
    """One more try of `task` in `countdown` seconds. Without a broker the sweep is that try:
    an eager "later" would run now, on the thread that just failed."""
    if _eager(task) and settings.HELPDESK_EAGER_TASKS_IN_BACKGROUND:
        return
    try:
        task.apply_async(args=args, countdown=countdown, retry=False)
    except Exception:  # noqa: BLE001 - broker down too: the sweep sends it
        logger.warning("Could not queue %s%r; the sweep will pick it up", task.name, args, exc_info=True)


def _eager(task: Any) -> bool:
    """Celery runs tasks in the caller: no REDIS_URL (the demo, a district without Redis) or tests."""
    conf = task.app.conf
    return bool(conf.get("CELERY_TASK_ALWAYS_EAGER", conf.task_always_eager))


# --- claim ----------------------------------------------------------------------------


def unclaimed(*, now: datetime, field: str = "claimed_at") -> Q:
    """Nobody holds the row, or its holder died more than STALE_CLAIM ago."""
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now - STALE_CLAIM})


def owed(rows: QuerySet) -> QuerySet:
    """Rows not sent yet and not given up on."""
    return rows.filter(sent_at__isnull=True, failed_permanently=False)


def claim(rows: QuerySet, pk: int, *, field: str = "claimed_at") -> bool:
    """Take row `pk` of `rows` for sending; True if this call holds it now.

    `rows` carries the caller's conditions (not sent, the ticket still closed...).
    Keep them on the row itself, with Exists() for anything about another table:
    with a join Django writes `WHERE id IN (SELECT ...)`, and PostgreSQL does not
    re-check a subquery's conditions after waiting for a competing UPDATE, so both
    racers would win.
    """
    now = timezone.now()
    return rows.filter(pk=pk).filter(unclaimed(now=now, field=field)).update(**{field: now}) == 1


# --- render and send --------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def one_line(text: str) -> str:
    # A newline in a subject would start a new header; collapse all whitespace.
    return " ".join(text.split())[:240]


def render(
    template: str, context: dict[str, Any], *, language: str | None = None, reply_note: bool = False
) -> Rendered:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html` in `language`.

    `reply_note` adds the line saying that replying to the email adds to the request
    (`notifications/email/reply_note.*`), for emails about a ticket.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        text: str = render_to_string(f"{template}_body.txt", context)
        html: str = render_to_string(f"{template}_body.html", context)
        if reply_note:
            text = text.rstrip("\n") + "\n\n" + render_to_string("notifications/email/reply_note.txt", context)
            note = render_to_string("notifications/email/reply_note.html", context)
            html = html.replace("</body>", note + "</body>", 1) if "</body>" in html else html + note
        return Rendered(subject=one_line(render_to_string(f"{template}_subject.txt", context)), text=text, html=html)


def send(
    *,
    to: str,
    email: Rendered,
    connection_factory: Callable[[], Any] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Hand one rendered email to the mail backend (SMTP in production). Raises on failure."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection_factory() if connection_factory else None,
        headers=headers,
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    message.send()


class OutboxRow(Protocol):
    """A row that is its own outbox (see above): what `send_claimed` reads of it."""

    _default_manager: ClassVar[models.Manager[Any]]
    pk: Any
    attempts: int


def send_claimed(
    row: OutboxRow,
    send_it: Callable[[], None],
    *,
    on_failure: Callable[[int, bool, Exception], None] | None = None,
) -> None:
    """Run `send_it` for a row this process claimed, and write the outcome on the row.

    Sent: `sent_at` and one more attempt. Failed: the claim is released, the attempt
    and error recorded, and after MAX_ATTEMPTS the row is given up on
    (`failed_permanently`); `on_failure(attempts, permanent, error)` runs in the same
    transaction, then the error is re-raised so the task retries with backoff and,
    after it, the sweep.
    """
    this_row = type(row)._default_manager.filter(pk=row.pk)
    try:
        send_it()
    except Exception as exc:
        attempts = row.attempts + 1
        permanent = attempts >= MAX_ATTEMPTS
        with transaction.atomic():
            this_row.update(
                claimed_at=None, attempts=attempts, last_error=str(exc)[:2000], failed_permanently=permanent
            )
            if on_failure is not None:
                on_failure(attempts, permanent, exc)
        raise
    this_row.update(sent_at=timezone.now(), attempts=row.attempts + 1)


# --- sweep ----------------------------------------------------------------------------------


def unsent_ids(rows: QuerySet, *, older_than: timedelta, limit: int = 500) -> list[int]:
    """Rows still owed after `older_than`, oldest first: their task was lost (broker down) or failed."""
    now = timezone.now()
    return list(
        owed(rows)
        .filter(created_at__lt=now - older_than)
        .filter(unclaimed(now=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(ids: Iterable[int], deliver: Callable[[int], bool], *, what: str) -> int:
    """Deliver each id in turn; one failure (recorded on its row) does not stop the rest."""
    sent = 0
    for pk in ids:
        try:
            sent += deliver(pk)
        except Exception:  # noqa: BLE001 - recorded on the row; the next sweep retries
            logger.warning("%s %s not sent; the next sweep retries", what, pk, exc_info=True)
    return sent
