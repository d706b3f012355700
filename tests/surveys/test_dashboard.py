"""The director's dashboard pages, CSV export and metrics endpoints, through the client."""
# ruff: noqa: F811 - the shared fixtures of test_metrics are imported by name, then requested as arguments

import csv
import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys import metrics
from surveys.dashboard import rollup, selectors, tasks
from surveys.models import DailyStatsState, DailyTicketStats, Goal
from tests import factories
from tests.conftest import api_as
from tests.surveys.test_metrics import FRIDAY, MONDAY, at, make, survey  # noqa: F401 - fixtures
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

WEEK_QUERY = {"period": "custom", "date_from": MONDAY.isoformat(), "date_to": FRIDAY.isoformat()}


@pytest.fixture
def closed_week(make):
    """Three tickets closed in the week, two answered (quality 5 and 2)."""
    tickets = [
        make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), mode="remote") for _ in range(3)
    ]
    survey(tickets[0], quality=5, timeliness=5)
    survey(tickets[1], quality=2, timeliness=4)
    survey(tickets[2])
    rollup.rebuild_daily_stats(MONDAY - timedelta(days=30), FRIDAY + timedelta(days=30))
    return tickets


def signed_in(client, user):
    client.force_login(user)
    return client


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


# --- goals --------------------------------------------------------------------------------------


def test_director_adds_and_edits_goals_on_a_page(client, director):
    client = signed_in(client, director)
    response = client.post(
        reverse("dashboard-goals"),
        {"school_year": "2027-2028", "quality_satisfaction_pct": "97", "timeliness_satisfaction_pct": "90"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get(school_year="2027-2028")
    assert (goal.start_date, goal.quality_satisfaction_pct) == (date(2027, 8, 1), 97)
    client.post(
        reverse("dashboard-goal-edit", kwargs={"pk": goal.pk}),
        {"school_year": "2027-2028", "quality_satisfaction_pct": "95.5", "first_response_hours": "4"},
    )
    goal.refresh_from_db()
    assert (float(goal.quality_satisfaction_pct), float(goal.first_response_hours)) == (95.5, 4.0)
    client.post(
        reverse("dashboard-goal-edit", kwargs={"pk": goal.pk}),
        {"school_year": "2027-2028", "quality_satisfaction_pct": "95.5", "resolution_hours": "8", "sla_met_pct": "92"},
    )
    goal.refresh_from_db()
    assert (float(goal.resolution_hours), float(goal.sla_met_pct)) == (8.0, 92.0)


@pytest.mark.parametrize(
    "data",
    [
        {"school_year": "2027", "quality_satisfaction_pct": "97"},
        {"school_year": "2027-2028", "quality_satisfaction_pct": "140"},
        {"school_year": "2027-2028", "quality_satisfaction_pct": "abc"},
    ],
)
def test_bad_goals_are_form_errors(client, director, data):
    response = signed_in(client, director).post(reverse("dashboard-goals"), data)
    assert response.status_code == 400
    assert not Goal.objects.exists()


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_of_each_breakdown_has_the_dashboard_numbers(client, director, closed_week, school, technician, category):
    client = signed_in(client, director)
    for by, pk in (("school", school.pk), ("technician", technician.pk), ("category", category.pk)):
        response = client.get(reverse("dashboard-export"), {**WEEK_QUERY, "breakdown": by})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        header, *rows = read_csv(response)
        assert header[:2] == ["id", by]
        row = dict(zip(header, rows[0], strict=True))
        assert row["id"] == str(pk)
        assert (row["tickets_closed"], row["quality_satisfaction_pct"], row["response_rate_pct"]) == (
            "3",
            "50.0",
            "66.7",
        )


def test_csv_neutralises_formulas_in_names(client, director, make):
    school = factories.SchoolFactory(name='=HYPERLINK("http://evil")')
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=school)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    response = signed_in(client, director).get(reverse("dashboard-export"), {**WEEK_QUERY, "breakdown": "school"})
    names = [row[1] for row in read_csv(response)[1:]]
    assert names == ['\'=HYPERLINK("http://evil")']


def test_csv_filters_apply(client, director, closed_week, make):
    other = factories.SchoolFactory()
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=other)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    response = signed_in(client, director).get(
        reverse("dashboard-export"), {**WEEK_QUERY, "breakdown": "school", "school": other.pk}
    )
    assert [row[0] for row in read_csv(response)[1:]] == [str(other.pk)]


@pytest.mark.parametrize("query", [{"breakdown": "requester"}, {}, {"breakdown": "school", "date_from": "x"}])
def test_csv_bad_input_is_400(client, director, query):
    assert signed_in(client, director).get(reverse("dashboard-export"), query).status_code == 400


# --- API ----------------------------------------------------------------------------------------


