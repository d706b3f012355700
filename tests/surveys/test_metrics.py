"""Metric math against hand-computed fixtures. Times are district time (America/Chicago)."""

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from surveys import metrics
from surveys.models import Goal, SurveyInvitation, SurveyResponse
from tests import factories
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
MONDAY = date(2026, 3, 2)
FRIDAY = date(2026, 3, 6)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture
def make(school, category, technician):
    requester = factories.UserFactory(profile__school=school)

    def _make(*, created, first_response=None, resolved=None, closed=None, due=False, met=True, mode=None, **extra):
        ticket = factories.TicketFactory(requester=requester, category=category)
        status = Ticket.Status.CLOSED if closed else Ticket.Status.RESOLVED if resolved else Ticket.Status.ASSIGNED
        fields = {
            "status": status,
            "assignee": extra.pop("assignee", technician),
            "created_at": created,
            "first_response_at": first_response,
            "resolved_at": resolved,
            "closed_at": closed,
            "service_mode": mode,
            **extra,
        }
        if due:
            fields["response_due_at"] = first_response + timedelta(minutes=5 if met else -5)
            fields["resolution_due_at"] = resolved + timedelta(minutes=5)
        else:
            # create_ticket sets due dates from the SLA targets; this ticket stands for one without.
            fields["response_due_at"] = fields["resolution_due_at"] = None
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
        ticket.refresh_from_db()
        return ticket

    return _make


def survey(ticket, *, quality=None, timeliness=None, sent=True):
    invitation = SurveyInvitation.objects.create(
        ticket=ticket,
        token=secrets.token_urlsafe(32),
        email="t@district.example",
        sent_at=ticket.closed_at if sent else None,
    )
    if quality is not None:
        SurveyResponse.objects.create(
            invitation=invitation,
            ticket=ticket,
            quality=quality,
            timeliness=timeliness,
            answered_at=ticket.closed_at + timedelta(hours=1),
        )
    return invitation


def week(**filters):
    return metrics.summary(metrics.Filters(date_from=MONDAY, date_to=FRIDAY, **filters))


@pytest.fixture
def week_of_tickets(make):
    """Five tickets closed Mon-Fri, plus tickets that belong to other figures only."""
    closed = []
    specs = [
        # (first response minutes, resolution minutes, quality, timeliness, due?, met?, mode)
        (10, 60, 5, 5, True, True, "remote"),
        (20, 120, 4, 5, True, True, "remote"),
        (30, 180, 3, 4, True, True, "on_site"),
        (40, 240, 2, 1, True, False, None),
        (50, 600, None, None, False, True, None),
    ]
    for index, (fr, res, quality, timeliness, due, met, mode) in enumerate(specs):
        # Two were opened the week before; three this week.
        created = at(MONDAY - timedelta(days=3)) if index < 2 else at(MONDAY + timedelta(days=index - 2), 8)
        ticket = make(
            created=created,
            first_response=created + timedelta(minutes=fr),
            resolved=created + timedelta(minutes=res),
            closed=created + timedelta(minutes=res + 30) if index >= 2 else at(MONDAY, 10),
            due=due,
            met=met,
            mode=mode,
        )
        survey(ticket, quality=quality, timeliness=timeliness)
        closed.append(ticket)
    # Opened this week, still open at the end: opened and backlog.
    make(created=at(FRIDAY, 11))
    # Opened last week, resolved only after the range: backlog, not closed.
    make(created=at(MONDAY - timedelta(days=5)), resolved=at(FRIDAY + timedelta(days=3)))
    # Resolved in the range but closed after it: neither closed nor backlog.
    make(created=at(MONDAY - timedelta(days=5)), resolved=at(FRIDAY), closed=at(FRIDAY + timedelta(days=3)))
    # Opened after the range: nothing.
    make(created=at(FRIDAY + timedelta(days=1)))
    return closed


def test_hand_computed_week(week_of_tickets):
    result = week()
    assert result["tickets_opened"] == 4
    assert result["tickets_closed"] == 5
    assert result["backlog"] == 2
    assert result["median_first_response_minutes"] == 30.0
    assert result["median_resolution_minutes"] == 180.0
    assert result["sla_met_pct"] == 75.0  # 3 of the 4 with due dates
    assert result["surveys_sent"] == 5
    assert result["surveys_answered"] == 4
    assert result["response_rate_pct"] == 80.0
    assert result["quality_mean"] == 3.5  # 5, 4, 3, 2
    assert result["quality_satisfaction_pct"] == 50.0
    assert result["timeliness_mean"] == 3.75  # 5, 5, 4, 1
    assert result["timeliness_satisfaction_pct"] == 75.0
    assert result["remote_pct"] == 66.7  # 2 remote of 3 with a mode


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(make):
    for minutes in (10, 20, 40, 100):
        created = at(MONDAY)
        make(
            created=created,
            first_response=created + timedelta(minutes=minutes),
            resolved=created + timedelta(minutes=minutes * 2),
            closed=created + timedelta(minutes=minutes * 2),
        )
    result = week()
    assert result["median_first_response_minutes"] == 30.0
    assert result["median_resolution_minutes"] == 60.0


