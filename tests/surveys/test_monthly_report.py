"""The monthly report email: figures against hand-computed fixtures, once per director per month.

Times are district time (America/Chicago). The report month is March 2026, compared with
February 2026, under the 2025-2026 goals of 94% quality and 97% timeliness satisfaction.
"""

import secrets
import threading
from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpdesk.celery import app as celery_app
from notifications import tasks as notification_tasks
from notifications.models import OutboundEmail
from surveys.dashboard import report
from surveys.dashboard import tasks as dashboard_tasks
from surveys.models import DailyStatsState, Goal, MonthlyReport, SurveyInvitation, SurveyResponse, SurveySettings
from tests import factories
from tickets.models import Ticket

CHICAGO = ZoneInfo("America/Chicago")
MARCH = date(2026, 3, 1)
KIND = report.KIND


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHICAGO)


def reports() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=KIND).order_by("to", "pk"))


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.create(
        school_year="2025-2026",
        quality_satisfaction_pct=94,
        timeliness_satisfaction_pct=97,
        first_response_hours=1,
    )


@pytest.fixture
def make(db, category, technician):
    """A ticket at a school with the timestamps given (minutes after `created`) and, if asked, a survey."""
    requesters: dict[int, object] = {}

    def _make(
        *,
        school=None,
        created: datetime,
        first_response: int | None = None,
        resolved: datetime | int | None = None,
        closed: datetime | None = None,
        due: bool = False,
        met: bool = True,
        mode: str | None = None,
        quality: int | None = None,
        timeliness: int | None = None,
        surveyed: bool = False,
    ) -> Ticket:
        school = school or factories.SchoolFactory(code="HOME", name="Home Elementary")
        if school.pk not in requesters:
            requesters[school.pk] = factories.UserFactory(profile__school=school)
        ticket = factories.TicketFactory(requester=requesters[school.pk], category=category)
        first_at = None if first_response is None else created + timedelta(minutes=first_response)
        resolved_at = created + timedelta(minutes=resolved) if isinstance(resolved, int) else resolved
        fields = {
            "status": Ticket.Status.CLOSED
            if closed
            else Ticket.Status.RESOLVED
            if resolved
            else Ticket.Status.ASSIGNED,
            "assignee": technician,
            "created_at": created,
            "first_response_at": first_at,
            "resolved_at": resolved_at,
            "closed_at": closed,
            "service_mode": mode,
            "response_due_at": None,
            "resolution_due_at": None,
        }
        if due:
            fields["response_due_at"] = first_at + timedelta(minutes=5 if met else -5)
            fields["resolution_due_at"] = resolved_at + timedelta(minutes=5)
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
        ticket.refresh_from_db()
        if surveyed or quality is not None:
            invitation = SurveyInvitation.objects.create(
                ticket=ticket, token=secrets.token_urlsafe(32), email="t@district.example", sent_at=closed
            )
            if quality is not None:
                SurveyResponse.objects.create(
                    invitation=invitation,
                    ticket=ticket,
                    quality=quality,
                    timeliness=timeliness,
                    answered_at=closed + timedelta(hours=1),
                )
        return ticket

    return _make


@pytest.fixture
def march(make, goal) -> None:
    """Four tickets closed in March with known times and answers, one in February, and the backlog."""
    # created, first response (min), resolved (min), closed, SLA due?, met?, mode, quality, timeliness
    make(
        created=at(date(2026, 3, 2)),
        first_response=30,
        resolved=120,
        closed=at(date(2026, 3, 3)),
        due=True,
        mode="remote",
        quality=5,
        timeliness=5,
    )
    make(
        created=at(date(2026, 3, 10)),
        first_response=60,
        resolved=240,
        closed=at(date(2026, 3, 11)),
        due=True,
        met=False,
        mode="on_site",
        quality=4,
        timeliness=3,
    )
    make(
        created=at(date(2026, 3, 16), 8),
        first_response=15,
        resolved=1440,
        closed=at(date(2026, 3, 18)),
        mode="remote",
        quality=4,
        timeliness=4,
    )
    # Closed at 23:30 on the last day, district time (05:30 UTC on April 1): a March ticket.
    make(
        created=at(date(2026, 3, 30)),
        first_response=50,
        resolved=at(date(2026, 3, 31), 20),
        closed=at(date(2026, 3, 31), 23, 30),
        due=True,
        mode="remote",
        surveyed=True,
    )
    # Closed at 00:30 on April 1: April's, and still open at the end of March (backlog).
    make(
        created=at(date(2026, 3, 31), 10),
        first_response=5,
        resolved=at(date(2026, 4, 1), 0, 10),
        closed=at(date(2026, 4, 1), 0, 30),
        quality=1,
        timeliness=1,
    )
    make(created=at(date(2026, 3, 20)))  # still open: backlog
    # February, for the comparison.
    make(
        created=at(date(2026, 2, 10)),
        first_response=10,
        resolved=60,
        closed=at(date(2026, 2, 11)),
        due=True,
        mode="remote",
        quality=5,
        timeliness=5,
    )


@pytest.fixture
def directors(db) -> list:
    return [
        factories.DirectorFactory(username="ada", first_name="Ada", email="ada@district.example"),
        factories.DirectorFactory(username="bea", first_name="Bea", email="bea@district.example"),
    ]


@pytest.fixture
def others(db, technician, teacher) -> None:
    """People who must never get the report."""
    factories.DirectorFactory(username="gone", email="gone@district.example", is_active=False)
    factories.DirectorFactory(username="noaddress", email="")


