"""Due dates from the SLA targets, and the clock that stops while a ticket waits."""

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from schools.business_time import (
    CalendarSpec,
    add_business_days,
    add_business_minutes,
    business_minutes_between,
    next_open_moment,
)
from schools.calendar import DistrictReference, district_calendar, district_reference
from schools.roles import is_director
from tickets.errors import DomainError, PermissionDenied
from tickets.models import SlaTarget, Ticket

MINUTES_PER_UNIT: dict[str, int] = {SlaTarget.Unit.MINUTES: 1, SlaTarget.Unit.HOURS: 60}


class Target(NamedTuple):
    """A priority's targets as read (immutable: one copy serves every request of a process)."""

    response_value: int
    response_unit: str
    resolution_value: int
    resolution_unit: str


def _load_targets() -> Mapping[str, Target]:
    return MappingProxyType(
        {
            row.priority: Target(row.response_value, row.response_unit, row.resolution_value, row.resolution_unit)
            for row in SlaTarget.objects.all()
        }
    )


def current_targets(reference: DistrictReference | None = None) -> Mapping[str, Target]:
    """Every priority's targets, reused while the district reference version holds
    (an SLA target's save or delete changes it: TicketsConfig connects the signals)."""
    return (reference or district_reference()).derived("sla_targets", _load_targets)


def target_for(priority: str) -> Target | None:
    return current_targets().get(priority)


def add_target(start: datetime, value: int, unit: str, calendar: CalendarSpec) -> datetime:
    """`start` plus a target of `value` `unit`s of business time."""
    if unit == SlaTarget.Unit.DAYS:
        return add_business_days(start, value, calendar)
    # A ticket filed at night starts its clock at opening, even for a 0-minute target.
    return add_business_minutes(next_open_moment(start, calendar), value * MINUTES_PER_UNIT[unit], calendar)


def due_dates(
    *,
    priority: str,
    start: datetime,
    paused_minutes: int = 0,
    calendar: CalendarSpec,
    targets: Mapping[str, Target] | None = None,
) -> tuple[datetime | None, datetime | None]:
    """(first response due, resolution due); None where the priority has no target."""
    target = (targets if targets is not None else current_targets()).get(priority)
    if target is None:
        return None, None
    response = add_target(start, target.response_value, target.response_unit, calendar)
    resolution = add_target(start, target.resolution_value, target.resolution_unit, calendar)
    if paused_minutes:
        response = add_business_minutes(response, paused_minutes, calendar)
        resolution = add_business_minutes(resolution, paused_minutes, calendar)
    return response, resolution


def apply_due_dates(ticket: Ticket, *, reference: DistrictReference | None = None, now: datetime | None = None) -> None:
    """Set (or recompute after a priority change) the ticket's due dates; the caller saves.

    Counted from creation plus the business time already spent waiting. A recorded
    warning or breach for a due date that moved into the future is cleared, so the
    new target is watched (and recorded) once in its turn.
    """
    reference = reference or district_reference()
    now = now or timezone.now()
    response, resolution = due_dates(
        priority=ticket.priority,
        start=ticket.created_at,
        paused_minutes=ticket.sla_paused_minutes,
        calendar=reference.calendar,
        targets=current_targets(reference),
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


# The bounds of a target's value: the page and the API send what they get here.
MIN_TARGET_VALUE = 1
MAX_TARGET_VALUE = 100000


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
        value = getattr(target, f"{prefix}_value")
        if not isinstance(value, int) or not MIN_TARGET_VALUE <= value <= MAX_TARGET_VALUE:
            raise DomainError(
                f"A target must be a whole number from {MIN_TARGET_VALUE} to {MAX_TARGET_VALUE}.",
                field=f"{prefix}_value",
            )
    with transaction.atomic():  # the target and the reference version (post_save) change together
        target.save()
    return target
