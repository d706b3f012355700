"""Email in, as ticket rules: a reply becomes a comment, other mail from the district a ticket.

notifications.inbound parses and classifies a message and keeps the ledger; this
module decides what it does to tickets, through the ticket services only, and writes
the ledger row in the same transaction, so a message counts once (API.md, "Email"):

- a reply (threading headers, else `[#id]` in the subject) from someone who may
  comment on that ticket becomes their public comment, without quotes or signature;
  the requester's reply reopens a resolved ticket and resumes a waiting one;
- any other message from an active user or a district address files a ticket for
  the sender (an unknown district address becomes a requester). A forged `[#id]`
  from someone else therefore files their own ticket and never touches that one;
- auto-replies, bounces, bulk mail and our own mail are ignored; mail from outside the
  district files nothing (one polite answer a day at most);
- what cannot be read goes to "needs a look" (and a polite answer when it was too big).
"""

import contextlib
import email
import hashlib
import logging
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from notifications import outbox
from notifications import threading as mail_threading
from notifications.inbound import classify, ledger, mailbox
from notifications.inbound.message import InboundMessage, Unreadable, parse
from schools.models import Profile, School
from schools.roles import is_staff_member
from tickets import attachments, services
from tickets.errors import DomainError
from tickets.models import Category, Comment, Impact, Ticket

logger = logging.getLogger(__name__)

Outcome = ledger.Outcome
# Signature logos and tracking pixels are inline images this small; screenshots are not.
SMALL_INLINE_IMAGE = 4 * 1024


@dataclass(frozen=True)
class Result:
    outcome: str  # an InboundEmail.Outcome, or "duplicate"
    detail: str
    ticket_id: int | None = None

    def __str__(self) -> str:
        where = f" #{self.ticket_id}" if self.ticket_id else ""
        return f"{self.outcome}{where}: {self.detail}"


def ingest_mailbox() -> int:
    """The periodic task's work: every new message in INBOUND_EMAIL_URL's mailbox."""
    if not settings.INBOUND_EMAIL_URL:
        return 0
    return len(mailbox.process(lambda raw: handle_raw(raw).outcome, on_error=handle_failure))


def handle_failure(raw: bytes, error: Exception) -> str:
    """Handling raised: count the try. After INBOUND_EMAIL_MAX_ATTEMPTS the message needs a
    look (NEEDS_LOOK: the mailbox moves it to that folder); until then it is left for the
    next run ("failing")."""
    message_id, sender, subject = _identity(raw)
    error_text = f"{type(error).__name__}: {error}"
    if ledger.note_failure(message_id=message_id, sender=sender, subject=subject, error=error_text, raw=raw):
        return mailbox.NEEDS_LOOK
    return Outcome.FAILING


def retry(*, actor: "User", inbound_id: int) -> Result:
    """Staff try a "needs a look" message again (after fixing what stopped it): handled as if
    it had just arrived. If its handling raises, it stays on the list."""
    with transaction.atomic():
        raw = ledger.take_for_retry(actor=actor, inbound_id=inbound_id)
        return handle_raw(raw)


def handle_raw(raw: bytes) -> Result:
    """Handle one RFC 5322 message; the mailbox task and `manage.py ingest_email` both call this."""
    try:
        message = parse(raw)
    except Unreadable as exc:
        return _needs_look(raw, str(exc))
    if ledger.already_handled(message.message_id):
        return Result("duplicate", "this Message-ID was handled before")
    try:
        return _handle(message)
    except IntegrityError:
        # Another worker recorded the same Message-ID first; everything made here rolled back.
        return Result("duplicate", "handled at the same time by another worker")


def _handle(message: InboundMessage) -> Result:
    reason = classify.automatic_reason(message)
    if reason:
        return _record(message, Outcome.IGNORED, reason)
    sender = _active_user(message.sender)
    ticket = _ticket_replied_to(message)
    if ticket is not None and sender is not None and _may_comment(sender, ticket):
        return _comment(message, sender, ticket)
    if sender is None and not _in_district(message.sender):
        if ledger.may_answer(message.sender, "email_not_filed"):
            with transaction.atomic():
                outbox.queue_email(
                    kind="email_not_filed",
                    to=message.sender,
                    template="notifications/email/not_filed",
                    context={"subject": message.subject},
                )
                return _record(message, Outcome.NOT_FILED, "sender outside the district (answered)")
        return _record(message, Outcome.NOT_FILED, "sender outside the district")
    return _new_ticket(message, sender)


