"""The partials other pages include: the next-visit line and the SLA badge."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from schools import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- partials for other pages ---


def test_next_visit_line_for_requesters(director, technician, school):
    technician.first_name, technician.last_name = "Ana", "Ruiz"
    technician.save()
    services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[2], start_date=timezone.localdate()
    )
    html = Template("{% load schools_tags %}{% next_visit school %}").render(Context({"school": school}))
    assert "Your school's technician, Ana Ruiz, visits on Tuesdays." in html
    assert "Next visit Tue" in html


def test_next_visit_line_is_empty_without_a_rotation(school):
    assert Template("{% load schools_tags %}{% next_visit school %}").render(Context({"school": school})).strip() == ""


@pytest.mark.parametrize(
    ("status", "due_in", "expected"),
    [
        ("assigned", timedelta(hours=-1), "Reply overdue"),
        ("assigned", timedelta(minutes=30), "Reply due"),
        ("assigned", timedelta(days=2), "Reply by"),
        ("waiting", timedelta(hours=-1), "Clock paused"),
        ("resolved", timedelta(hours=-1), ""),
    ],
)
def test_sla_badge_states(status, due_in, expected):
    ticket = Ticket(status=status, response_due_at=timezone.now() + due_in)
    html = Template("{% load sla_tags %}{% sla_badge ticket %}").render(Context({"ticket": ticket})).strip()
    assert (expected in html) if expected else html == ""


# 15:30 UTC on Tuesday 24 Nov 2026 is 09:30 in the district (America/Chicago).
DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fields", "now", "expected"),
    [
        (
            {"status": "assigned", "response_due_at": DUE},
            DUE + timedelta(minutes=1),
            '<span class="badge text-bg-danger" title="Tue Nov 24, 9:30 AM">Reply overdue</span>',
        ),
        (
            {"status": "in_progress", "first_response_at": DUE, "resolution_due_at": DUE},
            DUE + timedelta(minutes=1),
            '<span class="badge text-bg-danger" title="Tue Nov 24, 9:30 AM">Overdue</span>',
        ),
        (
            {"status": "assigned", "response_due_at": DUE},
            DUE - timedelta(hours=1),
            '<span class="badge text-bg-warning" title="Tue Nov 24, 9:30 AM">Reply due 9:30 AM</span>',
        ),
        (
            {"status": "in_progress", "first_response_at": DUE, "resolution_due_at": DUE},
            DUE - timedelta(hours=1),
            '<span class="badge text-bg-warning" title="Tue Nov 24, 9:30 AM">Due 9:30 AM</span>',
        ),
        (
            {"status": "new", "response_due_at": DUE},
            DUE - timedelta(days=2),
            '<span class="badge text-bg-light border" title="Tue Nov 24, 9:30 AM">Reply by Tue Nov 24 9:30 AM</span>',
        ),
        (
            {"status": "in_progress", "first_response_at": DUE, "resolution_due_at": DUE},
            DUE - timedelta(days=2),
            '<span class="badge text-bg-light border" title="Tue Nov 24, 9:30 AM">Due Tue Nov 24 9:30 AM</span>',
        ),
        (
            {"status": "waiting", "response_due_at": DUE},
            DUE,
            '<span class="badge text-bg-secondary">Clock paused</span>',
        ),
        ({"status": "new"}, DUE, ""),
    ],
)
def test_sla_badge_markup_in_district_time(fields, now, expected, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: now)
    html = Template("{% load sla_tags %}{% sla_badge ticket %}").render(Context({"ticket": Ticket(**fields)}))
    assert html == expected


def test_sla_badge_speaks_spanish(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DUE - timedelta(days=2))
    ticket = Ticket(status="new", response_due_at=DUE)
    with translation.override("es"):
        html = Template("{% load sla_tags %}{% sla_badge ticket %}").render(Context({"ticket": ticket}))
    assert (
        html
        == '<span class="badge text-bg-light border" title="mar 24 nov., 9:30">Responder antes del mar 24 nov. 9:30</span>'
    )
