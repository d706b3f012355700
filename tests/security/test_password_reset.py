"""Issue 15, item 6: password reset through the outbox.

Requests naming someone's address cannot keep a working link from them; the request does the
same work whether or not the address has an account and sends nothing itself; an email lost to
an SMTP outage is sent by the sweep; and the database holds no link that opens an account.
"""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import background
from notifications import tasks as notification_tasks
from notifications.models import OutboundEmail
from tests.security.test_mail_server_hangs import SMTP_TIMEOUT, silent_smtp  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://helpdesk\.district\.example(/accounts/password-reset/(\S+)/(\S+)/)")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a reset as a browser would; the on-commit handover runs as after a real commit."""

    def ask(email: str, ip: str = "10.9.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
        return response

    return ask


def _five_minutes_pass() -> None:
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(seconds=301))


def _link_works(message) -> bool:
    browser = Client()
    form = browser.get(LINK.search(message.body).group(1), follow=True)
    return b"new_password1" in form.content


def test_requests_naming_someones_address_never_keep_a_working_link_from_them(ask, teacher, settings):
    settings.HELPDESK_PASSWORD_RESET_EVERY_SECONDS = 300
    for n in range(6):  # an attacker, from six addresses
        ask(teacher.email, ip=f"10.9.1.{n}")
    assert len(mail.outbox) == 1  # the owner is not flooded
    assert _link_works(mail.outbox[0])  # and holds a working link meanwhile

    _five_minutes_pass()
    for n in range(3):
        ask(teacher.email, ip=f"10.9.2.{n}")
    _five_minutes_pass()
    ask(teacher.email, ip="10.9.3.1")  # the owner asks, within the hour
    assert len(mail.outbox) == 3
    assert _link_works(mail.outbox[-1])


def test_the_outbox_row_holds_no_link_and_the_email_link_resets_the_password(ask, teacher):
    ask(teacher.email)
    [message] = mail.outbox
    _path, uid, token = LINK.search(message.body).groups()
    [row] = OutboundEmail.objects.filter(kind="password_reset")
    stored = " ".join(str(value) for value in OutboundEmail.objects.filter(pk=row.pk).values().get().values())
    assert token not in stored and uid not in stored and "password-reset/" not in stored
    assert row.body_text == row.body_html == "" and row.sent_at is not None
    assert row.subject == message.subject  # the record says what went

    browser = Client()
    form = browser.get(LINK.search(message.body).group(1), follow=True)
    done = browser.post(
        form.redirect_chain[-1][0], {"new_password1": "Another-long-pass-42", "new_password2": "Another-long-pass-42"}
    )
    assert done.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password("Another-long-pass-42")


def test_a_reset_email_lost_to_an_smtp_outage_is_sent_by_the_sweep(ask, teacher, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    ask(teacher.email)
    [row] = OutboundEmail.objects.filter(kind="password_reset")
    assert row.sent_at is None and row.attempts >= 1 and row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    _five_minutes_pass()
    assert notification_tasks.sweep_outbox() == 1
    [message] = mail.outbox
    assert message.to == [teacher.email] and _link_works(message)


def test_the_request_does_the_same_work_for_an_address_with_or_without_an_account(ask, teacher, settings):
    settings.HELPDESK_EAGER_TASKS_IN_BACKGROUND = True  # as the app runs: no email inside the request
    with CaptureQueriesContext(connection) as known:
        ask(teacher.email, ip="10.9.4.1")
    with CaptureQueriesContext(connection) as unknown:
        ask("nobody@district.example", ip="10.9.4.2")
    background.wait_until_idle()

    def shape(queries) -> list[str]:
        return [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", query["sql"]) for query in queries]

    assert shape(known.captured_queries) == shape(unknown.captured_queries)
    assert not any("auth_user" in query for query in shape(known.captured_queries))


@pytest.mark.django_db(transaction=True)
def test_the_answer_does_not_wait_for_the_mail_server(ask, silent_smtp, teacher, settings):  # noqa: F811
    settings.HELPDESK_EAGER_TASKS_IN_BACKGROUND = True
    timings = {}
    for who, address in (("known", teacher.email), ("unknown", "nobody@district.example")):
        started = time.monotonic()
        ask(address, ip=f"10.9.5.{len(timings)}")
        timings[who] = time.monotonic() - started
    background.wait_until_idle()
    assert max(timings.values()) < SMTP_TIMEOUT - 1, timings
    row = OutboundEmail.objects.get(kind="password_reset", to=teacher.email.lower())
    assert row.sent_at is None and row.attempts == 1  # tried off the request; the sweep retries
