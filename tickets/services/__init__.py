"""Every write that matters to a ticket, in one place.

Pages, the API, admin actions, commands and tasks all call these functions. Each
takes keyword-only arguments, checks the rules, changes the ticket inside a
transaction with its row locked, writes the event in the same transaction and
queues email on commit. A refused change raises a `DomainError` and changes
nothing.
"""

from tickets.errors import ClosedToReplies, DomainError, InvalidTransition, PermissionDenied, StaleTicket
from tickets.services.filing import EDITABLE_FIELDS, create_ticket, update_ticket
from tickets.services.rules import (
    REQUESTER_TRANSITIONS,
    TRANSITIONS,
    acts_for_requester,
    allowed_actions,
    may_comment,
)
from tickets.services.transitions import (
    add_comment,
    assign_ticket,
    close_ticket,
    reopen_ticket,
    resolve_ticket,
    resume_on_requester_reply,
    start_ticket,
    wait_ticket,
)

__all__ = [
    "ClosedToReplies",
    "DomainError",
    "InvalidTransition",
    "PermissionDenied",
    "StaleTicket",
    "EDITABLE_FIELDS",
    "REQUESTER_TRANSITIONS",
    "TRANSITIONS",
    "acts_for_requester",
    "may_comment",
    "add_comment",
    "allowed_actions",
    "assign_ticket",
    "close_ticket",
    "create_ticket",
    "reopen_ticket",
    "resolve_ticket",
    "resume_on_requester_reply",
    "start_ticket",
    "update_ticket",
    "wait_ticket",
]
