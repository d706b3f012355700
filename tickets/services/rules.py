"""The rules every ticket write checks: the one transitions table, who acts for the
requester, and the helpers that lock, move and record a ticket and queue its email."""

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext

from notifications import outbox
from schools.roles import is_campus_contact, is_staff_member
from tickets import followers
from tickets.errors import InvalidTransition, PermissionDenied
from tickets.models import (
    Ticket,
    TicketEvent,
)

Status = Ticket.Status

# The one transitions table: which statuses each action may start from, and where
# it leads. Keyed by action rather than by status because two actions (assign and
# reopen) lead to the same status from different places.
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "assign": (set(Ticket.OPEN_STATUSES), Status.ASSIGNED),
    "start": ({Status.NEW, Status.ASSIGNED, Status.WAITING}, Status.IN_PROGRESS),
    "wait": ({Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS}, Status.WAITING),
    "resolve": (set(Ticket.OPEN_STATUSES), Status.RESOLVED),
    "close": ({*Ticket.OPEN_STATUSES, Status.RESOLVED}, Status.CLOSED),
    "reopen": ({Status.RESOLVED, Status.CLOSED}, Status.ASSIGNED),
}
# What a requester (or their school's campus contact) may do, and from where.
REQUESTER_TRANSITIONS: dict[str, set[str]] = {
    "close": {Status.RESOLVED},
    "reopen": {Status.RESOLVED},
}


def acts_for_requester(user: User, ticket: Ticket) -> bool:
    """The requester, or the campus contact of the ticket's school."""
    if not user.is_authenticated:
        return False
    if ticket.requester_id == user.pk:
        return True
    return is_campus_contact(user, ticket.school)


def may_comment(user: User, ticket: Ticket) -> bool:
    """Staff, whoever acts for the requester, and the ticket's followers (copied on its updates,
    so they may answer them); only the first two change its status."""
    if not user.is_authenticated:
        return False
    return is_staff_member(user) or acts_for_requester(user, ticket) or ticket.followers.filter(pk=user.pk).exists()


def allowed_actions(user: User, ticket: Ticket) -> list[str]:
    """The actions this user could take on the ticket now; pages show these buttons."""
    if is_staff_member(user):
        return [action for action, (sources, _) in TRANSITIONS.items() if ticket.status in sources]
    if acts_for_requester(user, ticket):
        return [action for action, sources in REQUESTER_TRANSITIONS.items() if ticket.status in sources]
    return []


def _lock(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("school", "requester", "assignee")
        .get(pk=ticket.pk)
    )


def _check(action: str, *, actor: User, ticket: Ticket) -> None:
    sources, _target = TRANSITIONS[action]
    if is_staff_member(actor):
        allowed = sources
    elif acts_for_requester(actor, ticket) and action in REQUESTER_TRANSITIONS:
        allowed = REQUESTER_TRANSITIONS[action]
    else:
        raise PermissionDenied(gettext("Only the help desk team can do that."))
    if ticket.status not in allowed:
        raise InvalidTransition(action, ticket.status)


def _event(ticket: Ticket, actor: User | None, kind: str, **data: Any) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, actor=actor, kind=kind, data=data)


def _move(ticket: Ticket, *, actor: User | None, action: str, kind: str, extra: dict[str, Any] | None = None) -> None:
    """Set the action's target status, bump the version, save and record the event."""
    _sources, target = TRANSITIONS[action]
    previous = ticket.status
    ticket.status = target
    if target != Status.WAITING:
        ticket.waiting_on = ""
    ticket.version += 1
    ticket.save()
    _event(ticket, actor, kind, **{"from": previous, "to": target, **(extra or {})})


def _email_requester(ticket: Ticket, kind: str, template: str, *, starts_thread: bool = False, **context: Any) -> None:
    requester = ticket.requester
    outbox.queue_email(
        kind=kind,
        to=requester.email,
        template=template,
        context={"recipient": requester, **context},
        ticket=ticket,
        language=getattr(getattr(requester, "profile", None), "language", None) or None,
        starts_thread=starts_thread,
    )


def _email_requester_and_followers(ticket: Ticket, actor: User, kind: str, template: str, **context: Any) -> None:
    """A public update: the requester's email, and the same to each follower, handed over as one."""
    with outbox.one_handover():
        _email_requester(ticket, kind, template, **context)
        followers.email_followers(ticket, kind=kind, template=template, actor=actor, **context)


def _email_user(user: User | None, ticket: Ticket, kind: str, template: str, **context: Any) -> None:
    if user is None:
        return
    outbox.queue_email(
        kind=kind, to=user.email, template=template, context={"recipient": user, **context}, ticket=ticket
    )
