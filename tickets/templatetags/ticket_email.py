"""`{% failed_emails ticket as failures %}`: emails the desk gave up on, for staff eyes only."""

from typing import Any

from django import template

from notifications.models import OutboundEmail
from schools.roles import is_staff_member
from tickets.models import Ticket
from tickets.selectors import has_none

register = template.Library()


@register.simple_tag(takes_context=True)
def failed_emails(context: dict[str, Any], ticket: Ticket) -> list[OutboundEmail]:
    # Checked here as well as by the partial's caller: an address and an SMTP error are staff business.
    if not is_staff_member(context["request"].user) or has_none(ticket, "has_failed_emails"):
        return []
    return list(ticket.emails.filter(failed_permanently=True).order_by("-created_at")[:20])
