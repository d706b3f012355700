"""The status transitions (one function each) and the conversation on a ticket."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from schools.roles import is_staff_member, may_be_assigned
from tickets import family_mail, sla
from tickets.errors import ClosedToReplies, DomainError, InvalidTransition, PermissionDenied
from tickets.kb.selectors import is_readable_by_requesters
from tickets.models import (
    Article,
    Comment,
    Ticket,
    TicketEvent,
)
from tickets.services.rules import (
    Status,
    _check,
    _email_requester_and_followers,
    _email_user,
    _event,
    _lock,
    _move,
    acts_for_requester,
    may_comment,
)
from tickets.signals import ticket_closed


def assign_ticket(*, actor: User, ticket: Ticket, assignee: User) -> Ticket:
    """Give the ticket to a technician (or director). Emails the assignee unless they assigned themselves."""
    if not may_be_assigned(assignee):
        raise DomainError(gettext("Tickets can be assigned only to active technicians."), field="assignee")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("assign", actor=actor, ticket=ticket)
        previous = ticket.assignee
        ticket.assignee = assignee
        if ticket.status == Status.WAITING:
            sla.resume_clock(ticket)
        _move(
            ticket,
            actor=actor,
            action="assign",
            kind=TicketEvent.Kind.ASSIGNED,
            extra={"assignee": assignee.get_username(), "previous": previous.get_username() if previous else None},
        )
        if assignee.pk != actor.pk:
            _email_user(assignee, ticket, "assigned", "tickets/email/assigned", actor=actor)
    return ticket


def start_ticket(*, actor: User, ticket: Ticket) -> Ticket:
    """Work begins (or resumes after waiting). An unassigned ticket goes to whoever starts it."""
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("start", actor=actor, ticket=ticket)
        if ticket.assignee_id is None:
            ticket.assignee = actor
        if ticket.status == Status.WAITING:
            sla.resume_clock(ticket)
        _move(ticket, actor=actor, action="start", kind=TicketEvent.Kind.STARTED)
    return ticket


def wait_ticket(*, actor: User, ticket: Ticket, reason: str, on: str = Ticket.WaitingOn.REQUESTER) -> Ticket:
    """Put the ticket on hold, waiting `on` the requester or a third party (a part, a vendor),
    and tell the requester why in words that say which."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("Say what the ticket is waiting for."), field="reason")
    if on not in Ticket.WaitingOn.values:
        raise DomainError(gettext("Choose whom the ticket is waiting on."), field="on")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("wait", actor=actor, ticket=ticket)
        sla.pause_clock(ticket)
        ticket.waiting_on = on
        _move(ticket, actor=actor, action="wait", kind=TicketEvent.Kind.WAITING, extra={"reason": reason, "on": on})
        _email_requester_and_followers(ticket, actor, "waiting", "tickets/email/waiting", reason=reason)
    return ticket


def resolve_ticket(
    *, actor: User, ticket: Ticket, resolution: str, self_help: str = "", self_help_article: Article | None = None
) -> Ticket:
    """Record how it was solved and how the requester can handle it next time (a tip, and
    optionally a self-help article), and tell them."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise DomainError(gettext("Describe how the problem was solved."), field="resolution")
    if self_help_article is not None and not is_readable_by_requesters(self_help_article):
        raise DomainError(gettext("Link an article the requester can read."), field="self_help_article")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("resolve", actor=actor, ticket=ticket)
        now = timezone.now()
        ticket.resolution = resolution
        ticket.self_help = (self_help or "").strip()
        ticket.self_help_article = self_help_article
        ticket.resolved_at = now
        if ticket.assignee_id is None:
            ticket.assignee = actor
        # The resolution reaches the requester: it is a response if nothing came before.
        if ticket.first_response_at is None:
            ticket.first_response_at = now
        _move(ticket, actor=actor, action="resolve", kind=TicketEvent.Kind.RESOLVED, extra={"resolution": resolution})
        _email_requester_and_followers(ticket, actor, "resolved", "tickets/email/resolved")
    return ticket


def close_ticket(*, actor: User | None, ticket: Ticket, reason: str = "") -> Ticket:
    """Close the ticket: staff, the requester confirming the fix, or the system (actor None).

    Sends `ticket_closed` inside the transaction so the survey invitation is
    recorded with the close, or rolled back with it.
    """
    with transaction.atomic():
        ticket = _lock(ticket)
        if actor is not None:
            _check("close", actor=actor, ticket=ticket)
        elif ticket.status != Status.RESOLVED:
            raise InvalidTransition("close", ticket.status)
        now = timezone.now()
        ticket.closed_at = now
        if ticket.resolved_at is None:
            ticket.resolved_at = now
        confirmed = actor is not None and acts_for_requester(actor, ticket) and not is_staff_member(actor)
        _move(
            ticket,
            actor=actor,
            action="close",
            kind=TicketEvent.Kind.CLOSED,
            extra={
                "confirmed_by_requester": confirmed,
                "automatic": actor is None,
                **({"reason": reason} if reason else {}),
            },
        )
        ticket_closed.send(sender=Ticket, ticket=ticket, actor=actor)
    return ticket


def reopen_ticket(*, actor: User, ticket: Ticket, reason: str) -> Ticket:
    """The fix did not hold: back to the technician who had it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("Tell us what is still wrong."), field="reason")
    with transaction.atomic():
        ticket = _lock(ticket)
        _check("reopen", actor=actor, ticket=ticket)
        ticket.resolved_at = None
        ticket.closed_at = None
        _move(ticket, actor=actor, action="reopen", kind=TicketEvent.Kind.REOPENED, extra={"reason": reason})
        if ticket.assignee_id and ticket.assignee_id != actor.pk:
            _email_user(ticket.assignee, ticket, "reopened", "tickets/email/reopened", reason=reason, actor=actor)
    return ticket


