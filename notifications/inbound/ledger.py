"""The `InboundEmail` ledger, the "needs a look" list, and the cap on automatic answers."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from notifications.models import InboundEmail, OutboundEmail
from schools.errors import DomainError, PermissionDenied
from schools.roles import is_staff_member

Outcome = InboundEmail.Outcome
# Kinds of OutboundEmail that answer inbound mail automatically (not filed, too large).
AUTO_ANSWER_KINDS = ("email_not_filed", "email_refused")
ACKNOWLEDGEMENT = "acknowledgement"  # a new ticket's first email: automatic when email filed it


def already_handled(message_id: str) -> bool:
    """Recorded with an outcome; a message whose handling failed before is tried again."""
    return InboundEmail.objects.filter(message_id=message_id).exclude(outcome=Outcome.FAILING).exists()


def record(
    *,
    message_id: str,
    outcome: str,
    sender: str = "",
    subject: str = "",
    reason: str = "",
    ticket: models.Model | None = None,
    raw: bytes | None = None,
) -> InboundEmail:
    """Write the ledger row; call inside the transaction that made the ticket or comment.

    A second handler of the same message (two workers, a retry after a crash) fails
    here on the unique `message_id` and rolls back everything it made. The row of
    earlier failed tries, if any, gives way (its count of tries goes with it).
    """
    with transaction.atomic():
        InboundEmail.objects.filter(message_id=message_id, outcome=Outcome.FAILING).delete()
        return InboundEmail.objects.create(
            message_id=message_id,
            outcome=outcome,
            sender=sender[:254],
            subject=subject[:250],
            reason=reason[:300],
            ticket_id=None if ticket is None else ticket.pk,
            raw=_kept(raw) if outcome == Outcome.NEEDS_LOOK else None,
        )


def _kept(raw: bytes | None) -> bytes | None:
    """The message is kept for a retry from the page unless it is too large to read at all."""
    return raw if raw is not None and len(raw) <= settings.INBOUND_EMAIL_MAX_BYTES else None


def note_failure(*, message_id: str, sender: str, subject: str, error: str, raw: bytes) -> bool:
    """Count a run whose handling of the message raised. Returns True once it has failed
    INBOUND_EMAIL_MAX_ATTEMPTS times: it is then listed as needing a look (and the
    mailbox moves it to that folder), so a poison message is never tried forever."""
    with transaction.atomic():
        row, _created = InboundEmail.objects.select_for_update().get_or_create(
            message_id=message_id,
            defaults={"outcome": Outcome.FAILING, "sender": sender[:254], "subject": subject[:250]},
        )
        if row.outcome != Outcome.FAILING:  # recorded meanwhile (another worker handled it)
            return row.outcome == Outcome.NEEDS_LOOK
        row.attempts += 1
        row.reason = error[:300]
        if row.attempts >= settings.INBOUND_EMAIL_MAX_ATTEMPTS:
            row.outcome = Outcome.NEEDS_LOOK
            row.reason = f"handling failed {row.attempts} times: {error}"[:300]
            row.raw = _kept(raw)
        row.save()
        return row.outcome == Outcome.NEEDS_LOOK


def may_answer(address: str, kind: str) -> bool:
    """At most one automatic answer of a kind per address per day, and
    INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY automatic answers in all: a robot that answers our
    answer gets nothing back after that."""
    since = timezone.now() - timedelta(days=1)
    if OutboundEmail.objects.filter(to__iexact=address, kind=kind, created_at__gte=since).exists():
        return False
    return answers_today(address) < settings.INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY


def answers_today(address: str) -> int:
    """Automatic answers to mail from this address in the last day: "not filed", "refused",
    and the acknowledgements of the tickets its mail filed (not those of tickets filed on
    the site, which answer a person at a keyboard)."""
    since = timezone.now() - timedelta(days=1)
    emailed = InboundEmail.objects.filter(
        sender__iexact=address, outcome=Outcome.TICKET, received_at__gte=since, ticket__isnull=False
    ).values("ticket_id")
    answers = models.Q(kind__in=AUTO_ANSWER_KINDS) | models.Q(kind=ACKNOWLEDGEMENT, ticket_id__in=emailed)
    return OutboundEmail.objects.filter(answers, to__iexact=address, created_at__gte=since).count()


def needs_look() -> models.QuerySet[InboundEmail]:
    """The messages staff must look at, newest first (the page /email/needs-a-look/)."""
    kept = models.ExpressionWrapper(models.Q(raw__isnull=False), output_field=models.BooleanField())
    return (
        InboundEmail.objects.filter(outcome=Outcome.NEEDS_LOOK)
        .defer("raw")
        .annotate(kept=kept)
        .order_by("-received_at", "-pk")
    )


def take_for_retry(*, actor: User, inbound_id: int) -> bytes:
    """Take a "needs a look" message off the list to handle it again; call inside a transaction
    (its handling then commits, or fails and leaves it listed). Returns its bytes."""
    _check_staff(actor)
    row = needs_look().select_for_update().filter(pk=inbound_id).first()
    if row is None:
        raise DomainError(gettext("That message is no longer waiting for a look."))
    raw = InboundEmail.objects.filter(pk=row.pk).values_list("raw", flat=True).first()
    if raw is None:
        raise DomainError(
            gettext("This message was too large to keep here. Open it in the mailbox's “%(folder)s” folder.")
            % {"folder": settings.INBOUND_EMAIL_NEEDS_LOOK_FOLDER}
        )
    row.delete()
    return bytes(raw)


def dismiss(*, actor: User, inbound_id: int) -> InboundEmail:
    """Staff dealt with it another way: off the list, the message's copy dropped, the row kept."""
    _check_staff(actor)
    with transaction.atomic():
        row = needs_look().select_for_update().filter(pk=inbound_id).first()
        if row is None:
            raise DomainError(gettext("That message is no longer waiting for a look."))
        row.outcome = Outcome.DISMISSED
        row.reason = f"{row.reason} (dismissed by {actor.get_username()})"[:300]
        row.raw = None
        row.save(update_fields=["outcome", "reason", "raw"])
    return row


def _check_staff(actor: User) -> None:
    if not is_staff_member(actor):
        raise PermissionDenied(gettext("Only the help desk team can do that."))
