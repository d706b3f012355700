"""Celery tasks: ids in, fetch, call a service. Thin on purpose.

Beat runs the periodic ones (CELERY_BEAT_SCHEDULE in settings).
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications import delivery
from surveys import services
from tickets import tasks as ticket_tasks


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


@shared_task(name="surveys.tasks.auto_close_resolved_tickets")
def auto_close_resolved_tickets() -> int:
    """The old name of tickets.tasks.auto_close_resolved_tickets, kept registered so a beat
    that has not restarted (or a message already queued) still runs it."""
    return ticket_tasks.auto_close_resolved_tickets()
