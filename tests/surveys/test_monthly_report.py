"""The monthly report email: figures against hand-computed fixtures, once per director per month.

Times are district time (America/Chicago). The report month is March 2026, compared with
February 2026, under the 2025-2026 goals of 94% quality and 97% timeliness satisfaction.
"""
# ruff: noqa: F811 - the shared fixtures of monthly_report_helpers are imported by name, then requested as arguments

from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import OutboundEmail
from surveys.dashboard import report
from surveys.models import DailyStatsState, MonthlyReport, SurveyResponse, SurveySettings
from tests import factories
from tests.surveys.monthly_report_helpers import MARCH, at, directors, goal, make, march, reports, send  # noqa: F401 - fixtures

# --- the figures ------------------------------------------------------------------------------


def figures(email: OutboundEmail) -> dict[str, str]:
    """The text version's "- label: value (was before), change" lines, by label."""
    lines = {}
    for line in email.body_text.splitlines():
        if line.startswith("- ") and ": " in line:
            label, rest = line[2:].split(": ", 1)
            lines.setdefault(label, rest)
    return lines


def test_figures_match_the_hand_computed_month(march, directors):
    with mock.patch.object(report.rollup, "rebuild_daily_stats", wraps=report.rollup.rebuild_daily_stats) as rebuild:
        (email, _other) = send()
    rebuild.assert_called_once_with(date(2026, 3, 1), date(2026, 3, 31))
    lines = figures(email)
    # The goals section comes first: quality 4, 4, 5 of 3 answers; timeliness 5, 3, 4.
    assert lines["Quality satisfaction"] == "100.0%. Goal: 94.0% (met)."
    assert lines["Timeliness satisfaction"] == "66.7%. Goal: 97.0% (not met)."
    # First responses 30, 60, 15, 50 minutes: median 40, against a goal of one hour.
    assert lines["Median time to first response"] == "40 min. Goal: at most 1 h (met)."
    assert lines["Requests opened"] == "6 (was 1), up 5"
    assert lines["Requests closed"] == "4 (was 1), up 3"
    assert lines["Still open at the end of the month"] == "2 (was 0), up 2 (worse)"
    # Resolutions 120, 240, 1440, 2100 minutes: median 840 = 14 h; February's was 60.
    assert lines["Median time to resolve"] == "14 h (was 1 h), up 13 h (worse)"
    assert lines["Within target times (SLA)"] == "66.7% (was 100.0%), down 33.3 points (worse)"
    assert lines["Survey response rate"] == "75.0% (was 100.0%), down 25.0 points (worse)"
    assert lines["Handled remotely"] == "75.0% (was 100.0%), down 25.0 points"
    assert "Quality satisfaction: 100.0% (was 100.0%), no change" in email.body_text
    assert email.subject == "Help desk report for March 2026: quality satisfaction 100.0% (goal 94.0%, met)"
    assert "(1 March to 31 March, district time), beside February" in email.body_text


def test_a_ticket_closed_at_2330_on_the_last_day_counts_in_that_month_and_not_the_next(march, directors):
    send()
    assert figures(reports()[0])["Requests closed"].startswith("4 ")
    # In April's report the 23:30 ticket is March's (compared), the 00:30 one is April's.
    MonthlyReport.objects.all().delete()
    april = [e for e in send(date(2026, 4, 1)) if e.to == "ada@district.example"][0]
    assert figures(april)["Requests closed"] == "1 (was 4), down 3"


def test_the_html_version_shows_the_same_figures_in_tables(march, directors):
    email = send()[0]
    assert "<table" in email.body_html
    assert "<strong>66.7%</strong>" in email.body_html
    assert "down 33.3 points (worse)" in email.body_html
    assert "Hello Ada," in email.body_html and "Hello Ada," in email.body_text


def test_the_dashboard_link_is_absolute_with_the_month_as_its_range(march, directors):
    email = send()[0]
    url = "https://helpdesk.district.example/dashboard/?period=custom&date_from=2026-03-01&date_to=2026-03-31"
    assert url in email.body_text
    assert url.replace("&", "&amp;") in email.body_html


def test_an_empty_month_says_no_data_and_never_zero_percent(directors, goal):
    email = send(date(2026, 1, 1))[0]
    lines = figures(email)
    assert lines["Quality satisfaction"] == "no data. Goal: 94.0% (no data)."
    assert lines["Median time to resolve"] == "no data (was no data)"
    assert lines["Requests closed"] == "0 (was 0), no change"
    for body in (email.body_text, email.body_html):
        assert "0.0%" not in body and "None" not in body
    assert "No school had 5 answers this month, so none is ranked." in email.body_text
    assert email.subject == "Help desk report for January 2026"


def test_a_month_without_goals_says_so(directors, make):
    email = send(date(2026, 1, 1))[0]
    assert figures(email)["Quality satisfaction"] == "no data. Goal: no goal set."


def test_the_follow_up_count_is_the_open_follow_up_list_today(march, directors):
    flagged = SurveyResponse.objects.filter(quality=1)  # the April ticket's answer, still open
    flagged.update(needs_follow_up=True)
    SurveyResponse.objects.filter(quality=5).update(needs_follow_up=True, followed_up_at=timezone.now())
    email = send()[0]
    assert "1 survey answer is waiting for someone to reach out (as of today):" in email.body_text
    assert "https://helpdesk.district.example/surveys/follow-up/" in email.body_text
    assert 'href="https://helpdesk.district.example/surveys/follow-up/"' in email.body_html


