"""The ticket page's device parts: `{% device_panel ticket device_tickets %}` (staff: the device,
its warranty and its past tickets, from `selectors.past_tickets_beside`, so no query here) and
`{% loaner_note ticket %}` (the requester: which loaner they have and when it is due back)."""

from typing import Any

from django import template

from devices.selectors import loans_of
from tickets.models import Ticket

register = template.Library()


@register.inclusion_tag("devices/_ticket_panel.html")
def device_panel(ticket: Ticket, device_tickets: list[Ticket]) -> dict[str, Any]:
    return {"ticket": ticket, "asset": ticket.asset, "past": device_tickets}


@register.inclusion_tag("devices/_loaner_note.html")
def loaner_note(ticket: Ticket) -> dict[str, Any]:
    """One query: the requester's loaners still out."""
    return {"loans": loans_of(ticket.requester)}
