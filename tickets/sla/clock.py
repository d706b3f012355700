"""Due dates from the SLA targets, and the clock that stops while a ticket waits."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from schools.business_time import (
    CalendarSpec,
    add_business_days,
    add_business_minutes,
    business_minutes_between,
    district_calendar,
    next_open_moment,
)
from schools.roles import is_director
from tickets.errors import DomainError, PermissionDenied
from tickets.models import SlaTarget, Ticket

MINUTES_PER_UNIT = {SlaTarget.Unit.MINUTES: 1, SlaTarget.Unit.HOURS: 60}


def target_for(priority: str) -> SlaTarget | None:
    return SlaTarget.objects.filter(priority=priority).first()


def add_target(start: datetime, value: int, unit: str, calendar: CalendarSpec) -> datetime:
    """`start` plus a target of `value` `unit`s of business time."""
    if unit == SlaTarget.Unit.DAYS:
        return add_business_days(start, value, calendar)
    # A ticket filed at night starts its clock at opening, even for a 0-minute target.
    return add_business_minutes(next_open_moment(start, calendar), value * MINUTES_PER_UNIT[unit], calendar)


def due_dates(
    *, priority: str, start: datetime, paused_minutes: int = 0, calendar: CalendarSpec
) -> tuple[datetime | None, datetime | None]:
    """(first response due, resolution due); None where the priority has no target."""
    target = target_for(priority)
    if target is None:
        return None, None
    response = add_target(start, target.response_value, target.response_unit, calendar)
    resolution = add_target(start, target.resolution_value, target.resolution_unit, calendar)
    if paused_minutes:
        response = add_business_minutes(response, paused_minutes, calendar)
        resolution = add_business_minutes(resolution, paused_minutes, calendar)
    return response, resolution


def apply_due_dates(ticket: Ticket, *, calendar: CalendarSpec | None = None, now: datetime | None = None) -> None:
    """Set (or recompute after a priority change) the ticket's due dates; the caller saves.

    Counted from creation plus the business time already spent waiting. A recorded
    warning or breach for a due date that moved into the future is cleared, so the
    new target is watched (and recorded) once in its turn.
    """
    calendar = calendar or district_calendar()
    now = now or timezone.now()
    response, resolution = due_dates(
        priority=ticket.priority,
        start=ticket.created_at,
        paused_minutes=ticket.sla_paused_minutes,
        calendar=calendar,
    )
    if response != ticket.response_due_at and (response is None or response > now):
        ticket.response_warned_at = ticket.response_breached_at = None
    if resolution != ticket.resolution_due_at and (resolution is None or resolution > now):
        ticket.resolution_warned_at = ticket.resolution_breached_at = None
    ticket.response_due_at, ticket.resolution_due_at = response, resolution


def pause_clock(ticket: Ticket, *, now: datetime | None = None) -> None:
    """The ticket starts waiting (for the requester, a part, a vendor): the clock stops."""
    ticket.sla_paused_at = now or timezone.now()


def resume_clock(ticket: Ticket, *, now: datetime | None = None, calendar: CalendarSpec | None = None) -> int:
    """Waiting is over: push the open due dates out by the business time spent waiting.

    Returns the business minutes the ticket waited (0 if it was not paused).
    """
    if ticket.sla_paused_at is None:
        return 0
    calendar = calendar or district_calendar()
    now = now or timezone.now()
    waited = max(0, business_minutes_between(ticket.sla_paused_at, now, calendar))
    ticket.sla_paused_at = None
    ticket.sla_paused_minutes += waited
    if waited:
        if ticket.response_due_at and ticket.first_response_at is None:
            ticket.response_due_at = add_business_minutes(ticket.response_due_at, waited, calendar)
            ticket.response_warned_at = None
        if ticket.resolution_due_at:
            ticket.resolution_due_at = add_business_minutes(ticket.resolution_due_at, waited, calendar)
            ticket.resolution_warned_at = None
    return waited


def update_sla_target(*, actor: Any, target: SlaTarget, changes: dict[str, Any]) -> SlaTarget:
    """The director changes a priority's targets. Applies to tickets filed or re-prioritised from now on."""
    if not is_director(actor):
        raise PermissionDenied("Only the IT director can change the targets.")
    allowed = {"response_value", "response_unit", "resolution_value", "resolution_unit"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(target, name, value)
    for prefix in ("response", "resolution"):
        if getattr(target, f"{prefix}_unit") not in SlaTarget.Unit.values:
            raise DomainError("Choose minutes, hours or business days.", field=f"{prefix}_unit")
        if int(getattr(target, f"{prefix}_value")) < 1:
            raise DomainError("A target must be at least 1.", field=f"{prefix}_value")
    target.save()
    return target