def send(month: date = MARCH, **kwargs) -> list[OutboundEmail]:
    return report.send_monthly_report(month=month, **kwargs)


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


# --- who gets it, and how often ----------------------------------------------------------------


def test_each_active_director_with_an_address_gets_one_and_nobody_else(march, directors, others):
    send()
    assert [e.to for e in reports()] == ["ada@district.example", "bea@district.example"]


def test_running_twice_sends_one_email_per_director(march, directors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send()
    with django_capture_on_commit_callbacks(execute=True):
        second = send()
    assert len(first) == 2 and second == []
    assert len(reports()) == 2
    assert len([m for m in mail.outbox if m.subject.startswith("Help desk report")]) == 2
    assert MonthlyReport.objects.filter(month=MARCH).count() == 2


def test_a_director_added_later_gets_it_on_the_next_run(march, directors):
    send()
    late = factories.DirectorFactory(username="cai", email="cai@district.example")
    again = send()
    assert [e.to for e in again] == [late.email]
    assert len(reports()) == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_one_email_per_director():
    factories.DirectorFactory(username="ada", email="ada@district.example")
    factories.DirectorFactory(username="bea", email="bea@district.example")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    queued: list[int] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            queued.append(len(report.send_monthly_report(month=MARCH)))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(queued) == 2
    assert sorted(e.to for e in reports()) == ["ada@district.example", "bea@district.example"]
    assert MonthlyReport.objects.count() == 2


def test_the_email_is_in_the_outbox_before_any_send_and_survives_a_broker_outage(
    march, directors, django_capture_on_commit_callbacks, settings
):
    with mock.patch.object(
        notification_tasks.send_email, "apply_async", side_effect=OSError("Redis is down")
    ) as queued:
        with django_capture_on_commit_callbacks(execute=True):
            emails = send()
    assert queued.call_count == 2  # asked, after commit, and refused
    assert all(e.sent_at is None for e in reports()) and len(reports()) == 2
    assert not [m for m in mail.outbox if m.subject.startswith("Help desk report")]
    settings.HELPDESK_OUTBOX_RETRY_AFTER_SECONDS = 0
    notification_tasks.sweep_outbox()
    delivered = [m for m in mail.outbox if m.subject.startswith("Help desk report")]
    assert sorted(m.to[0] for m in delivered) == ["ada@district.example", "bea@district.example"]
    assert delivered[0].alternatives[0][1] == "text/html"
    assert {e.pk for e in emails} == {e.pk for e in reports() if e.sent_at is not None}


def test_the_switch_in_survey_settings_turns_it_off_and_force_overrides_it(march, directors):
    settings_row = SurveySettings.load()
    settings_row.monthly_report_enabled = False
    settings_row.save()
    assert send() == []
    assert len(send(force=True)) == 2


def test_the_switch_is_edited_with_the_other_survey_settings(client, db):
    director = factories.DirectorFactory(is_staff=True)
    SurveySettings.load()
    client.force_login(director)
    page = client.get("/admin/surveys/surveysettings/1/change/")
    assert page.status_code == 200
    assert 'name="monthly_report_enabled"' in page.content.decode()
    assert 'name="sample_percent"' in page.content.decode()


def test_a_month_that_has_not_ended_is_refused(directors):
    with pytest.raises(report.ReportNotReady):
        send(timezone.localdate())


def test_the_default_month_is_last_month_in_district_time(directors):
    send(month=None)
    expected = report.previous_month(timezone.localdate())
    assert set(MonthlyReport.objects.values_list("month", flat=True)) == {expected}


# --- command, task, schedule ------------------------------------------------------------------


def test_the_command_sends_a_given_month_once_unless_forced(march, directors):
    out = StringIO()
    call_command("send_monthly_report", "--month", "2026-03", stdout=out)
    assert "Queued the report for 2 director(s)" in out.getvalue()
    out = StringIO()
    call_command("send_monthly_report", "--month", "2026-03", stdout=out)
    assert "Nothing to send" in out.getvalue()
    assert len(reports()) == 2
    call_command("send_monthly_report", "--month", "2026-03", "--force", stdout=StringIO())
    assert len(reports()) == 4
    assert MonthlyReport.objects.filter(forced=True).count() == 2
    assert "Requests closed: 4 (was 1)" in reports()[-1].body_text


def test_the_command_refuses_a_malformed_or_unfinished_month(directors):
    with pytest.raises(CommandError, match="YYYY-MM|2026-03"):
        call_command("send_monthly_report", "--month", "March")
    with pytest.raises(CommandError, match="has not ended yet"):
        call_command("send_monthly_report", "--month", timezone.localdate().strftime("%Y-%m"))


def test_the_task_sends_last_months_report(directors):
    assert dashboard_tasks.send_monthly_report() == 2
    assert dashboard_tasks.send_monthly_report() == 0


def test_the_beat_schedule_runs_a_real_task_every_morning():
    """Daily: once per director and month comes from the ledger, so an outage on the 1st loses nothing."""
    entry = settings.CELERY_BEAT_SCHEDULE["send-monthly-report"]
    celery_app.loader.import_default_modules()
    assert entry["task"] in celery_app.tasks
    assert entry["task"] == dashboard_tasks.send_monthly_report.name
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert schedule.day_of_month == set(range(1, 32)) and schedule.hour == {6}


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
