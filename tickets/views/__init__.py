"""The browser pages of the help desk core. Thin: each view checks shape with a form,
calls one service or selector, and turns a DomainError into a form error or a message."""

from tickets.views.actions import ticket_action, ticket_comment, ticket_update
from tickets.views.pages import home, support, ticket_detail, ticket_list, ticket_new

__all__ = [
    "home",
    "support",
    "ticket_action",
    "ticket_comment",
    "ticket_detail",
    "ticket_list",
    "ticket_new",
    "ticket_update",
]
