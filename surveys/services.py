"""Every write the survey makes: invite on close, send, remind, answer, follow up.

The invitation row is recorded inside the close's transaction (through the
`ticket_closed` signal) and is its own outbox: the email is rendered and sent
after commit by a task that first claims the row with a conditional UPDATE, so
two runs never send twice and a lost task is found again by the sweep. The
claim, render, send and sweep are notifications.delivery's, as for every email.
"""

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications import delivery, outbox, preferences
from notifications import threading as mail_threading
from schools import business_time
from schools.calendar import district_calendar
from schools.errors import DomainError, PermissionDenied
from schools.roles import AnyUser, is_director, is_staff_member
from schools.selectors import directors_to_email
from surveys.models import SurveyInvitation, SurveyResponse, SurveySettings
from tickets.models import Ticket

logger = logging.getLogger(__name__)


EDIT_WINDOW = timedelta(hours=12)
RATING_WORDS = {
    1: gettext_lazy("Very poor"),
    2: gettext_lazy("Poor"),
    3: gettext_lazy("Fair"),
    4: gettext_lazy("Good"),
    5: gettext_lazy("Excellent"),
}


class SurveyExpired(DomainError):
    """The survey is older than SURVEY_EXPIRY_DAYS and unanswered."""


class AlreadyAnswered(DomainError):
    """The answer exists and its edit window has passed."""


# --- rules read at call time -------------------------------------------------------


def expiry_days() -> int:
    return getattr(settings, "SURVEY_EXPIRY_DAYS", 30)


def expiry_cutoff(now: datetime | None = None) -> datetime:
    """The one expiry rule: an invitation opened (`SurveyInvitation.opened_at`: sent, or
    recorded if never sent) before this moment has expired. The survey page and the
    reminder both ask it."""
    return (now or timezone.now()) - timedelta(days=expiry_days())


def is_expired(invitation: SurveyInvitation, *, now: datetime | None = None) -> bool:
    return invitation.opened_at < expiry_cutoff(now)


def can_edit(response: SurveyResponse, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) <= response.answered_at + EDIT_WINDOW


def is_sampled(ticket_id: int, percent: int) -> bool:
    """Deterministic by ticket id: the same ticket is always in or out of a given sample.

    A multiplicative hash spreads consecutive ids, so a 20% sample is not "every
    ticket whose id ends in 00-19" (which would follow batches of imported tickets).
    """
    if percent >= 100:
        return True
    if percent <= 0:
        return False
    return (ticket_id * 2654435761) % 2**32 % 100 < percent


def may_answer(user: AnyUser, invitation: SurveyInvitation) -> bool:
    """The technician who worked the ticket (or staff who closed it) cannot rate it."""
    if not user.is_authenticated:
        return True
    ticket = invitation.ticket
    if user.pk == ticket.assignee_id:
        return False
    return not (user.pk == invitation.closed_by_id and user.pk != ticket.requester_id and is_staff_member(user))


# --- the invitation ---------------------------------------------------------------------


def invite_on_close(*, ticket: Ticket, actor: User | None) -> SurveyInvitation | None:
    """Record the survey a close owes, inside the close's transaction (the ticket row is locked).

    At most one invitation per ticket, ever: a reopened and re-closed ticket keeps
    its first one. No survey goes to a requester without an address, who switched the
    survey email off (notifications.preferences), to a
    technician who worked their own ticket, or outside the director's sample.
    """
    existing = SurveyInvitation.objects.filter(ticket=ticket).first()
    if existing is not None:
        if existing.sent_at is None and not existing.failed_permanently:
            _enqueue_send(existing.pk)
        return existing
    email = ticket.requester.email
    if not email or ticket.requester_id == ticket.assignee_id:
        return None
    if not preferences.wants(ticket.requester, preferences.SURVEY_KIND):
        return None
    if not is_sampled(ticket.pk, SurveySettings.load().sample_percent):
        return None
    invitation, created = SurveyInvitation.objects.get_or_create(
        ticket=ticket,
        defaults={"token": secrets.token_urlsafe(32), "email": email, "closed_by": actor},
    )
    if created:
        _enqueue_send(invitation.pk)
    return invitation


def record_invitation(sender: type, ticket: Ticket, actor: User | None = None, **kwargs: Any) -> None:
    """Receiver of `ticket_closed` (connected in SurveysConfig.ready()): runs inside
    close_ticket's transaction, row locked."""
    invite_on_close(ticket=ticket, actor=actor)


