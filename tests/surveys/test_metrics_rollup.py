"""The dashboard's figures: the daily rollup against the raw computation and against hand-computed numbers."""
# ruff: noqa: F811 - the shared fixtures of test_metrics are imported by name, then requested as arguments

from datetime import date, timedelta

import pytest
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from surveys import metrics
from surveys.dashboard import rollup
from surveys.models import DailyTicketStats, Goal
from tests import factories
from tests.surveys.test_metrics import FRIDAY, MONDAY, at, make, survey, week_of_tickets  # noqa: F401 - fixtures
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

WEEK = metrics.Filters(date_from=MONDAY, date_to=FRIDAY)


def rebuild(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30)):
    return rollup.rebuild_daily_stats(date_from, date_to)


def raw_counters(filters):
    """The reference: every counter in one plain query over every ticket, survey and answer."""
    start, end = metrics.local_bounds(filters.date_from, filters.date_to)

    def counted(counter):
        window = Q(**{f"{counter.placed_by}__gte": start, f"{counter.placed_by}__lt": end}) & counter.condition
        if counter.summed:
            return Coalesce(Sum(counter.summed, filter=window), 0)
        return Count("pk", filter=window)

    return metrics._scoped(filters).aggregate(**{name: counted(c) for name, c in metrics.COUNTERS.items()})


def test_rollup_equals_the_raw_computation_for_every_counter_and_filter(week_of_tickets, make, technician):
    other_school = factories.SchoolFactory()
    other_tech = factories.TechnicianFactory()
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=other_school)
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), assignee=other_tech, mode="remote")
    rebuild()
    ranges = [(MONDAY, FRIDAY), (MONDAY, MONDAY), (FRIDAY, FRIDAY), (MONDAY - timedelta(days=7), FRIDAY)]
    scopes = [{}, {"school": other_school.pk}, {"technician": technician.pk}, {"technician": other_tech.pk}]
    for date_from, date_to in ranges:
        for scope in scopes:
            filters = metrics.Filters(date_from=date_from, date_to=date_to, **scope)
            assert metrics.rollup_counters(filters) == raw_counters(filters), (date_from, date_to, scope)


def test_summary_split_into_queries_equals_the_reference(week_of_tickets, make, technician):
    """summary() counts closed tickets and their surveys in separate queries; nothing may shift."""
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), mode="remote")
    scopes = [{}, {"technician": technician.pk}, {"technician": factories.TechnicianFactory().pk}]
    for date_from, date_to in [(MONDAY, FRIDAY), (MONDAY, MONDAY), (MONDAY - timedelta(days=7), FRIDAY)]:
        for scope in scopes:
            filters = metrics.Filters(date_from=date_from, date_to=date_to, **scope)
            reference = metrics.derive(raw_counters(filters))
            published = metrics.summary(filters)
            for key in reference:
                if key != "learned_pct":  # the API summary does not publish it (API.md)
                    assert published[key] == reference[key], (key, date_from, date_to, scope)


def test_dashboard_summary_matches_the_api_summary(week_of_tickets):
    rebuild()
    api = metrics.summary(WEEK)
    dashboard = metrics.dashboard_summary(WEEK)
    for key, value in api.items():
        assert dashboard[key] == value, key


def test_learned_share_counts_yes_among_those_who_answered_the_question(make):
    tickets = [make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11)) for _ in range(4)]
    for ticket, learned in zip(tickets, (True, True, False, None), strict=True):
        invitation = survey(ticket, quality=5, timeliness=5)
        invitation.response.learned = learned
        invitation.response.save()
    rebuild()
    assert metrics.dashboard_summary(WEEK)["learned_pct"] == 66.7  # 2 yes of 3 who said


def test_unanswered_surveys_count_as_sent_but_not_in_ratings(make):
    answered = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    unanswered = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    survey(answered, quality=2, timeliness=4)
    survey(unanswered)
    rebuild()
    result = metrics.dashboard_summary(WEEK)
    assert (result["surveys_sent"], result["surveys_answered"], result["response_rate_pct"]) == (2, 1, 50.0)
    assert (result["quality_mean"], result["quality_satisfaction_pct"], result["timeliness_satisfaction_pct"]) == (
        2.0,
        0.0,
        100.0,
    )


def test_empty_period_gives_null_figures_and_empty_breakdowns(week_of_tickets):
    rebuild()
    empty = metrics.Filters(date_from=date(2026, 1, 5), date_to=date(2026, 1, 9))
    result = metrics.dashboard_summary(empty)
    assert result["tickets_closed"] == 0 and result["tickets_opened"] == 0
    for key in ("quality_satisfaction_pct", "quality_mean", "sla_met_pct", "remote_pct", "learned_pct"):
        assert result[key] is None, key
    assert result["median_resolution_minutes"] is None
    assert metrics.breakdown(empty, "school") == []
    assert metrics.trend(empty, "week") == []
    assert all(row["sla_met_pct"] is None for row in metrics.sla_by_priority(empty))


def test_a_ticket_closed_just_before_local_midnight_is_on_that_district_day(make):
    # 23:59 Friday in Chicago is Saturday in UTC: the rollup must still put it on Friday.
    make(created=at(FRIDAY, 8), resolved=at(FRIDAY, 23, 0), closed=at(FRIDAY, 23, 59))
    make(created=at(FRIDAY, 8), resolved=at(FRIDAY, 23, 0), closed=at(FRIDAY + timedelta(days=1), 0, 0))
    rebuild()
    assert list(DailyTicketStats.objects.filter(level="full", closed__gt=0).values_list("day", "closed")) in (
        [(FRIDAY, 1), (FRIDAY + timedelta(days=1), 1)],
        [(FRIDAY + timedelta(days=1), 1), (FRIDAY, 1)],
    )
    assert metrics.rollup_counters(metrics.Filters(date_from=FRIDAY, date_to=FRIDAY))["closed"] == 1


