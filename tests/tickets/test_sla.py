"""Due dates, the paused clock, warnings and breaches, auto-assignment and on-site visits."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from schools.business_time import CalendarSpec, add_business_minutes, next_open_moment
from schools.calendar import district_calendar
from schools.services import add_closure
from tests import factories
from tickets import services, sla
from tickets.models import SlaTarget, Ticket, TicketEvent

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")
CALENDAR = CalendarSpec.build(
    time_zone="America/Chicago",
    weekly_hours={d: (time(7, 30), time(16, 30)) for d in range(1, 6)},
    closed_dates={date(2026, 11, 26), date(2026, 11, 27)},
)


def local(*args):
    return datetime(*args, tzinfo=CHICAGO)


# --- targets and due dates ---------------------------------------------------------


def test_seeded_targets_match_the_published_table():
    table = {
        t.priority: (t.response_value, t.response_unit, t.resolution_value, t.resolution_unit)
        for t in SlaTarget.objects.all()
    }
    assert table == {
        "critical": (30, "minutes", 4, "hours"),
        "high": (1, "hours", 8, "hours"),
        "normal": (4, "hours", 2, "days"),
        "low": (1, "days", 5, "days"),
    }


def test_due_dates_across_thanksgiving_by_hand():
    response, resolution = sla.due_dates(priority="normal", start=local(2026, 11, 25, 15, 0), calendar=CALENDAR)
    assert response == local(2026, 11, 30, 10, 0)  # 1.5 h Wednesday + 2.5 h Monday
    assert resolution == local(2026, 12, 1, 15, 0)  # two school days later, same time
    response, resolution = sla.due_dates(priority="critical", start=local(2026, 11, 25, 22, 0), calendar=CALENDAR)
    assert response == local(2026, 11, 30, 8, 0)  # filed at night: counts from Monday's opening
    assert resolution == local(2026, 11, 30, 11, 30)


def test_create_sets_due_dates_from_the_priority(teacher, category):
    ticket = services.create_ticket(
        actor=teacher, title="Board dead", description="x", category=category, impact="high", urgency="high"
    )
    start = next_open_moment(ticket.created_at, district_calendar())
    assert ticket.response_due_at == add_business_minutes(start, 30, district_calendar())
    assert ticket.resolution_due_at == add_business_minutes(start, 240, district_calendar())


def test_priority_change_recomputes_due_dates_from_creation(ticket, technician, director):
    add_closure(
        actor=director, name="Thanksgiving", start_date=date(2026, 11, 26), end_date=date(2026, 11, 27), kind="holiday"
    )
    Ticket.objects.filter(pk=ticket.pk).update(created_at=local(2026, 11, 25, 15, 0))
    ticket.refresh_from_db()
    ticket = services.update_ticket(actor=technician, ticket=ticket, changes={"impact": "high", "urgency": "high"})
    ticket.refresh_from_db()
    assert ticket.priority == "critical"
    assert ticket.response_due_at == local(2026, 11, 25, 15, 30)
    assert ticket.resolution_due_at == local(2026, 11, 30, 10, 0)  # 1.5 h Wednesday + 2.5 h Monday


def test_waiting_stops_the_clock_and_resuming_pushes_due_dates_out(ticket, technician):
    ticket = services.wait_ticket(actor=technician, ticket=ticket, reason="Need the room")
    assert ticket.sla_paused_at is not None
    before = (ticket.response_due_at, ticket.resolution_due_at)
    # Pretend the ticket waited since Wednesday 10:00 (a known business stretch).
    Ticket.objects.filter(pk=ticket.pk).update(sla_paused_at=local(2026, 11, 18, 10, 0))
    ticket = services.start_ticket(actor=technician, ticket=ticket)
    waited = ticket.sla_paused_minutes
    assert waited > 0 and ticket.sla_paused_at is None
    spec = district_calendar()
    assert ticket.response_due_at == add_business_minutes(before[0], waited, spec)
    assert ticket.resolution_due_at == add_business_minutes(before[1], waited, spec)


def test_resume_clock_by_hand():
    ticket = Ticket(
        sla_paused_at=local(2026, 11, 25, 15, 0),
        response_due_at=local(2026, 11, 25, 16, 0),
        resolution_due_at=local(2026, 11, 30, 9, 0),
    )
    waited = sla.resume_clock(ticket, now=local(2026, 11, 30, 8, 0), calendar=CALENDAR)
    assert waited == 90 + 30
    assert ticket.response_due_at == local(2026, 11, 30, 9, 0)  # 30 min Wednesday, 90 Monday
    assert ticket.resolution_due_at == local(2026, 11, 30, 11, 0)


def test_assigning_a_waiting_ticket_also_restarts_the_clock(ticket, technician):
    services.wait_ticket(actor=technician, ticket=ticket, reason="Part on order")
    ticket = services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    assert ticket.sla_paused_at is None


# --- warnings and breaches ------------------------------------------------------------


def test_breach_is_recorded_once_per_target(ticket, django_capture_on_commit_callbacks):
    Ticket.objects.filter(pk=ticket.pk).update(
        response_due_at=timezone.now() - timedelta(minutes=5), resolution_due_at=timezone.now() + timedelta(days=3)
    )
    assert sla.check_sla_deadlines()["breaches"] == 1
    assert sla.check_sla_deadlines()["breaches"] == 0
    events = ticket.events.filter(kind=TicketEvent.Kind.SLA_BREACHED)
    assert [e.data["target"] for e in events] == ["response"]


def test_waiting_and_answered_tickets_do_not_breach(ticket, technician):
    services.add_comment(actor=technician, ticket=ticket, body="On it")
    Ticket.objects.filter(pk=ticket.pk).update(response_due_at=timezone.now() - timedelta(minutes=5))
    services.wait_ticket(actor=technician, ticket=ticket, reason="Need the room")
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due_at=timezone.now() - timedelta(minutes=5))
    assert sla.check_sla_deadlines() == {"warnings": 0, "breaches": 0}


def test_warning_emails_the_assignee_and_directors_for_critical(
    teacher, category, technician, director, django_capture_on_commit_callbacks
):
    ticket = factories.TicketFactory(requester=teacher, category=category, impact="high", urgency="high")
    services.assign_ticket(actor=director, ticket=ticket, assignee=technician)
    Ticket.objects.filter(pk=ticket.pk).update(response_due_at=timezone.now() + timedelta(minutes=10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = sla.check_sla_deadlines()
    with django_capture_on_commit_callbacks(execute=True):
        again = sla.check_sla_deadlines()
    assert counts["warnings"] == 1 and again["warnings"] == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([technician.email, director.email])
    assert "Due soon" in mail.outbox[0].subject


def test_normal_ticket_warning_goes_to_the_assignee_only(
    ticket, technician, director, django_capture_on_commit_callbacks
):
    services.assign_ticket(actor=director, ticket=ticket, assignee=technician)
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due_at=timezone.now() + timedelta(minutes=10))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sla.check_sla_deadlines()
    assert [m.to[0] for m in mail.outbox] == [technician.email]


def test_sla_met_counts_the_pause_when_resolved_while_waiting():
    due = local(2026, 11, 30, 12, 0)
    ticket = Ticket(
        response_due_at=due,
        resolution_due_at=due,
        first_response_at=local(2026, 11, 30, 9, 0),
        sla_paused_at=local(2026, 11, 30, 10, 0),
        resolved_at=local(2026, 12, 3, 10, 0),
    )
    assert sla.sla_met(ticket) is True
    ticket.sla_paused_at = None
    assert sla.sla_met(ticket) is False