# --- best and worst schools -------------------------------------------------------------------


@pytest.fixture
def schools_with_answers(make, goal) -> dict[str, object]:
    """Answers per school in March: (quality ratings, timeliness rating for all)."""
    plan = {
        "Alder": ([5] * 5, 5),  # 100%, timeliness 100%
        "Birch": ([5] * 5, 3),  # 100%, timeliness 0%: ranked after Alder
        "Cedar": ([5, 5, 5, 5, 2], 4),  # 80%
        "Dogwood": ([5, 5, 5, 1, 1, 1], 4),  # 50%
        "Elm": ([5, 5, 1, 1, 1], 4),  # 40%
        "Fir": ([4, 1, 1, 1, 1], 4),  # 20%
        "Ginkgo": ([1, 1, 1, 1], 4),  # 0%, but only 4 answers: not ranked
    }
    schools = {}
    for index, (name, (qualities, timeliness)) in enumerate(plan.items()):
        school = factories.SchoolFactory(code=f"R{index}", name=f"{name} School")
        schools[name] = school
        for day, quality in enumerate(qualities, start=2):
            created = at(date(2026, 3, day))
            make(
                school=school,
                created=created,
                resolved=60,
                closed=created + timedelta(hours=2),
                quality=quality,
                timeliness=timeliness,
            )
    return schools


def section(text: str, heading: str, end: str) -> str:
    return text.split(heading, 1)[1].split(end, 1)[0]


def test_best_and_worst_schools_need_five_answers_and_the_email_says_so(schools_with_answers, directors):
    text = send()[0].body_text
    best = section(text, "Best:\n", "\n\n")
    lowest = section(text, "Lowest:\n", "\n\n")
    assert best.splitlines() == [
        "1. Alder School: 100.0% quality, 100.0% timeliness (5 answers)",
        "2. Birch School: 100.0% quality, 0.0% timeliness (5 answers)",
        "3. Cedar School: 80.0% quality, 100.0% timeliness (5 answers)",
    ]
    assert lowest.splitlines() == [
        "1. Fir School: 20.0% quality, 100.0% timeliness (5 answers)",
        "2. Elm School: 40.0% quality, 100.0% timeliness (5 answers)",
        "3. Dogwood School: 50.0% quality, 100.0% timeliness (6 answers)",
    ]
    assert "Ginkgo" not in text
    assert "Only schools with at least 5 survey answers in the month are ranked" in text
    assert "1 school had fewer answers and is not ranked." in text


def test_with_few_ranked_schools_no_school_is_both_best_and_worst() -> None:
    rows = [
        {
            "id": pk,
            "name": name,
            "quality_satisfaction_pct": pct,
            "timeliness_satisfaction_pct": 50.0,
            "surveys_answered": answers,
            "tickets_closed": answers,
        }
        for pk, (name, pct, answers) in enumerate([("A", 90.0, 5), ("B", 70.0, 9), ("C", 10.0, 5), ("D", 0.0, 2)])
    ]
    ranked = report.rank_schools(rows)
    assert [r["name"] for r in ranked["best"]] == ["A", "B"]
    assert [r["name"] for r in ranked["worst"]] == ["C"]
    assert ranked["unranked_count"] == 1
    one = report.rank_schools(rows[:1])
    assert [r["name"] for r in one["best"]] == ["A"] and one["worst"] == []


def test_hostile_school_and_director_names_are_escaped_in_the_html(make, goal, directors):
    school = factories.SchoolFactory(code="EVIL", name='<script>alert("x")</script> & <b>Elm</b>')
    for day in range(2, 7):
        created = at(date(2026, 3, day))
        make(school=school, created=created, resolved=60, closed=created + timedelta(hours=2), quality=5, timeliness=5)
    directors[0].first_name = "<img src=x onerror=alert(1)>"
    directors[0].save()
    email = [e for e in send() if e.to == "ada@district.example"][0]
    assert "<script>" not in email.body_html and "<img" not in email.body_html and "<b>Elm" not in email.body_html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Elm&lt;/b&gt;" in email.body_html
    # The text version is plain text: the name as written.
    assert '<script>alert("x")</script> & <b>Elm</b>: 100.0% quality' in email.body_text


# --- queries ------------------------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_tickets(make, goal, directors):
    SurveySettings.load()
    DailyStatsState.objects.get_or_create(pk=1)
    small = factories.SchoolFactory(code="Q0", name="Quince School")
    created = at(date(2026, 3, 2))
    make(
        school=small,
        created=created,
        first_response=5,
        resolved=60,
        closed=created + timedelta(hours=2),
        quality=5,
        timeliness=5,
    )
    with CaptureQueriesContext(connection) as few:
        assert len(send(MARCH)) == 2
    for index in range(6):
        school = factories.SchoolFactory(code=f"Q{index + 1}", name=f"School {index}")
        for day in range(1, 7):
            for month in (4, 5):
                created = at(date(2026, month, day))
                make(
                    school=school,
                    created=created,
                    first_response=day,
                    resolved=60 * day,
                    closed=created + timedelta(hours=2 * day),
                    due=True,
                    mode="remote",
                    quality=1 + (day + index) % 5,
                    timeliness=5,
                )
    with CaptureQueriesContext(connection) as many:
        assert len(send(date(2026, 5, 1))) == 2
    assert "Best:" in reports()[-1].body_text  # the larger month ranks schools
    assert len(many.captured_queries) == len(few.captured_queries), "\n".join(
        q["sql"][:160] for q in many.captured_queries
    )
