"""The monthly report's delivery: who gets it and how often, its switch, the command, the task and its schedule."""
# ruff: noqa: F811 - the shared fixtures of monthly_report_helpers are imported by name, then requested as arguments

import threading
from io import StringIO
from unittest import mock

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from helpdesk.celery import app as celery_app
from notifications import tasks as notification_tasks
from surveys.dashboard import report
from surveys.dashboard import tasks as dashboard_tasks
from surveys.models import MonthlyReport, SurveySettings
from tests import factories
from tests.surveys.monthly_report_helpers import MARCH, directors, goal, make, march, others, reports, send  # noqa: F401 - fixtures

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
