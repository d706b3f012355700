"""The ticket page's device parts: `{% device_panel ticket %}` (staff: the device, its
warranty, its past tickets, and any loaner the requester has) and `{% loaner_note ticket %}`
(the requester: which loaner they have and when it is due back)."""

from typing import Any

from django import template

from devices.selectors import loans_of
from tickets.models import Ticket

register = template.Library()
PAST_ON_DEVICE = 5


@register.inclusion_tag("devices/_ticket_panel.html")
def device_panel(ticket: Ticket) -> dict[str, Any]:
    """At most two queries: the device's other tickets (when it has a device) and the requester's loaners."""
    asset = ticket.asset
    past = []
    if asset is not None:
        past = list(
            asset.tickets.exclude(pk=ticket.pk).select_related("category").order_by("-created_at")[:PAST_ON_DEVICE]
        )
    return {"ticket": ticket, "asset": asset, "past": past, "loans": loans_of(ticket.requester)}


@register.inclusion_tag("devices/_loaner_note.html")
def loaner_note(ticket: Ticket) -> dict[str, Any]:
    return {"loans": loans_of(ticket.requester)}
