"""Warn shortly before a ticket misses a target, and record each miss exactly once."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q, Value
from django.utils import timezone

from notifications import outbox
from schools.calendar import get_calendar
from schools.selectors import directors_to_email
from tickets.models import Priority, Ticket, TicketEvent

Status = Ticket.Status
# The clock runs in these statuses; waiting is paused, resolved and closed are done.
RUNNING = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)

# target -> (due field, warned field, breached field, extra filter)
TARGETS = {
    "response": ("response_due_at", "response_warned_at", "response_breached_at", Q(first_response_at__isnull=True)),
    "resolution": ("resolution_due_at", "resolution_warned_at", "resolution_breached_at", Q()),
}
BATCH = 500


def _claim(ticket_id: int, field: str, now: datetime) -> bool:
    """Conditional UPDATE: only one run (or worker) records this warning or breach."""
    return Ticket.objects.filter(pk=ticket_id, **{f"{field}__isnull": True}).update(**{field: now}) == 1


def check_sla_deadlines(*, now: datetime | None = None) -> dict[str, int]:
    """Warn assignees before a target is missed and record each missed target once.

    The assignee is warned; directors too for critical tickets and for tickets nobody
    has picked up. A ticket already past due when first seen gets no warning, only
    its breach. Each warning and breach is claimed by a conditional UPDATE inside the
    same transaction as its event and email, so overlapping runs record it once.
    """
    now = now or timezone.now()
    window = timedelta(minutes=get_calendar().sla_warning_minutes)
    counts = {"warnings": 0, "breaches": 0}
    directors: list | None = None
    for target, (due_field, warned_field, breached_field, extra) in TARGETS.items():
        base = Ticket.objects.filter(extra, status__in=RUNNING).select_related("school", "assignee", "requester")
        breached = base.filter(**{f"{due_field}__lte": now, f"{breached_field}__isnull": True})
        for ticket in breached.order_by(due_field)[:BATCH]:
            with transaction.atomic():
                if _claim(ticket.pk, breached_field, now):
                    due = getattr(ticket, due_field)
                    TicketEvent.objects.create(
                        ticket=ticket,
                        kind=TicketEvent.Kind.SLA_BREACHED,
                        data={"target": target, "due_at": due.isoformat()},
                    )
                    counts["breaches"] += 1
        warn = base.filter(
            **{f"{due_field}__gt": now, f"{due_field}__lte": now + window, f"{warned_field}__isnull": True}
        )
        for ticket in warn.order_by(due_field)[:BATCH]:
            with transaction.atomic():
                if not _claim(ticket.pk, warned_field, now):
                    continue
                due = getattr(ticket, due_field)
                TicketEvent.objects.create(
                    ticket=ticket, kind=TicketEvent.Kind.SLA_WARNING, data={"target": target, "due_at": due.isoformat()}
                )
                recipients = [ticket.assignee] if ticket.assignee and ticket.assignee.email else []
                if ticket.priority == Priority.CRITICAL or ticket.assignee is None:
                    directors = list(directors_to_email()) if directors is None else directors
                    recipients += [d for d in directors if d.pk != ticket.assignee_id]
                for person in recipients:
                    outbox.queue_email(
                        kind=f"sla_warning_{target}",
                        to=person.email,
                        template="tickets/email/sla_warning",
                        context={"recipient": person, "target": target, "due_at": due},
                        ticket=ticket,
                    )
                counts["warnings"] += 1
    return counts


# "Met both targets", the one definition: the dashboard counts with it in SQL and
# `sla_met` asks the database the same question about one ticket. The clock stops
# while a ticket waits (the breach job skips waiting tickets, and resuming moves the
# due dates on by the business time waited), so a ticket resolved or closed while
# still waiting is judged at the moment it started waiting, not at its resolution.
# A ticket resolved without a public reply counts its resolution as the response.
# Each comparison is guarded by IS NOT NULL so no branch is NULL: `Q.check` (below)
# counts a NULL as passing, a WHERE clause as failing.
SLA_JUDGED = Q(resolved_at__isnull=False, response_due_at__isnull=False, resolution_due_at__isnull=False)
RESPONDED_IN_TIME = (
    Q(first_response_at__isnull=False, first_response_at__lte=F("response_due_at"))
    | Q(first_response_at__isnull=True, resolved_at__lte=F("response_due_at"))
    | Q(sla_paused_at__isnull=False, sla_paused_at__lte=F("response_due_at"))
)
RESOLVED_IN_TIME = Q(resolved_at__lte=F("resolution_due_at")) | Q(
    sla_paused_at__isnull=False, sla_paused_at__lte=F("resolution_due_at")
)
SLA_MET = SLA_JUDGED & RESPONDED_IN_TIME & RESOLVED_IN_TIME
SLA_FIELDS = ("resolved_at", "first_response_at", "sla_paused_at", "response_due_at", "resolution_due_at")


def sla_met(ticket: Ticket) -> bool | None:
    """Did a finished ticket meet both targets (`SLA_MET`)? None while open or without targets.

    One query: the database evaluates `SLA_MET` on this ticket's values as they are in
    memory (saved or not), so the answer cannot differ from the dashboard's count.
    """
    if ticket.resolved_at is None or ticket.response_due_at is None or ticket.resolution_due_at is None:
        return None
    fields = {f.name: f for f in Ticket._meta.concrete_fields if f.name in SLA_FIELDS}
    return SLA_MET.check({name: Value(getattr(ticket, name), output_field=f) for name, f in fields.items()})