# --- who, and which ticket -------------------------------------------------------------------


def _active_user(address: str) -> "User | None":
    return User.objects.filter(email__iexact=address, is_active=True).order_by("pk").first()


def _in_district(address: str) -> bool:
    return address.rpartition("@")[2] in settings.INBOUND_EMAIL_DOMAINS


def _ticket_replied_to(message: InboundMessage) -> Ticket | None:
    ticket_id = mail_threading.ticket_id_from_headers(message.in_reply_to, message.references)
    if ticket_id is None:
        ticket_id = mail_threading.ticket_id_from_subject(message.subject)
    if ticket_id is None:
        return None
    return Ticket.objects.select_related("school", "requester").filter(pk=ticket_id).first()


def _may_comment(user: "User", ticket: Ticket) -> bool:
    # The same rule add_comment enforces; asked first so a refusal files a ticket instead.
    return services.may_comment(user, ticket)


# --- what it makes ---------------------------------------------------------------------------------


def _comment(message: InboundMessage, sender: "User", ticket: Ticket) -> Result:
    body = (message.text or message.full_text or "").strip()[:20000] or "(empty email)"
    with transaction.atomic():
        comment = services.add_comment(actor=sender, ticket=ticket, body=body)
        skipped = _attach(message, sender, ticket, comment)
        after = _after_requester_reply(sender, ticket, body)
        detail = "comment added" + after + skipped
        _record(message, Outcome.COMMENT, detail, ticket=ticket)
    return Result(Outcome.COMMENT, detail, ticket.pk)


def _after_requester_reply(sender: "User", ticket: Ticket, body: str) -> str:
    """A requester's reply reopens a resolved ticket and resumes one waiting on them.

    Hook: the wait has no "on whom" yet; when tickets wait on the requester or a third
    party, `services.resume_on_requester_reply` is the place that resumes only the first.
    """
    if is_staff_member(sender) or not services.acts_for_requester(sender, ticket):
        return ""
    ticket.refresh_from_db(fields=["status"])
    if ticket.status == Ticket.Status.RESOLVED:
        services.reopen_ticket(actor=sender, ticket=ticket, reason=body[:1000])
        return ", ticket reopened"
    if ticket.status == Ticket.Status.WAITING:
        services.resume_on_requester_reply(actor=sender, ticket=ticket)
        return ", ticket resumed"
    return ""


class _NoPlace(Exception):
    """No school or category to file under: rolls back the new requester, and a person decides."""


def _new_ticket(message: InboundMessage, sender: "User | None") -> Result:
    try:
        return _file(message, sender)
    except _NoPlace as exc:
        return _needs_look_row(message.message_id, message.sender, message.subject, str(exc), message.raw)


def _file(message: InboundMessage, sender: "User | None") -> Result:
    # Loop breaking: past the day's automatic answers to this address, file without acknowledging.
    capped = ledger.answers_today(message.sender) >= settings.INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY
    if capped:
        quiet: contextlib.AbstractContextManager[None] = outbox.withheld_from(
            message.sender, frozenset({ledger.ACKNOWLEDGEMENT})
        )
    else:
        quiet = contextlib.nullcontext()
    with quiet, transaction.atomic():
        if sender is None:
            sender = _new_requester(message)
        school = _home_school(sender)
        category = _category()
        if school is None:
            raise _NoPlace("the sender has no home school")
        if category is None:
            raise _NoPlace("no category in scope")
        ticket = services.create_ticket(
            actor=sender,
            title=(message.subject or "(no subject)")[:200],
            description=((message.text or message.full_text).strip() or "(empty email)")[:20000],
            category=category,
            impact=Impact.MEDIUM,
            urgency=Impact.MEDIUM,
            school=school,
        )
        skipped = _attach(message, sender, ticket, None)
        detail = "ticket filed" + (" (not acknowledged: the day's automatic answers were sent)" if capped else "")
        detail += skipped
        _record(message, Outcome.TICKET, detail, ticket=ticket)
    return Result(Outcome.TICKET, detail, ticket.pk)


