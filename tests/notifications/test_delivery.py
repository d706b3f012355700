"""The shared helpers on rows without a ticket, the old task names, and the app's place below tickets."""

import ast
import smtplib
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from helpdesk.celery import app as celery_app
from notifications import delivery, outbox
from notifications.models import OutboundEmail
from notifications.signals import email_failed

pytestmark = pytest.mark.django_db

APP = Path(__file__).resolve().parents[2] / "notifications"


@pytest.fixture
def trio(settings, tmp_path):
    """A subject/text/html trio of the test's own, so no ticket is needed."""
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "hello_subject.txt").write_text("Hello\n  {{ name }}\r\nBcc: x@example.com")
    (folder / "hello_body.txt").write_text("{% load i18n %}{% translate 'Yes' %}, {{ name }}")
    (folder / "hello_body.html").write_text("<p>{{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    return "notes/hello"


@pytest.fixture
def worker_tasks():
    """The tasks a worker registers when it starts: CELERY_IMPORTS and every app's tasks module."""
    celery_app.loader.import_default_modules()
    return celery_app.tasks


def owed_email(**fields) -> OutboundEmail:
    return OutboundEmail.objects.create(kind="note", to="someone@example.com", subject="s", body_text="b", **fields)


def test_render_gives_one_line_subject_text_and_html_in_the_language(trio):
    rendered = delivery.render(trio, {"name": "Ana"}, language="es")
    assert rendered.subject == "Hello Ana Bcc: x@example.com"
    assert rendered.text == "Sí, Ana"
    assert rendered.html == "<p>Ana</p>"


def test_an_email_without_a_ticket_is_recorded_then_sent_once_on_commit(trio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = outbox.queue_email(kind="note", to="ana@example.com", template=trio, context={"name": "Ana"})
    assert email.ticket_id is None and email.sent_at is None and mail.outbox == []
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    [message] = mail.outbox
    assert message.to == ["ana@example.com"] and message.alternatives[0][0] == "<p>Ana</p>"


def test_no_address_records_nothing(trio):
    assert outbox.queue_email(kind="note", to="", template=trio, context={}) is None
    assert not OutboundEmail.objects.exists()


def test_a_claim_is_taken_over_only_once_it_is_stale():
    fresh = owed_email()
    OutboundEmail.objects.filter(pk=fresh.pk).update(claimed_at=timezone.now() - timedelta(minutes=1))
    stale = owed_email()
    OutboundEmail.objects.filter(pk=stale.pk).update(claimed_at=timezone.now() - delivery.STALE_CLAIM * 2)
    rows = delivery.owed(OutboundEmail.objects.all())
    assert delivery.claim(rows, fresh.pk) is False
    assert delivery.claim(rows, stale.pk) is True
    assert delivery.claim(rows, stale.pk) is False  # now held, freshly, by this call


def test_a_claim_can_use_its_own_column_and_conditions():
    email = owed_email()
    rows = OutboundEmail.objects.filter(kind="note")
    assert delivery.claim(OutboundEmail.objects.filter(kind="other"), email.pk, field="sent_at") is False
    assert delivery.claim(rows, email.pk, field="sent_at") is True
    email.refresh_from_db()
    assert email.claimed_at is None and email.sent_at is not None


def test_a_failed_send_is_announced_with_its_attempt_and_the_last_one_is_permanent():
    email = owed_email(attempts=delivery.MAX_ATTEMPTS - 2)
    heard = []

    def listener(sender, email, attempts, permanent, error, **kwargs):
        heard.append((email.pk, attempts, permanent, str(error)))

    def refused(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({})

    email_failed.connect(listener)
    try:
        for _ in range(2):
            with pytest.raises(smtplib.SMTPException):
                outbox.deliver(email.pk, connection_factory=lambda: type("Down", (), {"send_messages": refused})())
    finally:
        email_failed.disconnect(listener)
    assert [(pk, attempts, permanent) for pk, attempts, permanent, _ in heard] == [
        (email.pk, delivery.MAX_ATTEMPTS - 1, False),
        (email.pk, delivery.MAX_ATTEMPTS, True),
    ]
    email.refresh_from_db()
    assert email.failed_permanently and email.claimed_at is None and email.last_error
    assert outbox.unsent_ids(older_than=timedelta(0)) == []


def test_the_sweep_goes_oldest_first_and_one_failure_does_not_stop_the_rest():
    first, second = owed_email(), owed_email()
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(hours=1))
    tried = []

    def deliver(pk: int) -> bool:
        tried.append(pk)
        if pk == first.pk:
            raise OSError("relay down")
        return True

    ids = delivery.unsent_ids(OutboundEmail.objects.all(), older_than=timedelta(minutes=5))
    assert ids == [first.pk, second.pk]
    assert delivery.sweep(ids, deliver, what="Email") == 1
    assert tried == [first.pk, second.pk]


@pytest.mark.parametrize(
    "name", ["tickets.tasks.send_email", "tickets.tasks.send_emails", "tickets.tasks.sweep_outbox"]
)
def test_the_task_names_of_older_versions_still_run(name, settings, worker_tasks):
    email = owed_email()
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(hours=1))
    settings.HELPDESK_OUTBOX_RETRY_AFTER_SECONDS = 0
    task = worker_tasks[name]
    args = {"send_email": (email.pk,), "send_emails": ([email.pk],), "sweep_outbox": ()}[name.rsplit(".", 1)[1]]
    assert task.apply(args=args).get() == 1
    assert len(mail.outbox) == 1


def test_beat_schedules_tasks_that_exist(settings, worker_tasks):
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in worker_tasks, entry["task"]
    assert settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]["task"] == "notifications.tasks.sweep_outbox"


def test_notifications_imports_neither_tickets_nor_surveys():
    imported = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name.split(".")[0]) for alias in node.names)
    assert {(name, module) for name, module in imported if module in {"tickets", "surveys"}} == set()