def resume_on_requester_reply(*, actor: User, ticket: Ticket) -> Ticket:
    """The requester answered a ticket waiting on them: work resumes and the clock restarts.

    Today a wait does not say on whom it waits, so any wait resumes. Hook: once the
    ticket records whether it waits on the requester or a third party (a vendor, a
    part), only a wait on the requester should resume here.
    """
    with transaction.atomic():
        ticket = _lock(ticket)
        if not acts_for_requester(actor, ticket):
            raise PermissionDenied(gettext("Only the requester's answer resumes a request."))
        if ticket.status != Status.WAITING:
            raise InvalidTransition("start", ticket.status)
        sla.resume_clock(ticket)
        _move(ticket, actor=actor, action="start", kind=TicketEvent.Kind.STARTED, extra={"requester_replied": True})
    return ticket


# --- conversation ----------------------------------------------------------------


def add_comment(*, actor: User, ticket: Ticket, body: str, internal: bool = False) -> Comment:
    """Reply on a ticket. Staff may write internal notes; the first public staff reply is the first response."""
    body = (body or "").strip()
    if not body:
        raise DomainError(gettext("Write a message first."), field="body")
    staff = is_staff_member(actor)
    if internal and not staff:
        raise PermissionDenied(gettext("Only the help desk team can write internal notes."))
    if not staff and not may_comment(actor, ticket):
        raise PermissionDenied(gettext("You cannot reply on this ticket."))
    with transaction.atomic():
        ticket = _lock(ticket)
        if not staff and ticket.status == Status.CLOSED:
            raise ClosedToReplies()
        now = timezone.now()
        comment = Comment.objects.create(ticket=ticket, author=actor, body=body, internal=internal, created_at=now)
        on_requester = ticket.status == Status.WAITING and ticket.waiting_on == Ticket.WaitingOn.REQUESTER
        if not staff and on_requester and acts_for_requester(actor, ticket):
            _resume_on_reply(ticket, actor=actor, comment=comment)
        if staff and not internal and ticket.first_response_at is None:
            ticket.first_response_at = now
            ticket.save(update_fields=["first_response_at", "updated_at"])
        _event(ticket, actor, TicketEvent.Kind.COMMENTED, comment=comment.pk, internal=internal)
        if not internal:
            if staff and ticket.requester_id != actor.pk:
                _email_requester_and_followers(ticket, actor, "reply", "tickets/email/reply", comment=comment)
                family_mail.email_family_reply(ticket=ticket, comment=comment)
            elif not staff and ticket.assignee_id and ticket.assignee_id != actor.pk:
                _email_user(
                    ticket.assignee, ticket, "requester_reply", "tickets/email/requester_reply", comment=comment
                )
    return comment


def _resume_on_reply(ticket: Ticket, *, actor: User, comment: Comment) -> None:
    """The requester answered what the ticket waited for: work resumes and the clock restarts.
    Not `start_ticket`: a requester may not start a ticket, but their answer ends the wait."""
    sla.resume_clock(ticket)
    _move(ticket, actor=actor, action="start", kind=TicketEvent.Kind.STARTED, extra={"resumed_by_reply": comment.pk})
