"""`{% vendor_panel ticket %}`: the ticket page's vendor cases and escalation form (staff)."""

from typing import Any

from django import template

from tickets.models import Ticket, Vendor
from tickets.selectors import has_none
from tickets.services import TRANSITIONS
from tickets.vendors import cases_of

register = template.Library()


@register.inclusion_tag("tickets/vendors/_panel.html", takes_context=True)
def vendor_panel(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    cases = [] if has_none(ticket, "has_vendor_cases") else list(cases_of(ticket))
    out = next((case for case in cases if case.returned_at is None), None)
    can_escalate = out is None and ticket.status in TRANSITIONS["wait"][0]
    return {
        "request": context.get("request"),
        "ticket": ticket,
        "cases": cases,
        "open_case": out,
        "vendors": list(Vendor.objects.all()) if can_escalate else [],
        "can_escalate": can_escalate,
    }