def _enqueue_send(invitation_id: int) -> None:
    from surveys.tasks import send_survey_invitation

    delivery.enqueue_on_commit(send_survey_invitation, invitation_id)


def claim_invitation(invitation_id: int) -> SurveyInvitation | None:
    """Take the invitation for sending, or None if sent, held by another worker, or reopened."""
    ticket_closed = Exists(Ticket.objects.filter(pk=OuterRef("ticket_id"), status=Ticket.Status.CLOSED))
    if not delivery.claim(delivery.owed(SurveyInvitation.objects.filter(ticket_closed)), invitation_id):
        return None
    return SurveyInvitation.objects.select_related("ticket__requester__profile", "ticket__assignee").get(
        pk=invitation_id
    )


def deliver_invitation(invitation_id: int, *, connection_factory: Callable[[], Any] | None = None) -> bool:
    """Send the survey email exactly once. Returns True if this call sent it.

    An SMTP failure releases the claim and re-raises so the task retries with
    backoff, then the sweep; after delivery.MAX_ATTEMPTS the invitation is marked failed.
    """
    invitation = claim_invitation(invitation_id)
    if invitation is None:
        return False
    delivery.send_claimed(invitation, lambda: _send(invitation, "surveys/email/invitation", connection_factory))
    return True


def unsent_invitation_ids(*, older_than: timedelta, limit: int = 500) -> list[int]:
    """Invitations still owed after `older_than`: their task was lost (broker down) or failed."""
    closed = SurveyInvitation.objects.filter(ticket__status=Ticket.Status.CLOSED)
    return delivery.unsent_ids(closed, older_than=older_than, limit=limit)


# --- the reminder ---------------------------------------------------------------------------


def reminder_candidates(*, now: datetime, business_days: int = 3, limit: int = 500) -> list[int]:
    """Sent, unanswered, unreminded, unexpired invitations whose reminder is due."""
    # Business days are at least calendar days, so this narrows the set in SQL;
    # the exact business-day check runs on the few rows left.
    rows = (
        SurveyInvitation.objects.filter(
            sent_at__isnull=False,
            sent_at__lte=now - timedelta(days=business_days),
            sent_at__gte=expiry_cutoff(now),  # a sent invitation's opened_at is its sent_at
            reminded_at__isnull=True,
            response__isnull=True,
            ticket__status=Ticket.Status.CLOSED,
        )
        .filter(delivery.unclaimed(now=now, field="reminder_claimed_at"))
        .order_by("sent_at")
        .values_list("pk", "sent_at")[:limit]
    )
    calendar = district_calendar()
    return [
        pk
        for pk, sent_at in rows
        if sent_at is not None and business_time.add_business_days(sent_at, business_days, calendar) <= now
    ]


def deliver_reminder(invitation_id: int) -> bool:
    """Send the one reminder, claimed like the invitation. Returns True if this call sent it."""
    unanswered = SurveyInvitation.objects.filter(sent_at__isnull=False, reminded_at__isnull=True).exclude(
        Exists(SurveyResponse.objects.filter(invitation_id=OuterRef("pk")))
    )
    if not delivery.claim(unanswered, invitation_id, field="reminder_claimed_at"):
        return False
    invitation = SurveyInvitation.objects.select_related("ticket__requester__profile", "ticket__assignee").get(
        pk=invitation_id
    )
    try:
        _send(invitation, "surveys/email/reminder", None)
    except Exception:
        SurveyInvitation.objects.filter(pk=invitation.pk).update(reminder_claimed_at=None)
        raise
    SurveyInvitation.objects.filter(pk=invitation.pk).update(reminded_at=timezone.now())
    return True


def survey_email_context(invitation: SurveyInvitation) -> dict[str, Any]:
    ticket = invitation.ticket
    base = f"{settings.SITE_URL}/surveys/{invitation.token}/"
    return {
        "site_url": settings.SITE_URL,
        "ticket": ticket,
        "recipient": ticket.requester,
        "technician_name": (ticket.assignee.get_full_name() or ticket.assignee.get_username())
        if ticket.assignee
        else "",
        "survey_url": base,
        "rating_links": [(value, str(RATING_WORDS[value]), f"{base}?quality={value}") for value in range(1, 6)],
        "expiry_days": expiry_days(),
    }


