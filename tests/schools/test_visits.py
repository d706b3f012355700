"""Rotations plan visits: weekly, every N weeks, skipping closures, idempotent, re-planned."""

from datetime import date, timedelta

import pytest

from schools import services
from schools.errors import DomainError, PermissionDenied
from schools.models import Closure, Visit
from schools.selectors import coverage_grid, next_visit_for, next_visit_summary, rotation_technician_for
from schools.services import add_closure, load_federal_holidays, remove_closure, update_calendar
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def make_rotation(director, technician, school, **kwargs):
    options = {"weekdays": [2], "every_n_weeks": 1, "start_date": MONDAY, "today": MONDAY}
    options.update(kwargs)
    return services.create_rotation(actor=director, technician=technician, school=school, **options)


def visit_dates(school):
    return list(Visit.objects.filter(school=school).order_by("date").values_list("date", flat=True))


def test_weekly_rotation_plans_every_tuesday_over_the_horizon(director, technician, school):
    make_rotation(director, technician, school)
    dates = visit_dates(school)
    assert dates[0] == date(2026, 11, 3)
    assert all(d.isoweekday() == 2 for d in dates)
    assert all((b - a).days == 7 for a, b in zip(dates, dates[1:], strict=False))
    assert dates[-1] > MONDAY + timedelta(weeks=8)


def test_every_two_weeks_keeps_both_weekdays_in_the_same_week(director, technician, school):
    make_rotation(director, technician, school, weekdays=[4, 2], every_n_weeks=2)
    dates = visit_dates(school)
    assert dates[:4] == [date(2026, 11, 3), date(2026, 11, 5), date(2026, 11, 17), date(2026, 11, 19)]


def test_holidays_and_breaks_get_no_visit(director, technician, school):
    add_closure(
        actor=director,
        name="Thanksgiving break",
        start_date=date(2026, 11, 25),
        end_date=date(2026, 11, 27),
        kind="break",
    )
    make_rotation(director, technician, school, weekdays=[3, 4])
    dates = set(visit_dates(school))
    assert date(2026, 11, 25) not in dates and date(2026, 11, 26) not in dates
    assert date(2026, 11, 18) in dates and date(2026, 12, 2) in dates


def test_a_new_closure_removes_planned_visits_and_moves_their_tickets(director, technician, school, teacher, category):
    make_rotation(director, technician, school, today=date.today())
    visit = next_visit_for(school)
    ticket = factories.TicketFactory(requester=teacher, category=category, service_mode="on_site")
    ticket.refresh_from_db()
    assert ticket.visit == visit
    add_closure(actor=director, name="Snow day", start_date=visit.date, kind="closure")
    ticket.refresh_from_db()
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert ticket.visit is not None and ticket.visit.date == visit.date + timedelta(weeks=1)


def test_planning_twice_creates_nothing_new(director, technician, school):
    rotation = make_rotation(director, technician, school)
    before = visit_dates(school)
    assert services.plan_visits(rotation=rotation, today=MONDAY) == 0
    assert services.plan_all_visits(today=MONDAY) == 0
    assert visit_dates(school) == before


def test_changing_a_rotation_replans_future_visits_only(director, technician, school):
    rotation = make_rotation(director, technician, school)
    past_done = Visit.objects.get(school=school, date=date(2026, 11, 3))
    past_done.status = Visit.Status.DONE
    past_done.save()
    services.update_rotation(actor=director, rotation=rotation, changes={"weekdays": [5]}, today=date(2026, 11, 10))
    dates = visit_dates(school)
    assert date(2026, 11, 3) in dates  # done: untouched
    assert date(2026, 11, 10) in dates  # today: untouched
    assert date(2026, 11, 17) not in dates
    assert date(2026, 11, 13) in dates and date(2026, 11, 20) in dates


def test_deleting_a_rotation_keeps_history(director, technician, school):
    rotation = make_rotation(director, technician, school)
    services.delete_rotation(actor=director, rotation=rotation, today=date(2026, 11, 11))
    assert visit_dates(school) == [date(2026, 11, 3), date(2026, 11, 10)]


