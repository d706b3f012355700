"""The director's dashboard pages, CSV export and metrics endpoints, through the client."""
# ruff: noqa: F811 - the shared fixtures of test_metrics and dashboard_helpers are imported by name, then requested as arguments

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from surveys import metrics
from surveys.dashboard import rollup
from surveys.models import Goal
from tests import factories
from tests.conftest import api_as
from tests.surveys.dashboard_helpers import WEEK_QUERY, closed_week, signed_in  # noqa: F401 - fixtures
from tests.surveys.test_metrics import FRIDAY, MONDAY, at, make, survey  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

# --- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "dashboard-goals", "dashboard-export"])
def test_technicians_and_requesters_get_403(client, technician, teacher, name):
    for user in (technician, teacher):
        assert signed_in(client, user).get(reverse(name), {"breakdown": "school"}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "path", ["/api/metrics/breakdown/?by=school", "/api/metrics/timeseries/", "/api/metrics/trend/"]
)
def test_metrics_endpoints_are_for_the_director_only(technician, teacher, path):
    for user in (technician, teacher):
        assert api_as(user).get(path).status_code == 403


# --- the page -----------------------------------------------------------------------------------


def test_dashboard_headline_equals_the_api_summary(client, director, closed_week, make):
    """The page adds its headline up from the school rows; the API counts raw tickets. Same numbers."""
    other = factories.SchoolFactory()
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=other, mode="remote")
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)  # what the beat refresh does
    headline = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).context["headline"]
    api = api_as(director).get("/api/metrics/summary/", WEEK_QUERY).json()
    assert api["tickets_closed"] == 4
    for key, value in api.items():
        assert headline[key] == value, key


def test_dashboard_shows_figures_against_the_goal_in_words(client, director, closed_week):
    Goal.objects.create(school_year="2025-2026", quality_satisfaction_pct=94)
    response = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY)
    assert response.status_code == 200
    tiles = {t["key"]: t for t in response.context["tiles"]}
    assert tiles["quality_satisfaction_pct"]["value"] == 50.0
    assert tiles["quality_satisfaction_pct"]["met"] is False
    content = response.content.decode()
    assert "below goal" in content
    assert "goal 94" in content
    # Chart data goes through json_script and equals the table numbers.
    data = json.loads(
        re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', content).group(1)
    )
    assert data["quality"] == [p["quality_satisfaction_pct"] for p in response.context["trend"]]
    assert "<script>" not in content.split("dashboard-data")[0].split("</main>")[-1]


def test_the_director_sees_surveys_opened_but_not_answered(client, director, closed_week, make):
    """closed_week's third survey is unanswered; a teacher's browser opened it. Answered ones never count."""
    unanswered = closed_week[2].survey_invitation
    unanswered.landed_at = at(MONDAY, 12)
    unanswered.save()
    answered = closed_week[0].survey_invitation
    answered.landed_at = at(MONDAY, 12)
    answered.save()
    never_opened = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    survey(never_opened)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    response = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY)
    tiles = {t["key"]: t for t in response.context["tiles"]}
    assert tiles["surveys_opened_unanswered"]["value"] == 1
    assert "Surveys opened, not answered" in response.content.decode()


def test_goal_met_is_said_in_words(client, director, make):
    ticket = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    survey(ticket, quality=5, timeliness=5)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    Goal.objects.create(school_year="2025-2026", quality_satisfaction_pct=94)
    content = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).content.decode()
    assert "goal met" in content


def test_no_inline_scripts_on_the_page(client, director, closed_week):
    content = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).content.decode()
    for tag in re.findall(r"<script[^>]*>", content):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_hostile_names_are_escaped(client, director, make):
    school = factories.SchoolFactory(name="<script>alert('s')</script>")
    category = factories.CategoryFactory(name="<script>alert('c')</script>")
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=school, category=category)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    content = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;s&#x27;)" in content


def test_breakdown_rows_drill_into_the_filtered_ticket_list(
    client, director, closed_week, school, technician, category
):
    response = signed_in(client, director).get(reverse("dashboard"), {**WEEK_QUERY, "category": category.pk})
    content = response.content.decode()
    assert f'href="/tickets/?category={category.pk}&amp;school={school.pk}"' in content
    assert f'href="/tickets/?category={category.pk}&amp;assignee={technician.pk}"' in content


def test_filters_narrow_the_figures(client, director, closed_week, make):
    other = factories.SchoolFactory()
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=other)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    client = signed_in(client, director)
    everything = client.get(reverse("dashboard"), WEEK_QUERY).context["headline"]
    one = client.get(reverse("dashboard"), {**WEEK_QUERY, "school": other.pk}).context["headline"]
    assert (everything["tickets_closed"], one["tickets_closed"]) == (4, 1)