def _new_requester(message: InboundMessage) -> "User":
    """An unknown district address: a requester who can use password reset to sign in."""
    first, _, last = (message.sender_name or "").partition(" ")
    user = User.objects.create_user(
        username=message.sender[:150], email=message.sender, first_name=first[:150], last_name=last[:150]
    )
    school = (
        School.objects.filter(code=settings.INBOUND_EMAIL_SCHOOL).first() if settings.INBOUND_EMAIL_SCHOOL else None
    )
    if school is None:
        raise _NoPlace("unknown district address and no INBOUND_EMAIL_SCHOOL to place them")
    # Their home school until staff move them (the profile page shows it).
    user.profile, _ = Profile.objects.update_or_create(user=user, defaults={"school": school})
    return user


def _home_school(user: "User") -> School | None:
    profile = Profile.objects.select_related("school").filter(user=user).first()
    return profile.school if profile is not None else None


def _category() -> Category | None:
    return (
        Category.objects.filter(slug=settings.INBOUND_EMAIL_CATEGORY, in_scope=True).first()
        or Category.objects.filter(in_scope=True).order_by("pk").first()
    )


def _attach(message: InboundMessage, actor: "User", ticket: Ticket, comment: Comment | None) -> str:
    """Files that pass the upload checks are attached; the others are named in the result."""
    uploads: list[SimpleUploadedFile] = []
    skipped: list[str] = []
    for part in message.attachments:
        if part.inline and part.content_type.startswith("image/") and len(part.data) < SMALL_INLINE_IMAGE:
            continue
        upload = SimpleUploadedFile(attachments.clean_name(part.filename), part.data, part.content_type)
        try:
            attachments.check_upload(upload)
        except DomainError as exc:
            skipped.append(f"{upload.name} ({exc})")
            continue
        if len(uploads) >= settings.HELPDESK_ATTACHMENTS_PER_UPLOAD:
            skipped.append(f"{upload.name} (too many files)")
            continue
        uploads.append(upload)
    if uploads:
        attachments.add_attachments(actor=actor, ticket=ticket, uploads=uploads, comment=comment)
    return f"; files not attached: {', '.join(skipped)}" if skipped else ""


# --- the ledger --------------------------------------------------------------------------------------


def _record(message: InboundMessage, outcome: str, detail: str, ticket: Ticket | None = None) -> Result:
    ledger.record(
        message_id=message.message_id,
        outcome=outcome,
        sender=message.sender,
        subject=message.subject,
        reason=detail,
        ticket=ticket,
    )
    return Result(outcome, detail, ticket.pk if ticket else None)


def _identity(raw: bytes) -> tuple[str, str, str]:
    """Message-ID, sender and subject read from the headers alone, for a message that
    could not be parsed or handled."""
    headers = email.message_from_bytes(raw[:65536])
    message_id = " ".join(str(headers.get("Message-ID") or "").split())[:250]
    message_id = message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound>"
    sender = parseaddr(str(headers.get("From") or ""))[1].lower()
    subject = " ".join(str(headers.get("Subject") or "").split())[:250]
    return message_id, sender, subject


def _needs_look(raw: bytes, reason: str) -> Result:
    """A message the parser refused: listed for staff, kept in the mailbox's "needs a look" folder."""
    headers = email.message_from_bytes(raw[:65536])
    message_id, sender, subject = _identity(raw)
    if ledger.already_handled(message_id):
        return Result(mailbox.NEEDS_LOOK, "listed before: " + reason)
    if (
        reason == "too large"
        and sender
        and not _automatic_headers(headers)
        and ledger.may_answer(sender, "email_refused")
    ):
        with transaction.atomic():
            outbox.queue_email(
                kind="email_refused",
                to=sender,
                template="notifications/email/refused",
                context={
                    "subject": subject,
                    "reason": "it is too large",
                    "max_mb": settings.HELPDESK_ATTACHMENT_MAX_BYTES // (1024 * 1024),
                },
            )
            return _needs_look_row(message_id, sender, subject, reason + " (answered)", raw)
    return _needs_look_row(message_id, sender, subject, reason, raw)


def _automatic_headers(headers: email.message.Message) -> bool:
    auto = str(headers.get("Auto-Submitted") or "no").strip().lower()
    return auto != "no" or headers.get("Precedence") is not None or headers.get("List-Id") is not None


def _needs_look_row(message_id: str, sender: str, subject: str, reason: str, raw: bytes | None) -> Result:
    ledger.record(
        message_id=message_id, outcome=Outcome.NEEDS_LOOK, sender=sender, subject=subject, reason=reason, raw=raw
    )
    return Result(mailbox.NEEDS_LOOK, reason)
