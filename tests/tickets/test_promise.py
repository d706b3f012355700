"""The promise on a request in words: the page and the acknowledgement email say the same."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests import factories
from tickets import services
from tickets.models import Ticket
from tickets.promise import day_in_words, moment_in_words, promise_for

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


NOW = local(2026, 9, 14, 9, 5)  # a Monday


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (local(2026, 9, 14, 11, 30), "11:30 AM today"),
        (local(2026, 9, 15, 9, 0), "9:00 AM tomorrow"),
        (local(2026, 9, 18, 15, 0), "Friday at 3:00 PM"),
        (local(2026, 9, 28, 8, 0), "Monday, September 28 at 8:00 AM"),
    ],
)
def test_moments_read_as_a_person_says_them(moment, words):
    with translation.override("en"):
        assert moment_in_words(moment, now=NOW) == words


def test_spanish_moments_use_the_24_hour_clock():
    with translation.override("es"):
        assert moment_in_words(local(2026, 9, 14, 14, 30), now=NOW) == "hoy a las 14:30"
        assert moment_in_words(local(2026, 9, 15, 9, 0), now=NOW) == "mañana a las 9:00"


def test_visit_days_in_words():
    with translation.override("en"):
        assert day_in_words(date(2026, 9, 14), today=date(2026, 9, 14)) == "today"
        assert day_in_words(date(2026, 9, 16), today=date(2026, 9, 14)) == "on Wednesday"


def test_an_open_request_promises_a_reply_and_a_fix_from_its_due_dates(ticket):
    ticket.response_due_at = NOW + timedelta(hours=2)
    ticket.resolution_due_at = NOW + timedelta(days=1)
    with translation.override("en"):
        promise = promise_for(ticket, now=NOW)
    assert promise.reply == "We'll reply by 11:05 AM today."
    assert promise.fix == "It should be fixed by 9:05 AM tomorrow."


def test_no_reply_promise_once_answered_and_none_at_all_once_resolved(ticket, technician):
    services.add_comment(actor=technician, ticket=ticket, body="On it.")
    ticket.refresh_from_db()
    promise = promise_for(ticket)
    assert promise.reply is None and promise.fix
    ticket.status = Ticket.Status.RESOLVED
    assert promise_for(ticket) is None


def test_the_request_page_and_the_acknowledgement_say_the_same_promise(
    teacher, category, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.TicketFactory(requester=teacher, school=teacher.profile.school, category=category)
    with translation.override("en"):
        promise = promise_for(ticket)
    assert promise.reply.startswith("We'll reply by ") and promise.fix.startswith("It should be fixed by ")
    page = client.get(reverse("ticket-detail", args=[ticket.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "What happens next" in page
    assert promise.reply.replace("'", "&#x27;") in page and promise.fix in page
    acknowledgement = next(m for m in mail.outbox if m.to == [teacher.email] and f"#{ticket.pk}" in m.subject)
    assert promise.reply in acknowledgement.body and promise.fix in acknowledgement.body


def test_the_promise_is_not_shown_to_staff(ticket, technician):
    client = Client()
    client.force_login(technician)
    assert "What happens next" not in client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