@pytest.mark.parametrize(
    "query",
    [
        {"period": "custom", "date_from": "2026-03-09", "date_to": "2026-03-02"},
        {"period": "custom", "date_from": "not-a-date"},
        {"school": "999999"},
        {"period": "fortnight"},
        {"interval": "decade"},
    ],
)
def test_bad_filters_answer_400_not_500(client, director, query):
    assert signed_in(client, director).get(reverse("dashboard"), query).status_code == 400


def test_default_period_is_the_school_year_and_last_30_days_works(client, director):
    client = signed_in(client, director)
    default = client.get(reverse("dashboard")).context["filters"]
    assert default.date_from == metrics.default_range()[0]
    last = client.get(reverse("dashboard"), {"period": "last_30"}).context["filters"]
    assert (last.date_to - last.date_from).days == 29


def _page_queries(client, django_assert_max_num_queries):
    # At most 29 (cold cache; 16 once medians, backlog, surveys opened, title words and cost are
    # cached): session, user with their groups (2); rollup refreshed at (1); goals (1); three
    # breakdowns, the headline adding up the school rows (3); medians, backlog by age, surveys opened but
    # not answered (3); recurring categories, title words (2); trend (1); SLA by priority (1);
    # follow-up (1); the filter form's school, technician and category choices (3); the district
    # calendar row for when the school year starts (the term's bounds), only when no goal covers
    # the day (1); the cost figures: devices, device tickets, repeat repairs, maintenance,
    # technicians, vendor cases (6, surveys/cost.py); the same period last year: its rollup
    # counters, medians, backlog by age, surveys opened but not answered (4; 1 once cached).
    with django_assert_max_num_queries(29) as captured:
        assert client.get(reverse("dashboard"), WEEK_QUERY).status_code == 200
    return len(captured)


def test_dashboard_query_count_does_not_grow_with_data(client, director, make, django_assert_max_num_queries, settings):
    # Counted as production serves it, with the cache in Redis: without Redis the cache is
    # the database's and each cache call is a query too (settings: "Cache and sessions").
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = signed_in(client, director)
    for quality in (1, 2, 3, 4, 5, 5):  # enough answers to rank the school among the lowest
        ticket = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
        survey(ticket, quality=quality, timeliness=quality)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    few = _page_queries(client, django_assert_max_num_queries)
    for _ in range(3):
        school = factories.SchoolFactory()
        tech = factories.TechnicianFactory()
        for quality in (1, 2, 3, 4, 5, 5):
            t = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=school, assignee=tech)
            survey(t, quality=quality, timeliness=quality)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    assert _page_queries(client, django_assert_max_num_queries) == few


def test_each_tile_is_against_the_same_period_last_year(client, director, closed_week, make):
    """closed_week: three tickets filed Monday 9:00, resolved 10:00 (1 h). A year earlier: two
    filed Tuesday 2025-03-03 9:00, resolved at 11:00 and 13:00 (median 3 h), one of them answered
    (quality 5: 100%); and one the week after, outside the period."""
    year_ago = date(2025, 3, 3)
    earlier = [
        make(created=at(year_ago), resolved=at(year_ago, hour), closed=at(year_ago, hour + 1)) for hour in (11, 13)
    ]
    survey(earlier[0], quality=5, timeliness=5)
    make(created=at(year_ago + timedelta(days=7)), resolved=at(year_ago + timedelta(days=7), 10))
    rollup.rebuild_daily_stats(year_ago - timedelta(days=7), year_ago + timedelta(days=14))
    response = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY)
    tiles = {t["key"]: t for t in response.context["tiles"]}
    assert (tiles["tickets_opened"]["value"], tiles["tickets_opened"]["last_year"]) == (3, 2)
    assert (tiles["tickets_closed"]["value"], tiles["tickets_closed"]["last_year"]) == (3, 2)
    assert (tiles["median_resolution_minutes"]["value"], tiles["median_resolution_minutes"]["last_year"]) == (
        "1 h",
        "3 h",
    )
    assert (tiles["quality_satisfaction_pct"]["value"], tiles["quality_satisfaction_pct"]["last_year"]) == (50.0, 100.0)
    content = response.content.decode()
    assert "same time last year: 3 h" in content
    assert "same time last year: 100 %" in content


def test_resolution_and_sla_goals_are_on_the_tiles_in_hours_and_minutes(client, director, closed_week):
    Goal.objects.create(
        school_year="2025-2026", quality_satisfaction_pct=94, resolution_hours=Decimal("0.5"), sla_met_pct=90
    )
    response = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY)
    tiles = {t["key"]: t for t in response.context["tiles"]}
    resolution = tiles["median_resolution_minutes"]
    assert (resolution["value"], resolution["goal"], resolution["met"]) == ("1 h", "30 min", False)
    assert tiles["sla_met_pct"]["goal"] == 90.0
    goals_page = signed_in(client, director).get(reverse("dashboard-goals")).content.decode()
    assert "30 min" in goals_page  # the same words as the tile
