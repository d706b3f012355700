"""Tickets' side of the outbox: what its services record and hand over, and a failed send on
the history. The outbox itself (claim, send, retry, sweep) is tested in tests/notifications/."""

import smtplib

import pytest
from django.core import mail

from notifications import outbox, tasks
from notifications.models import OutboundEmail
from tickets import services
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("relay down")


def test_email_is_recorded_before_it_is_sent(ticket, technician):
    # No on-commit callbacks run here: the row exists even though nothing was sent.
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    email = OutboundEmail.objects.get(ticket=ticket, kind="reply")
    assert email.sent_at is None
    assert email.to == ticket.requester.email
    assert mail.outbox == []


def test_a_failed_send_is_released_recorded_on_the_history_and_retried(ticket, settings):
    email = OutboundEmail.objects.get(ticket=ticket, kind="acknowledgement")
    settings.EMAIL_BACKEND = "tests.tickets.test_outbox.FailingBackend"
    with pytest.raises(smtplib.SMTPException):
        outbox.deliver(email.pk)
    email.refresh_from_db()
    assert email.sent_at is None and email.claimed_at is None and email.attempts == 1
    assert ticket.events.filter(kind=TicketEvent.Kind.EMAIL_FAILED).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.deliver(email.pk) is True
    assert len(mail.outbox) == 1


# --- one message per filed ticket -------------------------------------------------------------


def test_filing_a_ticket_hands_both_emails_to_celery_in_one_message(
    teacher, technician, category, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr(tasks.send_emails, "apply_async", lambda args, **kw: published.append(("many", *args)))
    monkeypatch.setattr(tasks.send_email, "apply_async", lambda args, **kw: published.append(("one", *args)))
    monkeypatch.setattr(
        "tickets.routing.choose_assignee", lambda ticket, reference=None: (technician, "previous_technician")
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ticket = services.create_ticket(
            actor=teacher, title="Printer jam", description="Tray 2", category=category, impact="low", urgency="low"
        )
        assert published == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    ids = set(OutboundEmail.objects.filter(ticket=ticket).values_list("pk", flat=True))
    assert len(ids) == 2
    assert [(kind, set(sent)) for kind, sent in published] == [("many", ids)]


def test_a_rolled_back_filing_hands_nothing_over(teacher, category, monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction

    published = []
    monkeypatch.setattr(tasks.send_emails, "apply_async", lambda args, **kw: published.append(args))
    monkeypatch.setattr(tasks.send_email, "apply_async", lambda args, **kw: published.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.create_ticket(
                actor=teacher, title="Printer jam", description="Tray 2", category=category, impact="low", urgency="low"
            )
            raise RuntimeError("the request failed after filing")
    assert published == []
    assert not OutboundEmail.objects.filter(kind="acknowledgement", to=teacher.email, ticket__title="Printer jam")


def test_a_single_email_still_goes_as_its_own_task(teacher, category, monkeypatch, django_capture_on_commit_callbacks):
    published = []
    monkeypatch.setattr(tasks.send_email, "apply_async", lambda args, **kw: published.append(args))
    monkeypatch.setattr("tickets.routing.choose_assignee", lambda ticket, reference=None: (None, None))
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.create_ticket(
            actor=teacher, title="Printer jam", description="Tray 2", category=category, impact="low", urgency="low"
        )
    (email,) = OutboundEmail.objects.filter(ticket=ticket)
    assert published == [(email.pk,)]
