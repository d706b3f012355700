"""/health/ and the compose health checks (helpdesk/health.py, helpdesk/healthcheck.py)."""

import json
import time

import pytest
from django.core.cache import cache

from helpdesk import health, healthcheck
from helpdesk.celery import app as celery_app
from tests.factories import TechnicianFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_worker_and_beat(settings):
    """As in production: tasks go to a broker, so worker and beat heartbeats are checked."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HEALTH_HEARTBEAT_MAX_AGE_SECONDS = 300
    cache.delete_many([health.WORKER_KEY, health.BEAT_KEY])
    yield
    cache.delete_many([health.WORKER_KEY, health.BEAT_KEY])


def test_anonymous_callers_get_only_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_a_failing_check_answers_503_without_saying_why(client, monkeypatch):
    def broken() -> str:
        raise RuntimeError("password authentication failed for user helpdesk")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.content == b"not ok"


def test_staff_see_each_check(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "cache", lambda: (_ for _ in ()).throw(OSError("redis down")))
    client.force_login(TechnicianFactory(is_staff=True))
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "failed: OSError: redis down"


def test_a_requester_sees_no_details(client):
    client.force_login(UserFactory())
    assert client.get("/health/").content == b"ok"


def test_the_health_token_shows_details_and_a_wrong_one_does_not(client, settings):
    settings.HEALTH_TOKEN = "s3cret-monitor-token"
    right = client.get("/health/", HTTP_AUTHORIZATION="Bearer s3cret-monitor-token")
    assert right.json()["checks"]["database"] == "ok"
    wrong = client.get("/health/", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.content == b"ok"


def test_without_a_broker_worker_and_beat_are_not_checked(client, settings):
    settings.HEALTH_TOKEN = "t"
    checks = client.get("/health/", HTTP_AUTHORIZATION="Bearer t").json()["checks"]
    assert checks["worker"].startswith("skipped") and checks["beat"].startswith("skipped")


def test_with_a_broker_no_heartbeat_is_not_ok(client, with_worker_and_beat):
    assert client.get("/health/").status_code == 503


def test_heartbeats_from_the_task_and_beat_scheduler_make_it_ok(client, with_worker_and_beat, tmp_path):
    health.heartbeat()  # what a worker does when beat's entry comes due
    scheduler = health.HeartbeatScheduler(app=celery_app, schedule_filename=str(tmp_path / "beat-schedule"), lazy=True)
    scheduler.setup_schedule()
    try:
        scheduler.tick()
    finally:
        scheduler.close()
    assert client.get("/health/").status_code == 200


def test_a_stale_worker_heartbeat_is_not_ok(client, with_worker_and_beat, settings):
    cache.set(health.BEAT_KEY, time.time(), timeout=None)
    cache.set(health.WORKER_KEY, time.time() - 301, timeout=None)
    settings.HEALTH_TOKEN = "t"
    response = client.get("/health/", HTTP_AUTHORIZATION="Bearer t")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"].startswith("failed: RuntimeError: last worker heartbeat 30")
    assert response.json()["checks"]["beat"].startswith("ok")


def test_web_check_asks_only_for_the_database_and_cache(client, with_worker_and_beat):
    # No heartbeats: the whole answer is "not ok", but web's own compose check passes.
    assert client.get("/health/?checks=database,cache").status_code == 200


def test_the_beat_schedule_runs_the_heartbeat_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["heartbeat"]
    assert entry["task"] == health.heartbeat.name and entry["schedule"] == 60.0
    assert settings.CELERY_BEAT_SCHEDULER == "helpdesk.health:HeartbeatScheduler"


def test_compose_check_in_process_exits_by_health(capsys, monkeypatch):
    assert healthcheck.main(["database", "cache"]) == 0
    assert "database: ok" in capsys.readouterr().out
    monkeypatch.setitem(health.CHECKS, "database", lambda: (_ for _ in ()).throw(OSError("down")))
    assert healthcheck.main(["database"]) == 1
    assert healthcheck.main(["nonsense"]) == 2


@pytest.mark.django_db(transaction=True)
def test_compose_web_check_asks_gunicorn_as_the_proxy_would(live_server, monkeypatch, capsys, settings):
    settings.ALLOWED_HOSTS = ["helpdesk.district.example"]
    monkeypatch.setenv("ALLOWED_HOSTS", "helpdesk.district.example,other.example")
    monkeypatch.setenv("WEB_INTERNAL_PORT", live_server.url.rsplit(":", 1)[1])
    assert healthcheck.web() == 0
    assert capsys.readouterr().out.startswith("200 ok")
    settings.ALLOWED_HOSTS = ["somewhere.else"]
    assert healthcheck.web() == 1
    assert json.dumps(capsys.readouterr().out).startswith('"400')