def test_reopened_ticket_leaves_its_old_day_on_the_next_rebuild(make, technician):
    ticket = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    survey(ticket, quality=5, timeliness=5)
    rebuild()
    assert metrics.rollup_counters(WEEK)["closed"] == 1
    services.reopen_ticket(actor=technician, ticket=ticket, reason="It broke again")
    rebuild()
    counters = metrics.rollup_counters(WEEK)
    assert counters["closed"] == 0 and counters["surveys_answered"] == 0
    assert metrics.dashboard_summary(WEEK)["backlog"] == 1


def test_rebuilding_twice_does_not_double_count(week_of_tickets):
    rebuild()
    first = metrics.rollup_counters(WEEK)
    rebuild()
    rebuild(MONDAY, FRIDAY)
    assert metrics.rollup_counters(WEEK) == first


def test_breakdown_per_school_technician_and_category(week_of_tickets, make, school, technician, category):
    other_school = factories.SchoolFactory(name="Zeta Elementary")
    ticket = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=other_school)
    survey(ticket, quality=1, timeliness=1)
    rebuild()
    rows = {row["id"]: row for row in metrics.breakdown(WEEK, "school")}
    assert rows[school.pk]["tickets_closed"] == 5 and rows[school.pk]["quality_satisfaction_pct"] == 50.0
    assert rows[other_school.pk]["tickets_closed"] == 1 and rows[other_school.pk]["quality_satisfaction_pct"] == 0.0
    assert rows[other_school.pk]["name"] == "Zeta Elementary"
    (tech_row,) = metrics.breakdown(WEEK, "technician")
    assert tech_row["id"] == technician.pk and tech_row["tickets_closed"] == 6
    assert tech_row["name"] == (technician.get_full_name() or technician.username)
    (category_row,) = metrics.breakdown(WEEK, "category")
    assert category_row["id"] == category.pk and category_row["tickets_opened"] == 4 + 1
    # Filters narrow a breakdown too.
    only = metrics.breakdown(metrics.Filters(date_from=MONDAY, date_to=FRIDAY, school=other_school.pk), "category")
    assert only[0]["tickets_closed"] == 1


def test_trend_by_week_and_month_with_the_goal_of_each_school_year(make):
    Goal.objects.create(school_year="2025-2026", quality_satisfaction_pct=94, timeliness_satisfaction_pct=90)
    Goal.objects.create(school_year="2026-2027", quality_satisfaction_pct=97)
    july, august = date(2026, 7, 28), date(2026, 8, 4)  # a Tuesday in each school year
    for day, quality in ((july, 5), (august, 3), (august, 4)):
        ticket = make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
        survey(ticket, quality=quality, timeliness=5)
    rebuild(date(2026, 7, 1), date(2026, 8, 31))
    span = metrics.Filters(date_from=date(2026, 7, 1), date_to=date(2026, 8, 31))
    weeks = metrics.trend(span, "week")
    assert [(p["period"], p["tickets_closed"], p["quality_satisfaction_pct"]) for p in weeks] == [
        ("2026-07-27", 1, 100.0),
        ("2026-08-03", 2, 50.0),
    ]
    assert [p["goal_quality_satisfaction_pct"] for p in weeks] == [94.0, 97.0]
    assert [p["goal_timeliness_satisfaction_pct"] for p in weeks] == [90.0, None]
    months = metrics.trend(span, "month")
    assert [(p["period"], p["tickets_opened"]) for p in months] == [("2026-07-01", 1), ("2026-08-01", 2)]


def test_sla_attainment_by_priority(make):
    make(created=at(MONDAY), first_response=at(MONDAY, 9, 10), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), due=True)
    make(
        created=at(MONDAY),
        first_response=at(MONDAY, 9, 10),
        resolved=at(MONDAY, 10),
        closed=at(MONDAY, 11),
        due=True,
        met=False,
    )
    Ticket.objects.update(priority="high")
    rebuild()
    rows = {row["priority"]: row for row in metrics.sla_by_priority(WEEK)}
    assert (rows["high"]["sla_due"], rows["high"]["sla_met"], rows["high"]["sla_met_pct"]) == (2, 1, 50.0)
    assert rows["low"]["sla_met_pct"] is None


def test_backlog_by_age_as_of_the_end_of_the_range(make):
    end_day = FRIDAY
    ages_in_days = [0, 2, 3, 7, 8, 30, 31, 100]
    for days in ages_in_days:
        # Filed `days` whole days (plus an hour) before the end of the range.
        make(created=at(end_day + timedelta(days=1), 0) - timedelta(days=days, hours=1))
    # Resolved before the end: not waiting. Resolved after it: waiting then.
    make(created=at(MONDAY), resolved=at(FRIDAY, 10))
    make(created=at(MONDAY, 8), resolved=at(FRIDAY + timedelta(days=2)))
    ages = metrics.backlog_by_age(WEEK)
    assert ages == {"days_0_2": 2, "days_3_7": 2 + 1, "days_8_30": 2, "older": 2}
    assert metrics.summary(WEEK)["backlog"] == sum(ages.values())


def test_recurring_categories_per_school(make, school, category):
    printer = factories.CategoryFactory(name="Printer")
    for _ in range(3):
        make(created=at(MONDAY), category=printer)
    make(created=at(MONDAY))
    rebuild()
    top = metrics.recurring_categories(WEEK)[school.pk]
    assert [(c["name"], c["opened"]) for c in top] == [("Printer", 3), (category.name, 1)]
