"""Periodic SLA and visit jobs (beat schedule in settings). Thin: call the services."""

from celery import shared_task

from tickets.sla.breaches import check_sla_deadlines
from tickets.sla.dispatch import roll_past_visits


@shared_task(name="tickets.sla.check_sla_deadlines")
def check_sla_deadlines_task() -> dict[str, int]:
    return check_sla_deadlines()


@shared_task(name="tickets.sla.roll_past_visits")
def roll_past_visits_task() -> int:
    return roll_past_visits()