def test_breakdown_endpoint(director, closed_week, school):
    response = api_as(director).get(
        "/api/metrics/breakdown/", {"by": "school", "date_from": MONDAY.isoformat(), "date_to": FRIDAY.isoformat()}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["by"] == "school"
    (row,) = body["results"]
    assert (row["id"], row["tickets_closed"], row["quality_satisfaction_pct"]) == (school.pk, 3, 50.0)


@pytest.mark.parametrize("path", ["/api/metrics/timeseries/", "/api/metrics/trend/"])
def test_timeseries_endpoint_and_its_older_name(director, closed_week, path):
    response = api_as(director).get(
        path, {"interval": "week", "date_from": MONDAY.isoformat(), "date_to": FRIDAY.isoformat()}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["interval"] == "week"
    assert [(p["period"], p["tickets_closed"]) for p in body["results"]] == [(MONDAY.isoformat(), 3)]


def test_timeseries_defaults_to_months(director, closed_week):
    body = api_as(director).get("/api/metrics/timeseries/", {"date_from": MONDAY.isoformat()}).json()
    assert body["interval"] == "month"
    assert body["results"][0]["period"] == MONDAY.replace(day=1).isoformat()


@pytest.mark.parametrize(
    "path",
    [
        "/api/metrics/breakdown/",
        "/api/metrics/breakdown/?by=requester",
        "/api/metrics/trend/?interval=day",
        "/api/metrics/timeseries/?interval=year",
        "/api/metrics/timeseries/?school=999999",
        "/api/metrics/trend/?date_from=2026-03-09&date_to=2026-03-01",
    ],
)
def test_metrics_endpoints_reject_bad_input_with_400(director, path):
    assert api_as(director).get(path).status_code == 400


def test_first_visit_builds_the_rollup(client, director, make):
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    assert not DailyTicketStats.objects.exists()
    response = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY)
    assert response.context["headline"]["tickets_closed"] == 1


def test_raw_figures_are_kept_until_the_rollup_is_refreshed(client, director, make):
    client = signed_in(client, director)
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    assert client.get(reverse("dashboard"), WEEK_QUERY).context["headline"]["median_resolution_minutes"] == 60.0
    make(created=at(MONDAY), resolved=at(MONDAY, 12), closed=at(MONDAY, 13))
    make(created=at(MONDAY), resolved=at(MONDAY, 12), closed=at(MONDAY, 13))
    # Same moment as the rollup: the medians stay with the counts they sit beside.
    assert client.get(reverse("dashboard"), WEEK_QUERY).context["headline"]["median_resolution_minutes"] == 60.0
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    headline = client.get(reverse("dashboard"), WEEK_QUERY).context["headline"]
    assert (headline["tickets_closed"], headline["median_resolution_minutes"]) == (3, 180.0)


def test_the_page_refreshes_a_rollup_that_beat_left_stale(client, director, make, settings):
    """No beat and no broker (the SQLite demo): the page refreshes the recent days itself."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = signed_in(client, director)
    day = timezone.localdate() - timedelta(days=2)
    query = {"period": "custom", "date_from": day.isoformat(), "date_to": day.isoformat()}
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    assert client.get(reverse("dashboard"), query).context["headline"]["tickets_closed"] == 1
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    # Refreshed minutes ago: the page shows the rollup as it stands, with its time.
    assert client.get(reverse("dashboard"), query).context["headline"]["tickets_closed"] == 1
    DailyStatsState.objects.update(refreshed_at=timezone.now() - selectors.STALE_AFTER - timedelta(minutes=1))
    response = client.get(reverse("dashboard"), query)
    assert response.context["headline"]["tickets_closed"] == 2
    assert response.context["refreshed_at"] > timezone.now() - timedelta(minutes=1)


def test_with_a_worker_a_stale_rollup_is_refreshed_by_it_and_the_page_does_not_wait(
    client, director, make, settings, monkeypatch
):
    """Beat stopped, the worker running: the page shows the figures it has, with their time, and
    asks the worker for one refresh however many pages are drawn meanwhile."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    asked = []
    monkeypatch.setattr("notifications.delivery.enqueue_on_commit", lambda task, *args: asked.append(task.name))
    client = signed_in(client, director)
    day = timezone.localdate() - timedelta(days=2)
    query = {"period": "custom", "date_from": day.isoformat(), "date_to": day.isoformat()}
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    rollup.rebuild_recent()
    make(created=at(day), resolved=at(day, 10), closed=at(day, 11))
    stale = timezone.now() - selectors.STALE_AFTER - timedelta(minutes=1)
    DailyStatsState.objects.update(refreshed_at=stale)
    for _ in range(3):
        response = client.get(reverse("dashboard"), query)
        assert response.context["headline"]["tickets_closed"] == 1  # the figures it has...
        assert response.context["refreshed_at"] == stale  # ...said to be as of then
    assert asked.count("surveys.dashboard.tasks.refresh_recent_daily_stats") == 1
    tasks.refresh_recent_daily_stats()  # the worker's run
    assert client.get(reverse("dashboard"), query).context["headline"]["tickets_closed"] == 2


def test_lowest_scoring_schools_and_their_recurring_problems(client, director, make):
    good, poor, few = (factories.SchoolFactory(name=n) for n in ("Good Elementary", "Poor Middle", "Few High"))
    for school, qualities in ((good, (5, 5, 5, 5, 4)), (poor, (1, 2, 5, 5, 3)), (few, (1,))):
        for quality in qualities:
            ticket = make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11), school=school)
            Ticket.objects.filter(pk=ticket.pk).update(title="Smartboard pen lost again")
            survey(ticket, quality=quality, timeliness=quality)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    context = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).context
    # "Few High" has one answer only: too few to rank.
    assert [row["name"] for row in context["lowest_schools"]] == ["Poor Middle", "Good Elementary"]
    poor_item = next(item for item in context["recurring"] if item["school_id"] == poor.pk)
    [problem] = poor_item["problems"]
    assert problem["opened"] == 5
    # The phrase, not its words one by one; "again" is a stop word.
    assert problem["phrases"] == [("smartboard pen lost", 5)]


