"""Auto-close: a resolved ticket nobody confirmed closes itself after N business days.

A ticket rule (the survey follows through close_ticket's `ticket_closed` signal, as for
every close). Beat runs `tickets.tasks.auto_close_resolved_tickets` hourly.
"""

from datetime import datetime, timedelta

from schools import business_time
from schools.calendar import district_calendar
from tickets.errors import DomainError
from tickets.models import Ticket
from tickets.services import close_ticket


def auto_close_candidates(*, now: datetime, business_days: int, limit: int = 1000) -> list[int]:
    """Resolved tickets whose requester has not confirmed within `business_days`."""
    rows = (
        Ticket.objects.filter(
            status=Ticket.Status.RESOLVED,
            resolved_at__isnull=False,
            resolved_at__lte=now - timedelta(days=business_days),
        )
        .order_by("resolved_at")
        .values_list("pk", "resolved_at")[:limit]
    )
    calendar = district_calendar()
    return [
        pk
        for pk, resolved_at in rows
        if resolved_at is not None and business_time.add_business_days(resolved_at, business_days, calendar) <= now
    ]


def auto_close_resolved_tickets(*, now: datetime, business_days: int) -> int:
    """Close every candidate as the system (actor None); returns how many closed."""
    closed = 0
    for ticket_id in auto_close_candidates(now=now, business_days=business_days):
        try:
            close_ticket(actor=None, ticket=Ticket.objects.get(pk=ticket_id))
        except (DomainError, Ticket.DoesNotExist):
            continue  # reopened or closed by someone since the candidates were read
        closed += 1
    return closed
