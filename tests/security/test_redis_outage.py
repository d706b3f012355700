"""Redis down: sign-in, the teacher's pages, filing, the survey and password reset still work
(issue 15, item 2), with the cache and sessions the settings really choose.

The settings module is run again with `REDIS_URL` pointing at a Redis of our own (the
shared one on 6379 is never touched), and its CACHES and SESSION_ENGINE are applied; the
Redis is then stopped. Without `REDIS_URL` the cache is the database's, shared by every
worker: a claim made in another process is seen here.
"""

import os
import runpy
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from schools.cache import ResilientRedisCache
from surveys.models import SurveyInvitation
from tests import factories
from tests.surveys.conftest import work_and_close
from tests.tickets.pages import filing_data
from tests.tickets.test_broker_faults import Redis
from tickets.models import Ticket

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"  # tests/factories.py
needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


def production_settings(monkeypatch, redis_url: str | None) -> dict:
    """CACHES and SESSION_ENGINE as helpdesk/settings.py computes them for this environment."""
    if redis_url:
        monkeypatch.setenv("REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    namespace = runpy.run_path(str(REPO / "helpdesk" / "settings.py"))
    return {"CACHES": namespace["CACHES"], "SESSION_ENGINE": namespace["SESSION_ENGINE"]}


@pytest.fixture
def redis_settings(settings, monkeypatch):
    """The production cache and sessions, on a Redis of our own that the test may stop."""
    redis = Redis()
    redis.start()
    for name, value in production_settings(monkeypatch, f"redis://127.0.0.1:{redis.port}/0").items():
        setattr(settings, name, value)
    yield redis
    redis.stop()


@needs_redis
@pytest.mark.django_db
def test_with_redis_down_sign_in_pages_filing_survey_and_password_reset_work(
    redis_settings, teacher, technician, category, django_capture_on_commit_callbacks
):
    # The cache really is this Redis while it runs.
    cache.set("outage-probe", 1)
    assert cache.get("outage-probe") == 1
    ticket = factories.TicketFactory(requester=teacher, category=category, title="Smartboard frozen")
    other = factories.TicketFactory(requester=teacher, category=category, title="Projector lamp")
    with django_capture_on_commit_callbacks(execute=True):
        work_and_close(other, technician)
    invitation = SurveyInvitation.objects.get(ticket=other)
    redis_settings.stop()

    started = time.monotonic()
    client = Client()
    response = client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    for path in ("/", "/tickets/", f"/tickets/{ticket.pk}/", "/kb/", "/profile/", "/support/"):
        assert client.get(path).status_code == 200, path

    form = client.get(reverse("ticket-new"))
    assert form.status_code == 200
    data = filing_data(category, form_token=form.context["form"].initial["form_token"], title="Wi-Fi drops")
    assert client.post(reverse("ticket-new"), data).status_code == 302
    assert Ticket.objects.filter(title="Wi-Fi drops", requester=teacher).count() == 1
    reply = client.post(f"/tickets/{ticket.pk}/comment/", {"body": "It froze again this morning."})
    assert reply.status_code == 302

    survey = f"/surveys/{invitation.token}/"
    assert Client().get(survey).status_code == 200
    answered = Client().post(survey, {"timeliness": 5, "quality": 4, "comment": "Quick", "learned": "yes"})
    assert answered.status_code == 302, answered.status_code
    assert Client().get("/surveys/not-a-real-token/").status_code == 404

    reset = Client().post(reverse("password_reset"), {"email": teacher.email})
    assert reset.status_code == 302

    technician_client = Client()
    assert (
        technician_client.post(reverse("login"), {"username": technician.username, "password": PASSWORD}).status_code
        == 302
    )
    for path in ("/today/", "/tickets/", f"/tickets/{ticket.pk}/"):
        assert technician_client.get(path).status_code == 200, path
    assert time.monotonic() - started < 30, "a dead Redis must not hang the pages"


@needs_redis
@pytest.mark.django_db
def test_the_cache_answers_as_an_empty_cache_while_redis_is_down_and_comes_back_with_it(redis_settings):
    default = caches["default"]
    assert isinstance(default, ResilientRedisCache)
    default.set("k", "v")
    redis_settings.stop()
    assert default.get("k", "fallback") == "fallback"
    assert default.add("guard", True) is True  # "first one wins" guards let the caller through
    assert default.incr("counter") == 1
    assert default.get_or_set("figure", lambda: 42) == 42
    default.set("k", "w")
    default.delete("k")
    redis_settings.start()
    default._down_until = 0.0  # past the few seconds it leaves a dead Redis alone
    default.set("k", "back")
    assert default.get("k") == "back"


@pytest.mark.django_db(transaction=True)
def test_without_redis_the_cache_is_shared_by_every_worker_process(settings, monkeypatch):
    chosen = production_settings(monkeypatch, None)
    assert chosen["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert chosen["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    settings.CACHES = chosen["CACHES"]
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}",
    }
    env.pop("REDIS_URL", None)
    claim = "import django; django.setup(); from django.core.cache import cache; print(cache.add('form-claim', 1, 60))"
    other_worker = subprocess.run([sys.executable, "-c", claim], cwd=REPO, env=env, capture_output=True, text=True)
    assert other_worker.stdout.strip() == "True", other_worker.stderr
    # This process sees the other worker's claim: a double-submitted form is filed once.
    assert cache.add("form-claim", 1, 60) is False
