"""Celery tasks: ids in, fetch, call a service. Thin on purpose.

Beat runs the three periodic ones (see the report for CELERY_BEAT_SCHEDULE).
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import delivery
from schools.errors import DomainError
from surveys import services
from tickets.models import Ticket
from tickets.services import close_ticket


@shared_task(**delivery.SEND_TASK_OPTIONS)
def send_survey_invitation(invitation_id: int) -> bool:
    return services.deliver_invitation(invitation_id)


@shared_task
def sweep_survey_invitations() -> int:
    """Send invitations a lost or failed task left behind; each is claimed, so overlap is safe."""
    older_than = timedelta(seconds=getattr(settings, "SURVEY_SWEEP_AFTER_SECONDS", 180))
    ids = services.unsent_invitation_ids(older_than=older_than)
    return delivery.sweep(ids, services.deliver_invitation, what="Survey invitation")


@shared_task
def send_survey_reminders() -> int:
    """One reminder, three business days after the survey went out, if still unanswered."""
    ids = services.reminder_candidates(now=timezone.now())
    return delivery.sweep(ids, services.deliver_reminder, what="Survey reminder")


@shared_task
def auto_close_resolved_tickets() -> int:
    """Close resolved tickets nobody confirmed within HELPDESK_AUTO_CLOSE_BUSINESS_DAYS.

    Goes through close_ticket (actor None), so the survey follows through the signal.
    """
    days = getattr(settings, "HELPDESK_AUTO_CLOSE_BUSINESS_DAYS", 5)
    closed = 0
    for ticket_id in services.auto_close_candidates(now=timezone.now(), business_days=days):
        try:
            close_ticket(actor=None, ticket=Ticket.objects.get(pk=ticket_id))
        except (DomainError, Ticket.DoesNotExist):
            continue  # reopened or closed by someone since the candidates were read
        closed += 1
    return closed