def test_recurring_problems_are_phrases_per_category_in_both_languages(client, director, make, category):
    """Stop words of English and Spanish ("off", "won't", "turn", "no", "enciende") never show;
    a phrase needs two requests; each category keeps its own phrases."""
    printers = factories.CategoryFactory(name="Printers")
    titles = [
        (category, "Projector won't turn on in room 12"),
        (category, "Projector bulb off again"),
        (category, "El proyector no enciende"),
        (category, "Projector bulb flickers"),
        (printers, "Paper jam in the office printer"),
        (printers, "Paper jam again"),
        (printers, "Toner low"),
    ]
    for ticket_category, title in titles:
        ticket = make(created=at(MONDAY), category=ticket_category)
        Ticket.objects.filter(pk=ticket.pk).update(title=title)
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    context = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).context
    [item] = context["recurring"]
    problems = {p["name"]: p["phrases"] for p in item["problems"]}
    assert problems[category.name] == [("projector", 3), ("projector bulb", 2)]  # "proyector" is its own word
    assert problems["Printers"] == [("paper jam", 2)]
    content = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).content.decode()
    assert "“off”" not in content and "“paper jam” (2)" in content
    assert f"{category.name}: 4 requests, often about" in content


def test_the_boxes_say_what_is_drawn_on_first_load(client, director):
    """No query: a school year's figures by month, and the trend box says Month, the dates say the year."""
    response = signed_in(client, director).get(reverse("dashboard"))
    content = response.content.decode()
    assert response.context["interval"] == "month"
    assert re.search(r'<option value="month" selected>', content)
    date_from, date_to = metrics.default_range(timezone.localdate())
    assert f'value="{date_from.isoformat()}"' in content and f'value="{date_to.isoformat()}"' in content


def test_month_axes_read_like_aug_2026_and_priorities_are_capitalised(client, director, make):
    make(created=at(MONDAY), resolved=at(MONDAY, 10), closed=at(MONDAY, 11))
    rollup.rebuild_daily_stats(MONDAY, FRIDAY)
    query = {**WEEK_QUERY, "interval": "month"}
    response = signed_in(client, director).get(reverse("dashboard"), query)
    content = response.content.decode()
    assert response.context["chart_data"]["labels"] == ["Mar 2026"]
    assert '<time datetime="2026-03-01">Mar 2026</time>' in content
    assert response.context["chart_data"]["sla_labels"] == ["Critical", "High", "Normal", "Low"]
    assert '<th scope="row">Critical</th>' in content
    weekly = signed_in(client, director).get(reverse("dashboard"), WEEK_QUERY).context["chart_data"]["labels"]
    assert weekly == ["Mar 2"]


def test_a_schools_drill_down_keeps_the_dashboards_dates(client, director, closed_week, school):
    response = signed_in(client, director).get(reverse("dashboard"), {**WEEK_QUERY, "interval": "week"})
    content = response.content.decode()
    drill = (
        f"/dashboard/?period=custom&amp;date_from={MONDAY.isoformat()}&amp;date_to={FRIDAY.isoformat()}"
        f"&amp;school={school.pk}&amp;interval=week"
    )
    assert f'href="{drill}"' in content
    narrowed = client.get(drill.replace("&amp;", "&")).context
    assert (narrowed["filters"].date_from, narrowed["filters"].date_to, narrowed["filters"].school) == (
        MONDAY,
        FRIDAY,
        school.pk,
    )
