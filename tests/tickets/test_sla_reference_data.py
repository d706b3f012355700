"""The calendar and SLA targets each process keeps: an edit, however it is made, applies to the very next ticket."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from schools.calendar import district_calendar, reference_data_changed
from schools.models import Closure
from schools.services import add_closure, remove_closure, update_calendar
from tests import factories
from tickets import services, sla
from tickets.models import SlaTarget, Ticket

pytestmark = pytest.mark.django_db


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
