"""Sign-in bookkeeping is deleted after a while (schools/retention.py, the nightly beat tasks)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from schools import tasks

pytestmark = pytest.mark.django_db


def test_expired_sessions_are_cleared_and_live_ones_kept(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    tasks.clear_expired_sessions.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_lockout_records_older_than_the_kept_days_are_deleted(settings):
    settings.HELPDESK_LOCKOUT_KEEP_DAYS = 90
    fields = {
        "user_agent": "test",
        "ip_address": "10.0.0.1",
        "username": "teacher",
        "http_accept": "*/*",
        "path_info": "/",
    }
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        old = model.objects.create(**fields, **({"failures_since_start": 1} if model is AccessAttempt else {}))
        model.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=91))
    recent_log = AccessLog.objects.create(**fields)
    recent_attempt = AccessAttempt.objects.create(**{**fields, "username": "tech"}, failures_since_start=3)

    assert tasks.prune_lockout_records.delay().get() == 3

    assert list(AccessLog.objects.all()) == [recent_log]
    assert list(AccessAttempt.objects.all()) == [recent_attempt]
    assert not AccessFailureLog.objects.exists()


def test_the_retention_jobs_are_scheduled_nightly(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"schools.tasks.clear_expired_sessions", "schools.tasks.prune_lockout_records"} <= tasks_scheduled