def _send(invitation: SurveyInvitation, template: str, connection_factory: Callable[[], Any] | None) -> None:
    # Rendered at send time, never stored: the token is a bearer credential and
    # lives in one column only.
    profile = getattr(invitation.ticket.requester, "profile", None)
    language = getattr(profile, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):  # the context's rating words are translated too
        email = delivery.render(template, survey_email_context(invitation), language=language)
    thread = mail_threading.headers(
        message_id=mail_threading.new_message_id(invitation.ticket_id),
        in_reply_to=mail_threading.ticket_root(invitation.ticket_id),
    )
    delivery.send(to=invitation.email, email=email, connection_factory=connection_factory, headers=thread)


# --- the landing --------------------------------------------------------------------------------


def record_landing(*, invitation: SurveyInvitation, quality: int | None) -> bool:
    """Note that the teacher's browser opened the survey, and the rating tapped in the email.

    Posted by the page's script, never by the GET itself: mail scanners fetch every
    link in an email. The first landing wins (a conditional UPDATE, so two tabs
    record one); a later one only fills in a rating the first lacked. Answered
    invitations are left alone. Returns whether anything was recorded.
    """
    if quality is not None and quality not in RATING_WORDS:
        raise DomainError(_("Choose a rating from 1 to 5."), field="quality")
    unanswered = SurveyInvitation.objects.filter(pk=invitation.pk, response__isnull=True)
    now = timezone.now()
    if unanswered.filter(landed_at__isnull=True).update(landed_at=now, tapped_quality=quality):
        return True
    if quality is None:
        return False
    return bool(unanswered.filter(tapped_quality__isnull=True).update(tapped_quality=quality))


# --- the answer -------------------------------------------------------------------------------


def record_answer(
    *,
    invitation: SurveyInvitation,
    user: AnyUser,
    timeliness: int,
    quality: int,
    comment: str = "",
    learned: bool | None = None,
    wants_contact: bool = False,
) -> SurveyResponse:
    """Record (or, within 12 hours, change) the ticket's one answer.

    An answer rated 2 or lower for quality, or asking to be contacted, is put on
    the directors' follow-up list and they are emailed once.
    """
    for name, value in (("timeliness", timeliness), ("quality", quality)):
        if value not in RATING_WORDS:
            raise DomainError(_("Choose a rating from 1 to 5."), field=name)
    if not may_answer(user, invitation):
        raise PermissionDenied(_("The technician who worked on this request cannot rate it."))
    comment = (comment or "").strip()[:5000]
    with transaction.atomic():
        invitation = SurveyInvitation.objects.select_for_update().select_related("ticket").get(pk=invitation.pk)
        now = timezone.now()
        response = SurveyResponse.objects.filter(invitation=invitation).first()
        if response is None:
            if is_expired(invitation, now=now):
                raise SurveyExpired(_("This survey has expired."))
            response = SurveyResponse(invitation=invitation, ticket_id=invitation.ticket_id, answered_at=now)
            was_flagged = False
        else:
            if not can_edit(response, now=now):
                raise AlreadyAnswered(_("This survey was already answered."))
            was_flagged = response.needs_follow_up
        response.timeliness = timeliness
        response.quality = quality
        response.comment = comment
        response.learned = learned
        response.wants_contact = wants_contact
        response.updated_at = now
        if quality <= 2 or wants_contact:
            response.needs_follow_up = True
        response.save()
        if response.needs_follow_up and not was_flagged:
            _notify_directors(response, invitation.ticket)
    return response


def _notify_directors(response: SurveyResponse, ticket: Ticket) -> None:
    for director in directors_to_email():
        outbox.queue_email(
            kind="survey_follow_up",
            to=director.email,
            template="surveys/email/follow_up_needed",
            context={"recipient": director, "response": response},
            ticket=ticket,
        )


def record_follow_up(*, actor: User, response: SurveyResponse, note: str) -> SurveyResponse:
    """A director notes how the unhappy requester was contacted; it leaves the list."""
    if not is_director(actor):
        raise PermissionDenied(_("Only the IT director records follow-ups."))
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say how you followed up."), field="note")
    with transaction.atomic():
        response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
        if response.followed_up_at is not None:
            raise DomainError(_("Someone already recorded a follow-up for this answer."))
        response.follow_up_note = note[:5000]
        response.followed_up_by = actor
        response.followed_up_at = timezone.now()
        response.save(update_fields=["follow_up_note", "followed_up_by", "followed_up_at"])
    return response
