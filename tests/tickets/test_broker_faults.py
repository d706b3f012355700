"""A real Redis broker that goes away: requests still succeed and nothing is lost.

Starts its own redis-server on a spare port so the shared one on 6379 stays up.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.core import mail
from kombu import pools as kombu_pools

from helpdesk.celery import app as celery_app
from notifications import tasks
from notifications.models import OutboundEmail
from tickets import services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if self.queued() is not None:
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queued(self) -> int | None:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "llen", "celery"], capture_output=True, text=True, timeout=5
        )
        return int(result.stdout) if result.returncode == 0 and result.stdout.strip().isdigit() else None


def _reset_connections() -> None:
    # Drop pooled connections to the previous broker so the next publish dials the new
    # URL. kombu keeps its pools in a global registry: reset it rather than closing one
    # pool that other code would later be handed, closed, from that registry.
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker():
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


def _file(teacher, category, title):
    return services.create_ticket(
        actor=teacher, title=title, description="details", category=category, impact="medium", urgency="high"
    )


def test_with_redis_up_the_email_task_is_queued_not_sent_inline(
    broker, teacher, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _file(teacher, category, "Projector")
    assert broker.queued() == 1
    assert mail.outbox == []


def test_with_redis_down_filing_succeeds_and_the_sweep_delivers_once_it_is_back(
    broker, teacher, category, django_capture_on_commit_callbacks, settings
):
    broker.stop()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        ticket = _file(teacher, category, "Wi-Fi down in room 4")
        services.add_comment(actor=teacher, ticket=ticket, body="Still down after lunch")
    assert time.monotonic() - started < 15, "a dead broker must not hang the request"
    assert OutboundEmail.objects.filter(ticket=ticket, sent_at__isnull=True).count() == 1

    broker.start()
    settings.HELPDESK_OUTBOX_RETRY_AFTER_SECONDS = 0
    assert tasks.sweep_outbox() == 1
    assert tasks.sweep_outbox() == 0
    assert [m.subject for m in mail.outbox] == [f"We received your request: [#{ticket.pk}] Wi-Fi down in room 4"]
