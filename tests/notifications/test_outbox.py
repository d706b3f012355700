import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from notifications import outbox, tasks
from notifications.models import OutboundEmail
from tickets import services

pytestmark = pytest.mark.django_db


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("relay down")


def test_delivering_twice_sends_once(ticket):
    email = OutboundEmail.objects.get(ticket=ticket, kind="acknowledgement")
    assert outbox.deliver(email.pk) is True
    assert outbox.deliver(email.pk) is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None


def test_a_broker_outage_does_not_fail_the_request_and_the_sweep_sends_later(
    teacher, category, monkeypatch, django_capture_on_commit_callbacks, settings
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.send_email, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.create_ticket(
            actor=teacher,
            title="Smartboard dark",
            description="No image",
            category=category,
            impact="high",
            urgency="high",
        )
    assert mail.outbox == []
    settings.HELPDESK_OUTBOX_RETRY_AFTER_SECONDS = 0
    assert tasks.sweep_outbox() == 1
    assert tasks.sweep_outbox() == 0
    assert len(mail.outbox) == 1
    assert f"#{ticket.pk}" in mail.outbox[0].subject


def test_repeated_failures_become_permanent(ticket, settings):
    email = OutboundEmail.objects.get(ticket=ticket, kind="acknowledgement")
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.FailingBackend"
    for _ in range(outbox.MAX_ATTEMPTS):
        with pytest.raises(smtplib.SMTPException):
            outbox.deliver(email.pk)
    email.refresh_from_db()
    assert email.failed_permanently
    assert outbox.deliver(email.pk) is False
    assert email.pk not in outbox.unsent_ids(older_than=timedelta(0))


def test_subject_newlines_never_become_headers(teacher, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_ticket(
            actor=teacher,
            title="Broken\r\nBcc: victim@example.com",
            description="x",
            category=category,
            impact="low",
            urgency="low",
        )
    message = mail.outbox[0]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == []
    assert message.message()["Bcc"] is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_send_one_email(teacher, category):
    ticket = services.create_ticket(
        actor=teacher, title="Laptop", description="Won't boot", category=category, impact="low", urgency="low"
    )
    # Outside a test transaction the acknowledgement went out on commit already;
    # make it owed again so both threads race for it.
    email = OutboundEmail.objects.get(ticket=ticket)
    OutboundEmail.objects.filter(pk=email.pk).update(sent_at=None, claimed_at=None)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(outbox.deliver(email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


# --- the batch handover -----------------------------------------------------------------------


def test_the_batch_task_sends_each_and_retries_a_failure_on_its_own(ticket, technician, monkeypatch, settings):
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    first, second = OutboundEmail.objects.filter(ticket=ticket).order_by("pk")
    retried = []
    monkeypatch.setattr(tasks.send_email, "apply_async", lambda args, **kw: retried.append((args, kw["countdown"])))
    real_deliver = outbox.deliver

    def deliver(email_id, **kwargs):
        if email_id == first.pk:
            raise smtplib.SMTPServerDisconnected("relay down")
        return real_deliver(email_id, **kwargs)

    monkeypatch.setattr(outbox, "deliver", deliver)
    assert tasks.send_emails([first.pk, second.pk]) == 1
    assert retried == [((first.pk,), 30)]
    second.refresh_from_db()
    assert second.sent_at is not None and len(mail.outbox) == 1
