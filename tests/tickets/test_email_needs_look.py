"""Mail that cannot be handled is listed for staff (/email/needs-a-look/), who try it again
or dismiss it; a message whose handling keeps failing is tried INBOUND_EMAIL_MAX_ATTEMPTS times."""

from email.message import EmailMessage

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.inbound import ledger, mailbox
from notifications.models import InboundEmail
from tests import factories
from tickets import email_in
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
_count = iter(range(10**6))


@pytest.fixture(autouse=True)
def district(settings):
    settings.INBOUND_EMAIL_DOMAINS = ["district.example"]
    settings.INBOUND_EMAIL_MAX_ATTEMPTS = 3


def mail(sender: str, body: str = "Hello", *, subject: str = "Projector dark") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["Subject"] = subject
    message["Message-ID"] = f"<look{next(_count)}@mail.example>"
    message.set_content(body)
    return message.as_bytes()


def test_the_page_lists_what_needs_a_look_for_staff_only(client, teacher, technician, settings):
    settings.INBOUND_EMAIL_MAX_BYTES = 400
    email_in.handle_raw(mail(teacher.email, "x" * 1000, subject="Huge photos"))
    email_in.handle_raw(b"Subject: Who sent this?\r\n\r\nno sender\r\n")
    client.force_login(technician)
    page = client.get(reverse("email-needs-look")).content.decode()
    assert "Huge photos" in page and teacher.email in page and "too large" in page
    assert "Who sent this?" in page and "no sender address" in page
    # The big one is not kept (it is in the mailbox's folder): dismiss only; the other can be tried again.
    assert page.count("Try again") == 1 and page.count(">Dismiss<") == 2
    client.force_login(teacher)
    assert client.get(reverse("email-needs-look")).status_code == 404


def test_try_again_after_the_cause_is_fixed_files_the_ticket(client, technician, category, settings):
    email_in.handle_raw(mail("new.person@district.example", "Cannot print"))  # no school to place them
    row = ledger.needs_look().get()
    assert row.kept
    client.force_login(technician)

    response = client.post(reverse("email-needs-look-retry", args=[row.pk]), follow=True)
    assert "It still needs a look" in response.content.decode()
    row = ledger.needs_look().get()  # listed again, as a new row

    settings.INBOUND_EMAIL_SCHOOL = factories.SchoolFactory().code
    response = client.post(reverse("email-needs-look-retry", args=[row.pk]), follow=True)
    ticket = Ticket.objects.get(title="Projector dark")
    assert f"Filed as ticket #{ticket.pk}." in response.content.decode()
    assert not ledger.needs_look().exists()
    assert InboundEmail.objects.get().outcome == "ticket"


def test_dismiss_takes_it_off_the_list_and_drops_the_copy(client, technician):
    email_in.handle_raw(b"Subject: junk\r\n\r\nno sender\r\n")
    row = ledger.needs_look().get()
    client.force_login(technician)
    client.post(reverse("email-needs-look-dismiss", args=[row.pk]))
    row.refresh_from_db()
    assert (row.outcome, row.raw) == ("dismissed", None) and technician.username in row.reason
    assert "No email needs a look right now." in client.get(reverse("email-needs-look")).content.decode()
    # A second dismiss or retry of the same row is refused in words, never a 500.
    response = client.post(reverse("email-needs-look-retry", args=[row.pk]), follow=True)
    assert "no longer waiting for a look" in response.content.decode()


def test_requesters_may_not_retry_or_dismiss(teacher):
    email_in.handle_raw(b"Subject: junk\r\n\r\nno sender\r\n")
    row = ledger.needs_look().get()
    with pytest.raises(ledger.PermissionDenied):
        ledger.dismiss(actor=teacher, inbound_id=row.pk)
    with pytest.raises(ledger.PermissionDenied):
        email_in.retry(actor=teacher, inbound_id=row.pk)
    assert ledger.needs_look().count() == 1


def test_a_message_whose_handling_keeps_failing_needs_a_look_after_the_last_try(teacher, category, monkeypatch):
    raw = mail(teacher.email, "Poison")
    monkeypatch.setattr(email_in, "_handle", lambda message: 1 / 0)
    outcomes = []
    for _ in range(3):
        with pytest.raises(ZeroDivisionError):
            email_in.handle_raw(raw)
        outcomes.append(email_in.handle_failure(raw, ZeroDivisionError("division by zero")))
    assert outcomes == ["failing", "failing", mailbox.NEEDS_LOOK]
    row = ledger.needs_look().get()
    assert row.attempts == 3 and "failed 3 times" in row.reason and row.kept
    # Once listed, the mailbox reader treats it as handled: it is never read again.
    assert email_in.handle_raw(raw).outcome == "duplicate"


def test_a_failed_try_does_not_stop_the_next_one_from_succeeding(teacher, category, monkeypatch):
    raw = mail(teacher.email, "Flaky")
    assert email_in.handle_failure(raw, RuntimeError("database restarting")) == "failing"
    result = email_in.handle_raw(raw)
    assert result.outcome == "ticket"
    assert InboundEmail.objects.get().outcome == "ticket"  # the failing row gave way


def test_the_list_costs_the_same_queries_at_one_row_and_at_many(client, technician):
    def add(n: int) -> None:
        for _ in range(n):
            email_in.handle_raw(mail("", "no sender"))  # no sender address: needs a look

    client.force_login(technician)
    add(1)
    client.get(reverse("email-needs-look"))  # warm the session and groups
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("email-needs-look")).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("email-needs-look")).content.decode()
    assert page.count("Try again") == 21
    assert len(many) == len(one)
