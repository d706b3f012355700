"""The `InboundEmail` ledger, and the cap on automatic answers to any one address."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from notifications.models import InboundEmail, OutboundEmail

Outcome = InboundEmail.Outcome
# Kinds of OutboundEmail that answer inbound mail automatically (not filed, too large).
AUTO_ANSWER_KINDS = ("email_not_filed", "email_refused")


def already_handled(message_id: str) -> bool:
    return InboundEmail.objects.filter(message_id=message_id).exists()


def record(
    *,
    message_id: str,
    outcome: str,
    sender: str = "",
    subject: str = "",
    reason: str = "",
    ticket: models.Model | None = None,
) -> InboundEmail:
    """Write the ledger row; call inside the transaction that made the ticket or comment.

    A second handler of the same message (two workers, a retry after a crash) fails
    here on the unique `message_id` and rolls back everything it made.
    """
    return InboundEmail.objects.create(
        message_id=message_id,
        outcome=outcome,
        sender=sender[:254],
        subject=subject[:250],
        reason=reason[:300],
        ticket=ticket,
    )


def may_answer(address: str, kind: str) -> bool:
    """At most one automatic answer of a kind, and INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY in all,
    per address per day: a robot that answers our answer gets nothing back after that."""
    recent = OutboundEmail.objects.filter(
        to__iexact=address, kind__in=AUTO_ANSWER_KINDS, created_at__gte=timezone.now() - timedelta(days=1)
    )
    counts = dict(recent.values_list("kind").annotate(n=models.Count("id")).values_list("kind", "n"))
    return counts.get(kind, 0) == 0 and sum(counts.values()) < settings.INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY


def needs_look() -> models.QuerySet[InboundEmail]:
    return InboundEmail.objects.filter(outcome=Outcome.NEEDS_LOOK)