def test_python_median_fallback_agrees_with_postgresql(week_of_tickets):
    start, end = metrics.local_bounds(MONDAY, FRIDAY)
    closed = Ticket.objects.filter(closed_at__gte=start, closed_at__lt=end)
    assert metrics._python_median(closed, "first_response_at") == 30.0
    assert metrics._python_median(closed, "resolved_at") == 180.0
    assert metrics._python_median(closed.none(), "resolved_at") is None


def test_empty_period_gives_zero_counts_and_null_figures(week_of_tickets):
    result = metrics.summary(metrics.Filters(date_from=date(2025, 1, 5), date_to=date(2025, 1, 9)))
    assert result["tickets_opened"] == result["tickets_closed"] == result["backlog"] == 0
    assert result["surveys_sent"] == result["surveys_answered"] == 0
    for field in (
        "median_first_response_minutes",
        "median_resolution_minutes",
        "sla_met_pct",
        "response_rate_pct",
        "quality_mean",
        "quality_satisfaction_pct",
        "timeliness_mean",
        "timeliness_satisfaction_pct",
        "remote_pct",
        "goal_quality_satisfaction_pct",
    ):
        assert result[field] is None, field


def test_days_are_district_days_at_midnight(make):
    inside = [at(MONDAY, 0, 0), at(FRIDAY, 23, 59)]  # Friday 23:59 Chicago is Saturday in UTC
    outside = [at(MONDAY - timedelta(days=1), 23, 59), at(FRIDAY + timedelta(days=1), 0, 0)]
    for moment in inside + outside:
        make(created=moment - timedelta(hours=1), resolved=moment, closed=moment)
    assert week()["tickets_closed"] == 2
    assert metrics.summary(metrics.Filters(date_from=FRIDAY, date_to=FRIDAY))["tickets_closed"] == 1


def test_reopened_ticket_counts_where_it_finally_closed(make, technician):
    ticket = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    survey(ticket, quality=5, timeliness=5)
    services.reopen_ticket(actor=technician, ticket=ticket, reason="It broke again")
    result = week()
    assert result["tickets_closed"] == 0
    assert result["surveys_sent"] == 0
    assert result["backlog"] == 1  # open again, as far as today's data knows
    # Re-closed the next week: counted there, with its one survey.
    Ticket.objects.filter(pk=ticket.pk).update(
        status="closed", resolved_at=at(MONDAY + timedelta(days=7)), closed_at=at(MONDAY + timedelta(days=7), 1)
    )
    assert week()["tickets_closed"] == 0
    later = metrics.summary(metrics.Filters(date_from=MONDAY + timedelta(days=7), date_to=FRIDAY + timedelta(days=7)))
    assert later["tickets_closed"] == 1 and later["surveys_answered"] == 1


def test_filters_by_school_technician_and_category(week_of_tickets, make, technician):
    other_tech = factories.TechnicianFactory()
    other_school = factories.SchoolFactory()
    other_category = factories.CategoryFactory()
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), assignee=other_tech)
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=other_school)
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), category=other_category)
    assert week()["tickets_closed"] == 8
    assert week(technician=other_tech.pk)["tickets_closed"] == 1
    assert week(technician=technician.pk)["tickets_closed"] == 7
    assert week(school=other_school.pk)["tickets_closed"] == 1
    assert week(category=other_category.pk)["tickets_closed"] == 1
    assert week(school=other_school.pk, technician=other_tech.pk)["tickets_closed"] == 0


def test_goal_is_the_one_of_the_school_year_containing_date_to():
    Goal.objects.create(school_year="2025-2026", quality_satisfaction_pct=94)
    Goal.objects.create(school_year="2026-2027", quality_satisfaction_pct=97)
    assert week()["goal_quality_satisfaction_pct"] == 94.0
    summer = metrics.summary(metrics.Filters(date_from=date(2026, 7, 1), date_to=date(2026, 8, 1)))
    assert summer["goal_quality_satisfaction_pct"] == 97.0


def test_goal_dates_default_to_august_through_july():
    goal = Goal.objects.create(school_year="2026-2027", quality_satisfaction_pct=97)
    assert (goal.start_date, goal.end_date) == (date(2026, 8, 1), date(2027, 7, 31))


def test_summary_takes_five_queries_whatever_the_data(week_of_tickets, make, django_assert_num_queries):
    # 1 tickets opened, 2 the closed tickets' figures and medians, 3 their survey figures,
    # 4 the backlog, 5 the goal. (On SQLite the medians add a query each, which the tests don't run.)
    with django_assert_num_queries(5):
        week()
    for day in range(20):
        ticket = make(
            created=at(MONDAY, 8), resolved=at(MONDAY, 9 + day % 8), closed=at(MONDAY + timedelta(days=1), 10)
        )
        survey(ticket, quality=1 + day % 5, timeliness=5)
    with django_assert_num_queries(5):
        week()
