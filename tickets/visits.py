"""On-site tickets between visits: when a visit is finished or missed, its unfinished
tickets roll to the school's next visit."""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from schools import services as school_services
from schools.models import Visit
from schools.selectors import visit_after
from tickets.models import Ticket, TicketEvent


def _roll(visit: Visit, *, actor: User | None, today: date) -> int:
    """Unfinished on-site tickets of a finished visit move to the school's next visit."""
    target = visit_after(visit, today=today)
    moved = 0
    for ticket in Ticket.objects.filter(visit=visit, status__in=Ticket.OPEN_STATUSES).select_for_update(of=("self",)):
        ticket.visit = target
        ticket.save(update_fields=["visit", "updated_at"])
        TicketEvent.objects.create(
            ticket=ticket,
            actor=actor,
            kind=TicketEvent.Kind.SCHEDULED,
            data={
                "visit": target.pk if target else None,
                "date": target.date.isoformat() if target else None,
                "rolled_from": visit.date.isoformat(),
            },
        )
        moved += 1
    return moved


def complete_visit(*, actor: User, visit: Visit, today: date | None = None) -> tuple[Visit, int]:
    """The technician finishes a visit; unfinished on-site tickets roll to the next one."""
    today = today or timezone.localdate()
    with transaction.atomic():
        visit = school_services.complete_visit(actor=actor, visit=visit)
        moved = _roll(visit, actor=actor, today=today)
    return visit, moved


def roll_past_visits(*, today: date | None = None) -> int:
    """Nightly: a planned visit whose day has passed was missed; its tickets move on.

    Claimed visit by visit with a conditional UPDATE, so a rerun changes nothing.
    """
    today = today or timezone.localdate()
    moved = 0
    for visit in Visit.objects.filter(status=Visit.Status.PLANNED, date__lt=today).order_by("date"):
        with transaction.atomic():
            if Visit.objects.filter(pk=visit.pk, status=Visit.Status.PLANNED).update(status=Visit.Status.MISSED):
                visit.status = Visit.Status.MISSED
                moved += _roll(visit, actor=None, today=today)
    return moved
