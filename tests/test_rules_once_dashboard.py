"""Rules the dashboard and the API share: SLA met, the school year, the range cap, the ranking threshold, the index."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.rules_once_helpers import api_as, page_as
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- "SLA met": one definition, pauses included ---------------------------------------------


def _finished(ticket: Ticket, *, responded, paused, resolved, due) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Ticket.Status.CLOSED,
        first_response_at=responded,
        sla_paused_at=paused,
        resolved_at=resolved,
        closed_at=resolved,
        response_due_at=due,
        resolution_due_at=due,
    )
    ticket.refresh_from_db()
    return ticket


def test_the_breach_rule_and_both_dashboard_doors_agree_on_sla_met(teacher, category, director):
    from surveys import metrics
    from surveys.dashboard.rollup import rebuild_daily_stats
    from tickets import sla

    due = timezone.now() - timedelta(hours=6)
    hour = timedelta(hours=1)
    made = [factories.TicketFactory(requester=teacher, category=category) for _ in range(4)]
    tickets = [
        # in time
        _finished(made[0], responded=due - 3 * hour, paused=None, resolved=due - hour, due=due),
        # resolved late
        _finished(made[1], responded=due - 3 * hour, paused=None, resolved=due + hour, due=due),
        # waiting on the requester from before the due date, closed while still waiting: the
        # clock stopped when it started waiting (the breach job never flagged it)
        _finished(made[2], responded=due - 3 * hour, paused=due - 2 * hour, resolved=due + 3 * hour, due=due),
        # fixed in time without a public reply first: the fix is the response
        _finished(made[3], responded=None, paused=None, resolved=due - hour, due=due),
    ]
    assert [sla.sla_met(t) for t in tickets] == [True, False, True, True]

    today = timezone.localdate()
    filters = metrics.Filters(date_from=today - timedelta(days=2), date_to=today)
    assert metrics.summary(filters)["sla_met_pct"] == 75.0  # the API's figure
    response = api_as(director).get(
        "/api/metrics/summary/", {"date_from": filters.date_from.isoformat(), "date_to": today.isoformat()}
    )
    assert response.json()["sla_met_pct"] == 75.0
    rebuild_daily_stats(filters.date_from, today)
    rolled = metrics.rollup_counters(filters)  # the dashboard page's figure
    assert (rolled["sla_met"], rolled["sla_due"]) == (3, 4)
    assert metrics.dashboard_summary(filters)["sla_met_pct"] == 75.0


# --- the school year: the district's choice, August 1 by default -----------------------------


def test_the_school_year_starts_august_first_by_default_everywhere(db):
    from datetime import date

    from demo.timelines import school_year_start
    from schools.calendar import school_year_bounds, school_year_of
    from schools.models import Closure
    from schools.services import load_federal_holidays
    from surveys.dashboard.selectors import term_bounds
    from surveys.models import Goal

    july = date(2026, 7, 15)
    assert school_year_bounds(july) == (date(2025, 8, 1), date(2026, 7, 31))
    assert school_year_of(july) == 2025 and school_year_start(july) == date(2025, 8, 1)
    assert term_bounds(july) == (date(2026, 1, 1), date(2026, 7, 31))
    assert term_bounds(date(2026, 8, 3)) == (date(2026, 8, 1), date(2026, 12, 31))
    goal = Goal.objects.create(school_year="2026-2027", quality_satisfaction_pct=94)
    assert (goal.start_date, goal.end_date) == (date(2026, 8, 1), date(2027, 7, 31))
    load_federal_holidays(actor=None, school_year=2026)
    days = set(Closure.objects.values_list("start_date", flat=True))
    assert date(2026, 7, 3) not in days  # Independence Day (observed) 2026 belongs to the year before
    assert {date(2026, 9, 7), date(2027, 7, 5)} <= days  # Labor Day; Independence Day (observed) 2027


def test_a_district_that_starts_in_july_moves_every_school_year_with_it(director):
    from datetime import date

    from schools.services import update_calendar
    from surveys import metrics
    from surveys.models import Goal

    update_calendar(actor=director, changes={"school_year_start_month": 7})
    goal = Goal.objects.create(school_year="2026-2027", quality_satisfaction_pct=94)
    assert (goal.start_date, goal.end_date) == (date(2026, 7, 1), date(2027, 6, 30))
    assert metrics.default_range(date(2025, 7, 2)) == (date(2025, 7, 1), date(2025, 7, 2))


def test_both_doors_default_to_the_same_school_year(director):
    from schools.calendar import school_year_bounds
    from schools.services import update_calendar

    today = timezone.localdate()
    for month in (8, today.month):  # the default, then a district whose year started this month
        update_calendar(actor=director, changes={"school_year_start_month": month})
        start = school_year_bounds(today)[0]
        api = api_as(director).get("/api/metrics/summary/").json()
        page = page_as(director).get(reverse("dashboard")).context["form"].cleaned_data
        assert api["date_from"] == start.isoformat() and page["date_from"] == start


def test_calendar_refuses_a_month_that_does_not_exist(director):
    response = api_as(director).patch("/api/calendar/1/", {"school_year_start_month": 13}, format="json")
    assert response.status_code == 400 and "school_year_start_month" in response.json()


# --- the dashboard's date range: one cap ---------------------------------------------------


def test_both_doors_refuse_a_range_over_five_years(director):
    params = {"date_from": "2015-01-01", "date_to": "2025-01-01"}
    response = api_as(director).get("/api/metrics/summary/", params)
    assert response.status_code == 400
    assert response.json() == {"date_from": ["Choose a range of five years or less."]}
    page = page_as(director).get(reverse("dashboard"), {"period": "custom", **params})
    assert page.status_code == 400  # the page shows the form with its error
    assert page.context["form"].errors["date_from"] == ["Choose a range of five years or less."]


# --- the ranking threshold: one constant in surveys.metrics -----------------------------------


def test_the_dashboard_and_the_monthly_report_rank_from_the_same_number_of_answers():
    from surveys import metrics
    from surveys.dashboard import report

    def row(name: str, answered: int, quality: float) -> dict:
        return {
            "id": name,
            "name": name,
            "surveys_answered": answered,
            "tickets_closed": answered + 1,
            "quality_satisfaction_pct": quality,
            "timeliness_satisfaction_pct": quality,
        }

    enough = metrics.MIN_ANSWERS_TO_RANK
    rows = [row("Short", enough - 1, 10.0), row("Counted", enough, 50.0), row("Best", enough + 3, 90.0)]
    assert [r["name"] for r in rows if metrics.is_rankable(r)] == ["Counted", "Best"]
    ranked = report.rank_schools(rows)
    assert ranked["ranked_count"] == 2 and ranked["unranked_count"] == 1
    assert not hasattr(report, "MIN_ANSWERS_TO_RANK")
    from surveys.dashboard import selectors

    assert not hasattr(selectors, "MIN_ANSWERS_FOR_RANKING")


# --- the metrics' covering index holds every column SLA_MET reads ---------------------------


def _columns_read_by(condition) -> set[str]:
    from django.db.models import F, Q

    columns: set[str] = set()
    for child in condition.children:
        if isinstance(child, Q):
            columns |= _columns_read_by(child)
            continue
        lookup, value = child
        columns.add(lookup.split("__")[0])
        if isinstance(value, F):
            columns.add(value.name)
    return columns


def test_the_closed_metrics_index_covers_every_column_sla_met_reads():
    from tickets.sla.breaches import SLA_FIELDS, SLA_MET

    index = next(index for index in Ticket._meta.indexes if index.name == "ticket_closed_metrics")
    covered = {*index.fields, *index.include}
    read = _columns_read_by(SLA_MET)
    assert "sla_paused_at" in read and read == set(SLA_FIELDS)
    assert read <= covered, read - covered
