"""Auto-close: resolved tickets nobody confirmed close themselves, and their survey follows."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from surveys import tasks as survey_tasks
from surveys.models import SurveyInvitation
from tests import factories
from tickets import services
from tickets import tasks as ticket_tasks
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def survey_emails():
    return [m for m in mail.outbox if "How did we do?" in m.subject]


def test_auto_close_closes_stale_resolved_tickets_and_sends_their_survey(
    teacher, category, technician, settings, django_capture_on_commit_callbacks
):
    settings.HELPDESK_AUTO_CLOSE_BUSINESS_DAYS = 5
    stale = factories.TicketFactory(requester=teacher, category=category)
    fresh = factories.TicketFactory(requester=teacher, category=category)
    for ticket in (stale, fresh):
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
    Ticket.objects.filter(pk=stale.pk).update(resolved_at=timezone.now() - timedelta(days=10))
    Ticket.objects.filter(pk=fresh.pk).update(resolved_at=timezone.now() - timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ticket_tasks.auto_close_resolved_tickets() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == Ticket.Status.CLOSED and fresh.status == Ticket.Status.RESOLVED
    closed_event = stale.events.get(kind="closed")
    assert closed_event.actor is None and closed_event.data["automatic"] is True
    invitation = SurveyInvitation.objects.get(ticket=stale)
    assert invitation.closed_by is None and invitation.sent_at is not None
    assert [m.to for m in survey_emails()] == [[teacher.email]]


def test_the_old_task_name_still_closes_through_the_tickets_rule(teacher, category, technician, settings):
    settings.HELPDESK_AUTO_CLOSE_BUSINESS_DAYS = 5
    ticket = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed")
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=10))
    assert survey_tasks.auto_close_resolved_tickets.name == "surveys.tasks.auto_close_resolved_tickets"
    assert ticket_tasks.auto_close_resolved_tickets.name == "tickets.tasks.auto_close_resolved_tickets"
    assert survey_tasks.auto_close_resolved_tickets() == 1
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


def test_beat_runs_auto_close_under_its_tickets_name(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "tickets.tasks.auto_close_resolved_tickets" in tasks
    assert "surveys.tasks.auto_close_resolved_tickets" not in tasks
