"""Who picks up a new ticket, and when a technician goes on site for it (its visit)."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet, Subquery

from notifications import outbox
from schools.calendar import DistrictReference, get_calendar
from schools.models import Visit
from schools.selectors import next_visit_for, rotation_technician_for, technicians
from tickets.models import Priority, Ticket, TicketEvent

Status = Ticket.Status


def on_duty_technicians() -> QuerySet:
    """Active technicians with their count of open assigned tickets, lightest first."""
    return (
        technicians()
        .annotate(
            open_tickets=Count(
                "assigned_tickets", filter=Q(assigned_tickets__status__in=Ticket.OPEN_STATUSES), distinct=True
            )
        )
        .order_by("open_tickets", "pk")
    )


def previous_technician_for(ticket: Ticket, *, same_school: bool = False) -> User | None:
    """Who last worked a ticket for this requester (or, with `same_school`, at this school),
    if they are still a technician: the teacher keeps the person they already know."""
    served = Ticket.objects.filter(assignee__isnull=False)
    if ticket.pk is not None:
        served = served.exclude(pk=ticket.pk)
    served = served.filter(school=ticket.school) if same_school else served.filter(requester=ticket.requester)
    # One query: the last assignee, kept only if still an active technician.
    last = served.order_by("-created_at").values("assignee")[:1]
    return technicians().filter(pk=Subquery(last)).first()


def choose_assignee(ticket: Ticket, *, reference: DistrictReference | None = None) -> tuple[User | None, str]:
    """Keep the relationship: the school's rotation technician, else whoever served this
    requester (then this school) before. District-wide queues load-balance when the
    director switches it on, else prefer the requester's previous technician; with
    nobody to prefer, the ticket waits for triage."""
    if ticket.queue.school_id is not None:
        if technician := rotation_technician_for(ticket.school):
            return technician, "rotation"
        if technician := previous_technician_for(ticket):
            return technician, "previous_technician"
        return previous_technician_for(ticket, same_school=True), "school_technician"
    desk = reference.settings if reference is not None else get_calendar()
    if desk.load_balanced_assignment:
        return on_duty_technicians().first(), "load_balanced"
    return previous_technician_for(ticket), "previous_technician"


def auto_assign(ticket: Ticket, *, events: list[TicketEvent], reference: DistrictReference | None = None) -> str | None:
    """On a new ticket, before its INSERT: give it to its technician.

    Sets the assignee and status on the unsaved ticket (one INSERT, no UPDATE after it)
    and appends the assignment's event to `events`, which the caller writes once the
    ticket is saved. Returns why, for `email_auto_assignee`; None leaves the ticket for
    triage. The assignment is the system's (actor None), not the requester's: a
    requester may not assign, but the rotation decides for them.
    """
    assignee, reason = choose_assignee(ticket, reference=reference)
    if assignee is None:
        return None
    ticket.assignee = assignee
    ticket.status = Status.ASSIGNED
    events.append(
        TicketEvent(
            ticket=ticket,
            kind=TicketEvent.Kind.ASSIGNED,
            data={"from": Status.NEW, "to": Status.ASSIGNED, "assignee": assignee.get_username(), "automatic": reason},
        )
    )
    return reason


def email_auto_assignee(ticket: Ticket, reason: str) -> None:
    """Tell the technician `auto_assign` chose; the ticket is saved by now."""
    assignee = ticket.assignee
    if assignee is None:  # `auto_assign` chose nobody: there is no one to tell
        return
    outbox.queue_email(
        kind="assigned",
        to=assignee.email,
        template="tickets/email/auto_assigned",
        context={"recipient": assignee, "reason": reason},
        ticket=ticket,
    )


def place_on_site(
    ticket: Ticket, *, actor: User | None, events: list[TicketEvent], was_dispatched: bool = False
) -> dict[str, Any]:
    """Keep `ticket.visit` in line with its service mode, priority and school.

    On-site work goes into the school's next planned visit; a critical on-site ticket
    is dispatched now instead (an event, and the Today page lists it). The caller saves
    the ticket, then writes `events`, to which this appends the dispatch or scheduling
    event (so a new ticket can be placed before its INSERT). Returns the field changes
    for the caller's history (`{"visit": [old, new]}`), possibly empty.
    """
    old = ticket.visit
    new: Visit | None = old
    on_site = ticket.service_mode == Ticket.ServiceMode.ON_SITE
    critical = ticket.priority == Priority.CRITICAL
    if not on_site or critical:
        new = None
    elif old is None or old.school_id != ticket.school_id or old.status != Visit.Status.PLANNED:
        new = next_visit_for(ticket.school)
    ticket.visit = new
    if on_site and critical and not was_dispatched:
        events.append(
            TicketEvent(ticket=ticket, actor=actor, kind=TicketEvent.Kind.DISPATCH, data={"school": ticket.school.name})
        )
    elif new is not None and new != old:
        events.append(
            TicketEvent(
                ticket=ticket,
                actor=actor,
                kind=TicketEvent.Kind.SCHEDULED,
                data={"visit": new.pk, "date": new.date.isoformat(), "technician": new.technician.get_username()},
            )
        )
    if new != old:
        return {"visit": [old.date.isoformat() if old else None, new.date.isoformat() if new else None]}
    return {}


def is_dispatched(ticket: Ticket) -> bool:
    return ticket.service_mode == Ticket.ServiceMode.ON_SITE and ticket.priority == Priority.CRITICAL
