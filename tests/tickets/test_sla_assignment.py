"""Auto-assignment (the rotation, the district queue, the previous technician) and on-site visits."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from schools import services as school_services
from schools.models import Visit
from schools.selectors import next_visit_for
from schools.services import update_calendar
from tests import factories
from tickets import services, visits
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def rotate(director, technician, school, **kwargs):
    today = timezone.localdate()
    options = {"weekdays": [1, 2, 3, 4, 5], "start_date": today, "today": today}
    options.update(kwargs)
    return school_services.create_rotation(actor=director, technician=technician, school=school, **options)


# --- assignment -------------------------------------------------------------------------


def test_new_ticket_goes_to_the_school_rotation_technician(
    director, technician, school, teacher, category, django_capture_on_commit_callbacks
):
    rotate(director, technician, school)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.TicketFactory(requester=teacher, category=category)
    assert ticket.assignee == technician
    assert ticket.status == Ticket.Status.ASSIGNED
    assert ticket.events.filter(kind="assigned", actor=None, data__automatic="rotation").exists()
    assert technician.email in [m.to[0] for m in mail.outbox]


def test_a_new_ticket_is_written_once_with_its_technician_and_its_history_in_order(
    director, technician, school, teacher, category
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rotate(director, technician, school, weekdays=[2])
    with CaptureQueriesContext(connection) as captured:
        ticket = services.create_ticket(
            actor=teacher,
            title="Projector",
            description="x",
            category=category,
            impact="medium",
            urgency="low",
            service_mode="on_site",
        )
    writes = [
        q["sql"].split(" (")[0] for q in captured.captured_queries if '"tickets_ticket"' in q["sql"].split(" (")[0]
    ]
    assert writes == ['INSERT INTO "tickets_ticket"']  # no UPDATE after it
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status, ticket.visit) == (
        technician,
        Ticket.Status.ASSIGNED,
        next_visit_for(school),
    )
    history = list(ticket.events.order_by("created_at", "id").values_list("kind", "actor", "data"))
    assert [(kind, actor) for kind, actor, _ in history] == [
        ("created", teacher.pk),
        ("assigned", None),
        ("scheduled", teacher.pk),
    ]
    assert history[1][2] == {"from": "new", "to": "assigned", "assignee": technician.username, "automatic": "rotation"}


def test_without_a_rotation_the_ticket_waits_for_triage(ticket):
    assert ticket.assignee is None and ticket.status == Ticket.Status.NEW


def test_district_queue_load_balances_only_when_switched_on(director, teacher):
    busy, idle = factories.TechnicianFactory(), factories.TechnicianFactory()
    network = factories.CategoryFactory(queue=factories.QueueFactory(name="Network"))
    other = factories.TicketFactory()  # someone else's: the teacher has no previous technician
    services.assign_ticket(actor=director, ticket=other, assignee=busy)
    assert factories.TicketFactory(requester=teacher, category=network).assignee is None
    update_calendar(actor=director, changes={"load_balanced_assignment": True})
    ticket = factories.TicketFactory(requester=teacher, category=network)
    assert ticket.assignee == idle


def test_district_queue_prefers_the_requesters_previous_technician_without_load_balancing(director, teacher):
    known = factories.TechnicianFactory()
    network = factories.CategoryFactory(queue=factories.QueueFactory(name="Network"))
    services.assign_ticket(actor=director, ticket=factories.TicketFactory(requester=teacher), assignee=known)
    assert factories.TicketFactory(requester=teacher, category=network).assignee == known


# --- on-site work ------------------------------------------------------------------------


def test_on_site_ticket_goes_into_the_next_planned_visit(director, technician, school, teacher, category):
    rotate(director, technician, school, weekdays=[2])
    ticket = factories.TicketFactory(requester=teacher, category=category, service_mode="on_site")
    ticket.refresh_from_db()
    assert ticket.visit == next_visit_for(school)
    assert ticket.events.filter(kind=TicketEvent.Kind.SCHEDULED).exists()


def test_critical_on_site_ticket_is_dispatched_now(director, technician, school, teacher, category):
    rotate(director, technician, school, weekdays=[2])
    ticket = factories.TicketFactory(
        requester=teacher, category=category, service_mode="on_site", impact="high", urgency="high"
    )
    ticket.refresh_from_db()
    assert ticket.visit is None
    assert ticket.events.filter(kind=TicketEvent.Kind.DISPATCH).count() == 1


def test_switching_to_on_site_schedules_and_becoming_critical_dispatches(director, technician, school, ticket):
    rotate(director, technician, school, weekdays=[2])
    ticket = services.update_ticket(actor=technician, ticket=ticket, changes={"service_mode": "on_site"})
    assert ticket.visit == next_visit_for(school)
    ticket = services.update_ticket(actor=technician, ticket=ticket, changes={"impact": "high", "urgency": "high"})
    assert ticket.visit is None
    assert ticket.events.filter(kind=TicketEvent.Kind.DISPATCH).count() == 1
    ticket = services.update_ticket(actor=technician, ticket=ticket, changes={"service_mode": "remote"})
    assert ticket.events.filter(kind=TicketEvent.Kind.DISPATCH).count() == 1


def test_completing_a_visit_rolls_unfinished_tickets_to_the_next(
    director, technician, school, teacher, category, monkeypatch
):
    rotate(director, technician, school, weekdays=[2])
    first = factories.TicketFactory(requester=teacher, category=category, service_mode="on_site")
    done = factories.TicketFactory(requester=teacher, category=category, service_mode="on_site")
    services.resolve_ticket(actor=technician, ticket=done, resolution="Fixed")
    visit = next_visit_for(school)
    # A visit is completed on its day (schools.services.complete_visit): it is that day now.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: visit.date)
    visit, moved = visits.complete_visit(actor=technician, visit=visit)
    assert visit.status == Visit.Status.DONE and moved == 1
    first.refresh_from_db()
    done.refresh_from_db()
    assert first.visit.date == visit.date + timedelta(weeks=1)
    assert done.visit == visit


def test_past_planned_visits_become_missed_and_roll_once(director, technician, school, teacher, category):
    rotate(director, technician, school, weekdays=[2])
    ticket = factories.TicketFactory(requester=teacher, category=category, service_mode="on_site")
    visit = next_visit_for(school)
    later = visit.date + timedelta(days=1)
    assert visits.roll_past_visits(today=later) == 1
    assert visits.roll_past_visits(today=later) == 0
    visit.refresh_from_db()
    ticket.refresh_from_db()
    assert visit.status == Visit.Status.MISSED
    assert ticket.visit.date == visit.date + timedelta(weeks=1)


# --- keeping the relationship when the school has no rotation -------------------------


def test_a_school_without_rotation_prefers_the_requesters_previous_technician(teacher, category, technician):
    from tickets import services

    first = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=first, assignee=technician)
    second = factories.TicketFactory(requester=teacher, category=category)
    assert second.assignee == technician
    assert second.status == "assigned"
    assert second.events.filter(kind="assigned", data__automatic="previous_technician").exists()


def test_then_whoever_served_the_school_before(teacher, other_teacher, category, technician):
    from tickets import services

    first = factories.TicketFactory(requester=other_teacher, category=category)
    services.assign_ticket(actor=technician, ticket=first, assignee=technician)
    ticket = factories.TicketFactory(requester=teacher, category=category)
    assert ticket.assignee == technician
    assert ticket.events.filter(kind="assigned", data__automatic="school_technician").exists()


def test_a_former_technician_is_not_preferred(teacher, category, technician):
    from django.contrib.auth.models import Group

    from tickets import services

    first = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=first, assignee=technician)
    technician.groups.remove(Group.objects.get(name="technician"))
    ticket = factories.TicketFactory(requester=teacher, category=category)
    assert ticket.assignee is None and ticket.status == "new"


def test_nobody_to_prefer_leaves_the_ticket_for_triage(teacher, category):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    assert ticket.assignee is None and ticket.status == "new"
