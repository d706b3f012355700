"""Issue 15, item 5: a mail server that hangs never holds a request.

Without Redis, Celery runs tasks in the caller; the outbox used to send (and retry) inside the
web request, so an SMTP server that accepted and never answered held the request until gunicorn
killed it, after the ticket was saved. Now the request records the email and answers; a
background thread tries once, and the sweep sends it when the server is back.

The hanging server is a real socket on 127.0.0.1 that accepts and never says a word; the
recovered one is a real SMTP sink (aiosmtpd).
"""

import socket
import threading
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from notifications import background
from notifications import tasks as notification_tasks
from notifications.models import OutboundEmail
from tests.conftest import api_as
from tests.tickets.api_calls import new_ticket_payload
from tests.tickets.test_broker_faults import _free_port
from tickets.models import Ticket

SMTP_TIMEOUT = 3


class SilentServer:
    """Accepts SMTP connections and never answers, like a mail server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def stop(self) -> None:
        self.sock.close()
        for conn in self.accepted:
            conn.close()


class Sink:
    def __init__(self) -> None:
        self.received: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.received.append(envelope.content)
        return "250 Message accepted"


@pytest.fixture
def silent_smtp(settings):
    server = SilentServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = SMTP_TIMEOUT
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.stop()


@pytest.mark.django_db(transaction=True)
def test_a_hanging_mail_server_does_not_hold_the_request_and_the_sweep_sends_later(
    silent_smtp, settings, teacher, category
):
    settings.HELPDESK_EAGER_TASKS_IN_BACKGROUND = True  # as the app runs without REDIS_URL
    api = api_as(teacher)

    started = time.monotonic()
    response = api.post("/api/tickets/", new_ticket_payload(category), format="json")
    elapsed = time.monotonic() - started

    assert response.status_code == 201, response.content
    assert elapsed < SMTP_TIMEOUT - 1, f"the request waited {elapsed:.1f} s on SMTP"
    assert Ticket.objects.count() == 1
    owed = list(OutboundEmail.objects.filter(sent_at__isnull=True))
    assert owed, "filing records at least the requester's acknowledgement"

    # The background thread tried once, gave up after EMAIL_TIMEOUT and left it for the sweep.
    background.wait_until_idle()
    for email in OutboundEmail.objects.all():
        assert email.sent_at is None and email.attempts == 1 and email.last_error, email
    assert silent_smtp.accepted, "the thread did reach the hanging server"

    # The server recovers; the sweep (beat, every few minutes) sends each email once.
    silent_smtp.stop()
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        settings.EMAIL_PORT = controller.port
        OutboundEmail.objects.update(created_at=timezone.now() - timedelta(hours=1))
        assert notification_tasks.sweep_outbox() == len(owed)
        assert notification_tasks.sweep_outbox() == 0
    finally:
        controller.stop()
    assert len(sink.received) == len(owed)
    assert OutboundEmail.objects.filter(sent_at__isnull=True).count() == 0
    assert Ticket.objects.count() == 1


def test_a_full_backlog_leaves_the_task_to_the_sweep(monkeypatch):
    ran = []

    class Task:
        name = "probe"
        max_retries = 0

        def apply(self, args, **options):
            ran.append(args)

    blocker = threading.Event()
    monkeypatch.setattr(background, "run_once", lambda task, args: (blocker.wait(5), task.apply(args)))
    try:
        accepted = [background.submit(Task(), (n,)) for n in range(background.BACKLOG + 5)]
    finally:
        blocker.set()
    background.wait_until_idle()
    # One is taken off the queue by the thread at once; the rest fill the backlog.
    assert accepted.count(False) in (4, 5)
    assert len(ran) == accepted.count(True)


def test_without_a_broker_a_failed_email_of_a_batch_is_left_to_the_sweep_not_retried_at_once(settings, monkeypatch):
    """Eagerly, send_emails' "retry in 30 s" would run at once on the same thread, retries and all."""
    settings.HELPDESK_EAGER_TASKS_IN_BACKGROUND = True
    tries = []

    def deliver(email_id):
        tries.append(email_id)
        raise OSError("timed out")

    monkeypatch.setattr(notification_tasks.outbox, "deliver", deliver)
    assert notification_tasks.send_emails([1, 2]) == 0
    assert tries == [1, 2]
