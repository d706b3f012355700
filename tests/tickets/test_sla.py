"""Due dates, the paused clock, warnings and breaches, auto-assignment and on-site visits."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from schools import services as school_services
from schools.business_time import CalendarSpec, add_business_minutes, district_calendar, next_open_moment
from schools.calendar import add_closure, reference_data_changed, remove_closure, update_calendar
from schools.models import Closure, Visit
from schools.selectors import next_visit_for
from tests import factories
from tickets import services, sla, visits
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


def rotate(director, technician, school, **kwargs):
    today = timezone.localdate()
    options = {"weekdays": [1, 2, 3, 4, 5], "start_date": today, "today": today}
    options.update(kwargs)
    return school_services.create_rotation(actor=director, technician=technician, school=school, **options)


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


# --- the calendar and targets each process reuses ------------------------------------------
#
# district_reference() keeps the calendar and the SLA targets while the calendar row's
# reference_version holds. The signals only change that version in the database; they never
# touch this process's copy, so these tests see exactly what another gunicorn worker sees.


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _low_priority_ticket(teacher, category) -> Ticket:
    # low impact + low urgency = low priority: 1 business day to respond, 5 to fix.
    return services.create_ticket(
        actor=teacher, title="Mouse sticks", description="x", category=category, impact="low", urgency="low"
    )


def _due_dates_from_the_tables(ticket: Ticket) -> tuple[datetime, datetime]:
    """The due dates the stored targets and calendar give, read without any kept copy."""
    from schools.calendar import load_calendar_spec
    from tickets.sla.clock import add_target

    target = SlaTarget.objects.get(priority=ticket.priority)
    spec = load_calendar_spec()
    return (
        add_target(ticket.created_at, target.response_value, target.response_unit, spec),
        add_target(ticket.created_at, target.resolution_value, target.resolution_unit, spec),
    )


def _filed_after(edit, teacher, category) -> tuple[Ticket, tuple, tuple]:
    """File a ticket (the process keeps the calendar and targets), edit, file another.
    Returns the second ticket, the due dates the first one had and what the tables give now."""
    first = _low_priority_ticket(teacher, category)
    before = (first.response_due_at, first.resolution_due_at)
    assert before == _due_dates_from_the_tables(first)
    edit()
    second = _low_priority_ticket(teacher, category)
    return second, before, _due_dates_from_the_tables(second)


def _assert_fresh(second: Ticket, before: tuple, expected: tuple) -> None:
    assert (second.response_due_at, second.resolution_due_at) == expected
    assert expected != before  # the edit did move the due dates, so a stale copy would show


def test_a_changed_target_applies_to_the_very_next_ticket(teacher, category, director):
    target = SlaTarget.objects.get(priority="low")
    _assert_fresh(
        *_filed_after(
            lambda: sla.update_sla_target(actor=director, target=target, changes={"response_value": 3}),
            teacher,
            category,
        )
    )


def test_a_target_changed_through_the_api_or_the_page_applies_at_once(teacher, category, director):
    from tests.conftest import api_as

    target = SlaTarget.objects.get(priority="low")

    def through_api():
        response = api_as(director).patch(f"/api/sla-targets/{target.pk}/", {"resolution_value": 9}, format="json")
        assert response.status_code == 200

    _assert_fresh(*_filed_after(through_api, teacher, category))

    def through_page():
        client = _client_for(director)
        data = {"priority": "low", "low-response_value": 2, "low-response_unit": "days"}
        data.update({"low-resolution_value": 12, "low-resolution_unit": "days"})
        assert client.post("/calendar/targets/", data).status_code == 302

    _assert_fresh(*_filed_after(through_page, teacher, category))


def test_a_new_or_removed_closure_applies_to_the_very_next_ticket(teacher, category, director):
    today = timezone.localdate()
    holder = {}

    def close_two_weeks():
        holder["closure"] = add_closure(
            actor=director, name="Flood", start_date=today, end_date=today + timedelta(days=14), kind="closure"
        )

    _assert_fresh(*_filed_after(close_two_weeks, teacher, category))
    _assert_fresh(*_filed_after(lambda: remove_closure(actor=director, closure=holder["closure"]), teacher, category))


def test_closures_added_in_the_admin_or_the_api_or_in_bulk_apply_at_once(teacher, category, director):
    from tests.conftest import api_as

    today = timezone.localdate()
    admin = factories.UserFactory(is_staff=True, is_superuser=True)

    def through_admin():
        data = {"name": "Boiler", "kind": "closure", "start_date": today, "end_date": today + timedelta(days=14)}
        assert _client_for(admin).post("/admin/schools/closure/add/", data).status_code == 302

    _assert_fresh(*_filed_after(through_admin, teacher, category))

    def delete_in_admin():
        closure = Closure.objects.get(name="Boiler")
        response = _client_for(admin).post(f"/admin/schools/closure/{closure.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302

    _assert_fresh(*_filed_after(delete_in_admin, teacher, category))

    def through_api():
        body = {"name": "Ice", "kind": "closure", "start_date": str(today), "end_date": str(today + timedelta(days=14))}
        assert api_as(director).post("/api/closures/", body, format="json").status_code == 201

    _assert_fresh(*_filed_after(through_api, teacher, category))

    def in_bulk():
        # bulk_create sends no signal: the code that writes in bulk changes the version itself.
        Closure.objects.filter(name="Ice").delete()
        Closure.objects.bulk_create(
            [Closure(name="Strike", kind="closure", start_date=today, end_date=today + timedelta(days=20))]
        )
        reference_data_changed()

    _assert_fresh(*_filed_after(in_bulk, teacher, category))


def test_changed_opening_hours_apply_to_the_very_next_ticket(teacher, category, director):
    # Saturdays only: no moment of the old Monday-to-Friday hours stays open.
    _assert_fresh(
        *_filed_after(
            lambda: update_calendar(actor=director, changes={"weekly_hours": {"6": ["10:00", "11:00"]}}),
            teacher,
            category,
        )
    )


def test_a_rolled_back_edit_is_never_served(teacher, category, director):
    from django.db import transaction

    today = timezone.localdate()
    first = _low_priority_ticket(teacher, category)
    with pytest.raises(RuntimeError), transaction.atomic():
        add_closure(actor=director, name="Maybe", start_date=today, end_date=today + timedelta(days=14), kind="closure")
        inside = _low_priority_ticket(teacher, category)  # this process now holds the uncommitted calendar
        assert inside.response_due_at != first.response_due_at
        raise RuntimeError("roll back")
    after = _low_priority_ticket(teacher, category)
    assert (after.response_due_at, after.resolution_due_at) == _due_dates_from_the_tables(after)
    assert not Closure.objects.filter(name="Maybe").exists()


def test_closures_and_targets_are_not_read_again_while_nothing_changes(teacher, category, django_assert_num_queries):
    sla.current_targets()  # loads the calendar row, the closures and the targets
    # Then only the calendar row: its version vouches for the closures and targets kept.
    with django_assert_num_queries(1):
        sla.current_targets()
    with django_assert_num_queries(1):
        district_calendar()
