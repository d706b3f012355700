"""The due-date badge on ticket rows and pages: `{% load sla_tags %}` then `{% sla_badge ticket %}`."""

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from schools import dates
from tickets.models import Ticket

register = template.Library()

DONE_STATUSES = {Ticket.Status.RESOLVED, Ticket.Status.CLOSED}
SOON = timedelta(hours=2)


def sla_state(ticket: Ticket, *, now: datetime | None = None) -> dict[str, Any]:
    """Which due date matters now and how it stands: overdue, due soon, on hold, or on track."""
    now = now or timezone.now()
    status = ticket.status
    if status in DONE_STATUSES:
        return {"state": None}
    if status == Ticket.Status.WAITING:
        return {"state": "paused", "due": None, "target": None}
    if ticket.first_response_at is None and ticket.response_due_at:
        target, due = "response", ticket.response_due_at
    elif ticket.resolution_due_at:
        target, due = "resolution", ticket.resolution_due_at
    else:
        return {"state": None}
    if due <= now:
        state = "overdue"
    elif due - now <= SOON:
        state = "soon"
    else:
        state = "ok"
    return {"state": state, "due": due, "target": target}


@register.simple_tag
def sla_badge(ticket: Ticket) -> SafeString:
    """The due date as a text badge (never colour alone), with the exact time in its title.

    Written in Python, not a partial: the queue draws one per row, and a template with two
    date filters per badge cost twice as much. Each date is formatted once.
    """
    sla = sla_state(ticket)
    state = sla["state"]
    if state is None:
        return mark_safe("")
    if state == "paused":
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("Clock paused"))
    day, clock = dates.date_format(sla["due"], "MONTH_DAY_FORMAT"), dates.date_format(sla["due"], "TIME_FORMAT")
    title = f"{day}, {clock}"
    reply = sla["target"] == "response"
    if state == "overdue":
        words = _("Reply overdue") if reply else _("Overdue")
        return format_html('<span class="badge text-bg-danger" title="{}">{}</span>', title, words)
    if state == "soon":
        words = _("Reply due") if reply else _("Due")
        return format_html('<span class="badge text-bg-warning" title="{}">{} {}</span>', title, words, clock)
    words = _("Reply by") if reply else _("Due")
    return format_html('<span class="badge text-bg-light border" title="{}">{} {} {}</span>', title, words, day, clock)
