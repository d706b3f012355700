"""Maintenance plans on the rotation: tasks on visits, Today, the coverage grid."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devices import services
from devices.models import MaintenanceTask
from schools.models import Visit
from tests import factories

MONDAY = date(2026, 9, 7)


def _plan(director, **changes):
    base = {"title": "Clean projector filters", "checklist": "Open the cover\nVacuum the filter", "every_n_weeks": 4}
    today = changes.pop("today", MONDAY)
    return services.save_plan(actor=director, changes={**base, **changes}, today=today)


def test_due_dates_every_n_weeks_from_the_start():
    plan = services.MaintenancePlan(every_n_weeks=2, starts_on=MONDAY)
    assert services.due_dates(plan, first=MONDAY + timedelta(days=1), last=MONDAY + timedelta(weeks=6)) == [
        MONDAY + timedelta(weeks=2),
        MONDAY + timedelta(weeks=4),
        MONDAY + timedelta(weeks=6),
    ]


def test_each_due_date_goes_on_the_first_planned_visit_on_or_after_it(director, technician, school):
    on_the_day = Visit.objects.create(technician=technician, school=school, date=MONDAY)
    missed = Visit.objects.create(technician=technician, school=school, date=MONDAY + timedelta(days=30))
    missed.status = Visit.Status.MISSED
    missed.save()
    later = Visit.objects.create(technician=technician, school=school, date=MONDAY + timedelta(days=31))
    plan = services.save_plan(
        actor=director,
        changes={"title": "Filters", "school": school, "every_n_weeks": 4, "starts_on": MONDAY},
        today=MONDAY,
    )
    tasks = list(plan.tasks.order_by("due_on"))
    assert [t.due_on for t in tasks[:2]] == [MONDAY, MONDAY + timedelta(weeks=4)]
    assert tasks[0].visit == on_the_day
    assert tasks[1].visit == later  # the missed visit is not planned
    assert all(t.visit is None for t in tasks[2:])  # no visit planned that far yet


def test_scheduling_twice_creates_nothing_new(director, school):
    plan = services.save_plan(
        actor=director, changes={"title": "Filters", "school": school, "starts_on": MONDAY}, today=MONDAY
    )
    count = plan.tasks.count()
    assert count > 0
    assert services.schedule_maintenance(today=MONDAY) == 0
    assert plan.tasks.count() == count


def test_an_old_plan_does_not_leave_a_backlog(director, school):
    plan = services.save_plan(
        actor=director,
        changes={"title": "Filters", "school": school, "every_n_weeks": 4, "starts_on": MONDAY - timedelta(weeks=40)},
        today=MONDAY,
    )
    assert plan.tasks.order_by("due_on").first().due_on > MONDAY - timedelta(weeks=4)


def test_every_school_plan_makes_one_task_per_school_per_due_date(director, school):
    other = factories.SchoolFactory()
    plan = services.save_plan(
        actor=director, changes={"title": "UPS", "every_n_weeks": 52, "starts_on": MONDAY}, today=MONDAY
    )
    assert sorted(plan.tasks.values_list("school_id", "due_on")) == sorted([(school.pk, MONDAY), (other.pk, MONDAY)])


def test_a_task_whose_visit_passed_undone_moves_to_the_next_visit(director, technician, school):
    first = Visit.objects.create(technician=technician, school=school, date=MONDAY)
    nxt = Visit.objects.create(technician=technician, school=school, date=MONDAY + timedelta(days=7))
    services.save_plan(
        actor=director,
        changes={"title": "Filters", "school": school, "every_n_weeks": 52, "starts_on": MONDAY},
        today=MONDAY,
    )
    task = MaintenanceTask.objects.get()
    assert task.visit == first
    services.schedule_maintenance(today=MONDAY + timedelta(days=1))
    task.refresh_from_db()
    assert task.visit == nxt


def test_scheduling_costs_the_same_queries_for_one_school_or_many(director, technician):
    def run() -> int:
        with CaptureQueriesContext(connection) as captured:
            services.schedule_maintenance(today=MONDAY)
        return len(captured.captured_queries)

    school = factories.SchoolFactory()
    Visit.objects.create(technician=technician, school=school, date=MONDAY)
    services.save_plan(actor=director, changes={"title": "A", "every_n_weeks": 2, "starts_on": MONDAY}, today=MONDAY)
    MaintenanceTask.objects.all().delete()
    one = run()
    for n in range(6):
        other = factories.SchoolFactory()
        Visit.objects.create(technician=technician, school=other, date=MONDAY + timedelta(days=n))
    services.save_plan(actor=director, changes={"title": "B", "every_n_weeks": 3, "starts_on": MONDAY}, today=MONDAY)
    MaintenanceTask.objects.all().delete()
    assert run() == one


def test_only_directors_write_plans(technician, school):
    with pytest.raises(services.PermissionDenied):
        services.save_plan(actor=technician, changes={"title": "x", "starts_on": MONDAY})


def test_pausing_a_plan_removes_its_future_planned_tasks(director, school):
    plan = services.save_plan(
        actor=director, changes={"title": "Filters", "school": school, "starts_on": MONDAY}, today=MONDAY
    )
    services.save_plan(actor=director, plan=plan, changes={"active": False}, today=MONDAY)
    assert plan.tasks.count() == 0


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def todays_visit(technician, school):
    return Visit.objects.create(technician=technician, school=school, date=timezone.localdate())


def test_today_shows_the_visits_maintenance_with_its_checklist(director, technician, school, todays_visit):
    _plan(director, school=school, starts_on=timezone.localdate(), today=timezone.localdate())
    html = _client(technician).get("/today/").content.decode()
    assert "Clean projector filters" in html
    assert "Vacuum the filter" in html


def test_done_and_skipped_from_today(director, technician, school, todays_visit):
    today = timezone.localdate()
    _plan(director, school=school, starts_on=today, today=today)
    _plan(director, school=school, title="Check cables", starts_on=today, today=today)
    done, skipped = MaintenanceTask.objects.filter(visit=todays_visit).order_by("plan__title")
    client = _client(technician)
    response = client.post(f"/maintenance/tasks/{done.pk}/done/", {"note": "", "next": "today"})
    assert response.status_code == 302 and response["Location"] == "/today/"
    refused = client.post(f"/maintenance/tasks/{skipped.pk}/skip/", {"note": "", "next": "today"}, follow=True)
    assert "Say why the task was skipped." in refused.content.decode()
    client.post(f"/maintenance/tasks/{skipped.pk}/skip/", {"note": "Projector cart locked", "next": "today"})
    done.refresh_from_db()
    skipped.refresh_from_db()
    assert done.status == "done" and done.done_by == technician
    assert skipped.status == "skipped" and skipped.note == "Projector cart locked"


def test_requesters_cannot_record_maintenance(director, teacher, school, todays_visit):
    _plan(director, school=school, starts_on=timezone.localdate(), today=timezone.localdate())
    task = MaintenanceTask.objects.first()
    assert _client(teacher).post(f"/maintenance/tasks/{task.pk}/done/").status_code == 404


def test_coverage_grid_shows_visits_with_maintenance_due(director, technician, school, todays_visit):
    _plan(director, school=school, starts_on=timezone.localdate(), today=timezone.localdate())
    html = _client(director).get("/rotations/coverage/").content.decode()
    assert "1 maintenance task" in html
