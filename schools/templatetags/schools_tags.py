"""Template tags for other apps' pages: the next visit line and the due-date badge.

`{% load schools_tags %}` then `{% next_visit school %}` or `{% sla_badge ticket %}`.
The badge reads the ticket's fields by name, so schools still never imports tickets.
"""

from datetime import timedelta
from typing import Any

from django import template
from django.utils import timezone

from schools.selectors import next_visit_summary

register = template.Library()

DONE_STATUSES = {"resolved", "closed"}
SOON = timedelta(hours=2)


@register.inclusion_tag("schools/_next_visit.html")
def next_visit(school: Any) -> dict[str, Any]:
    """ "Your school's technician, Ana, visits on Tuesdays; next visit Tue 24 Nov." (three queries)."""
    return {"school": school, "summary": next_visit_summary(school)}


def sla_state(ticket: Any, *, now: Any = None) -> dict[str, Any]:
    """Which due date matters now and how it stands: overdue, due soon, on hold, or on track."""
    now = now or timezone.now()
    status = getattr(ticket, "status", "")
    if status in DONE_STATUSES:
        return {"state": None}
    if status == "waiting":
        return {"state": "paused", "due": None, "target": None}
    if getattr(ticket, "first_response_at", None) is None and getattr(ticket, "response_due_at", None):
        target, due = "response", ticket.response_due_at
    elif getattr(ticket, "resolution_due_at", None):
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


@register.inclusion_tag("schools/_sla_badge.html")
def sla_badge(ticket: Any) -> dict[str, Any]:
    return {"ticket": ticket, **sla_state(ticket)}