def test_only_the_director_changes_rotations(technician, school):
    with pytest.raises(PermissionDenied):
        make_rotation(technician, technician, school)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [0, 8]}, "weekdays"),
        ({"weekdays": ["mon"]}, "weekdays"),
        ({"every_n_weeks": 0}, "every_n_weeks"),
        ({"end_date": date(2026, 1, 1)}, "end_date"),
    ],
)
def test_bad_rotations_are_refused_with_the_field(director, technician, school, changes, field):
    with pytest.raises(DomainError) as info:
        make_rotation(director, technician, school, **changes)
    assert field in info.value.as_field_errors()


def test_a_requester_cannot_be_on_a_rotation(director, teacher, school):
    with pytest.raises(DomainError):
        make_rotation(director, teacher, school)


def test_rotation_technician_and_next_visit_summary(director, technician, school):
    make_rotation(director, technician, school, start_date=date.today(), today=date.today())
    assert rotation_technician_for(school) == technician
    summary = next_visit_summary(school)
    assert summary.pattern == "Tuesdays"
    assert summary.visit.date.isoweekday() == 2
    assert summary.technician_name == technician.get_full_name()


def test_coverage_grid_flags_schools_without_visits(director, technician, school, django_assert_num_queries):
    lonely = factories.SchoolFactory(name="Zeta Elementary")
    make_rotation(director, technician, school)
    with django_assert_num_queries(2):  # 1 schools, 2 visits in range with technicians
        weeks, rows = coverage_grid(start=MONDAY, weeks=8)
    by_school = {row.school: row for row in rows}
    assert len(weeks) == 8
    assert not by_school[school].uncovered
    assert by_school[lonely].uncovered


def test_federal_holidays_load_once(director):
    added = load_federal_holidays(actor=director, school_year=2026)
    assert added >= 10
    assert Closure.objects.filter(start_date=date(2026, 11, 26), federal=True).exists()
    assert not Closure.objects.filter(start_date=date(2026, 1, 1)).exists()  # previous school year
    assert load_federal_holidays(actor=director, school_year=2026) == 0


def test_technicians_cannot_edit_the_calendar(technician):
    with pytest.raises(PermissionDenied):
        load_federal_holidays(actor=technician, school_year=2026)
    with pytest.raises(PermissionDenied):
        update_calendar(actor=technician, changes={"load_balanced_assignment": True})


def test_calendar_changes_are_validated(director):
    with pytest.raises(DomainError):
        update_calendar(actor=director, changes={"weekly_hours": {"1": ["17:00", "08:00"]}})
    with pytest.raises(DomainError):
        update_calendar(actor=director, changes={"summer_start": date(2027, 6, 10)})
    row = update_calendar(actor=director, changes={"weekly_hours": {"1": ["8:00", "12:00"]}})
    assert row.weekly_hours == {"1": ["08:00", "12:00"]}


def test_district_calendar_reads_hours_and_closures(director):
    from schools.calendar import district_calendar

    update_calendar(actor=director, changes={"weekly_hours": {"1": ["08:00", "12:00"]}})
    closure = add_closure(actor=director, name="Snow day", start_date=date(2026, 11, 30), kind="closure")
    spec = district_calendar()
    assert spec.is_business_day(date(2026, 11, 23))
    assert not spec.is_business_day(date(2026, 11, 24))  # Tuesday: no hours now
    assert not spec.is_business_day(date(2026, 11, 30))
    remove_closure(actor=director, closure=closure)
    assert district_calendar().is_business_day(date(2026, 11, 30))


def test_demo_seed_gives_every_school_a_rotation_and_visits():
    import random

    from demo.rotations import seed_rotations

    technicians = factories.TechnicianFactory.create_batch(2)
    schools = factories.SchoolFactory.create_batch(9)
    seed_rotations(technicians=technicians, schools=schools, today=date(2026, 11, 23), rng=random.Random(4))
    assert all(school.rotations.exists() for school in schools)
    assert all(Visit.objects.filter(school=school).exists() for school in schools)
    assert Closure.objects.filter(name="Winter break").count() == 3
    assert not Visit.objects.filter(date=date(2026, 11, 26)).exists()  # Thanksgiving
