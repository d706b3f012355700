"""Real services failing: a Celery worker killed in the middle of sending, Redis down while people
reply and close, a PostgreSQL connection cut between requests. Nothing is lost and nothing is
sent twice.

A second Redis on a spare port (tests/tickets/test_broker_faults.py's helper) and a local SMTP
sink (aiosmtpd) stand in for the real ones; the shared Redis on 6379 is never touched.
"""

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from io import BytesIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import psycopg2
import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection

from helpdesk.celery import app as celery_app
from helpdesk.wsgi import application
from notifications import tasks as notification_tasks
from notifications.models import OutboundEmail
from surveys import tasks as survey_tasks
from surveys.models import SurveyInvitation
from tests import factories
from tests.tickets.test_broker_faults import Redis, _free_port, _reset_connections
from tickets import services

REPO = Path(__file__).resolve().parents[2]
needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


@pytest.fixture
def second_redis():
    """A Redis of our own that the test may stop and start; Celery publishes to it."""
    redis = Redis()
    redis.start()
    previous = (celery_app.conf.CELERY_BROKER_URL, celery_app.conf.CELERY_TASK_ALWAYS_EAGER)
    celery_app.conf.CELERY_BROKER_URL = f"redis://127.0.0.1:{redis.port}/0"
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    _reset_connections()
    yield redis
    redis.stop()
    celery_app.conf.CELERY_BROKER_URL, celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous
    _reset_connections()


# --- Redis down while people reply and close -------------------------------------------------


@needs_redis
@pytest.mark.django_db
def test_with_redis_down_replies_and_closes_succeed_and_each_email_and_survey_goes_once_it_is_back(
    second_redis, teacher, technician, category, django_capture_on_commit_callbacks, settings
):
    ticket = factories.TicketFactory(requester=teacher, category=category, title="Smartboard frozen")
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    OutboundEmail.objects.update(sent_at=ticket.created_at)  # what happened before the outage
    second_redis.stop()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(actor=technician, ticket=ticket, body="Try unplugging it for a minute.")
        services.add_comment(actor=teacher, ticket=ticket, body="Still frozen.")
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced the pen tray.")
        ticket = services.close_ticket(actor=teacher, ticket=ticket)
    assert time.monotonic() - started < 20, "a dead broker must not hang the requests"
    owed = OutboundEmail.objects.filter(sent_at__isnull=True).count()
    invitation = SurveyInvitation.objects.get(ticket=ticket)
    assert owed >= 2 and invitation.sent_at is None
    assert mail.outbox == []

    second_redis.start()
    settings.HELPDESK_OUTBOX_RETRY_AFTER_SECONDS = 0
    settings.SURVEY_SWEEP_AFTER_SECONDS = 0
    # The periodic sweeps (celery beat) run twice, as they would every two minutes.
    for _ in range(2):
        notification_tasks.sweep_outbox()
        survey_tasks.sweep_survey_invitations()
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 0
    surveys = [m for m in mail.outbox if f"/surveys/{invitation.token}/" in m.body]
    assert len(surveys) == 1
    assert len(mail.outbox) == owed + 1
    assert len({(m.to[0], m.subject, m.body) for m in mail.outbox}) == len(mail.outbox)


# --- a worker killed while sending -------------------------------------------------------------


class SlowSink:
    """An SMTP server that holds the first message before answering, like a slow relay.

    A message counts as received only once the server has answered 250, as in real SMTP:
    if the client dies before that, the message was never accepted.
    """

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.entered = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.entered.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
            if server.transport is None or server.transport.is_closing():
                return "451 client went away"
        self.received.append(envelope.content)
        return "250 Message accepted"


@pytest.fixture
def slow_sink():
    sink = SlowSink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield sink, controller.port
    sink.release.set()
    controller.stop()


def _worker(redis_port: int, smtp_port: int) -> subprocess.Popen:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.security.worker_settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
        f"/{database['NAME']}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "60",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tests.security.worker_app", "worker", "--pool=solo", "-l", "WARNING"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_is_replaced_and_the_email_is_sent_exactly_once(second_redis, slow_sink):
    sink, smtp_port = slow_sink
    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    # Autocommit: the acknowledgement email's task is published to our Redis on commit.
    ticket = factories.TicketFactory(requester=teacher, title="Document camera")
    email = OutboundEmail.objects.get(ticket=ticket)
    assert second_redis.queued() == 1

    first = _worker(second_redis.port, smtp_port)
    second = None
    try:
        assert sink.entered.wait(timeout=60), "the first worker never started sending"
        os.killpg(first.pid, signal.SIGKILL)  # no warm shutdown, no ack: the worst case
        first.wait(timeout=10)
        assert sink.received == []
        email.refresh_from_db()
        assert email.sent_at is None and email.claimed_at is not None  # claimed, then abandoned

        sink.release.set()
        # A new worker takes back unacknowledged tasks older than the visibility timeout
        # when it starts (and every ~100 s after); wait past it so the start is enough.
        time.sleep(4)
        second = _worker(second_redis.port, smtp_port)
        assert _wait(lambda: len(sink.received) >= 1, timeout=60), "the task was not redelivered"
        time.sleep(3)  # room for a duplicate, if there were going to be one
        assert len(sink.received) == 1
        assert b"Document camera" in sink.received[0]
        email.refresh_from_db()
        assert email.sent_at is not None
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


# --- a database connection cut between requests -------------------------------------------------


def _wsgi_get(path: str, cookie: str = "") -> tuple[str, bytes]:
    """A request through the real WSGI handler, with its request_started/finished signals."""
    environ: dict = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": BytesIO(b"")}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "127.0.0.1"
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    status: list[str] = []
    body = b"".join(application(environ, lambda s, headers, *rest: status.append(s)))
    return status[0], body


def _terminate(pid: int) -> None:
    database = connection.settings_dict
    admin = psycopg2.connect(
        host=database["HOST"] or "127.0.0.1", port=database["PORT"] or 5432, user=database["USER"], dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
    admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_killed_between_requests_does_not_fail_the_next_one(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    factories.CategoryFactory(name="Printers")
    connection.settings_dict["CONN_MAX_AGE"] = 60  # persistent, as in production
    try:
        status, body = _wsgi_get("/support/")
        assert status.startswith("200") and b"Printers" in body
        pid = connection.connection.info.backend_pid
        _terminate(pid)
        status, body = _wsgi_get("/support/")
        assert status.startswith("200"), status
        assert b"Printers" in body
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_without_health_checks_the_same_cut_would_fail_a_request(settings):
    """The control for the test above: it is CONN_HEALTH_CHECKS that saves the request."""
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    try:
        assert _wsgi_get("/support/")[0].startswith("200")
        _terminate(connection.connection.info.backend_pid)
        status, _body = _wsgi_get("/support/")
        assert status.startswith("500")
        # ...and the broken connection is dropped at the end of that request, so the next one works.
        assert _wsgi_get("/support/")[0].startswith("200")
    finally:
        connection.settings_dict["CONN_HEALTH_CHECKS"] = True
        connection.close()
