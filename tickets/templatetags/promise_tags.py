from django import template

from tickets.models import Ticket
from tickets.promise import Promise, promise_for

register = template.Library()


@register.simple_tag
def ticket_promise(ticket: Ticket) -> Promise | None:
    """`{% ticket_promise ticket as promise %}`: by when the requester hears back and gets it fixed."""
    return promise_for(ticket)
