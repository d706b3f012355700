"""Periodic SLA job (beat schedule in settings). Thin: call the service."""

from celery import shared_task

from tickets.sla.breaches import check_sla_deadlines


@shared_task(name="tickets.sla.check_sla_deadlines")
def check_sla_deadlines_task() -> dict[str, int]:
    return check_sla_deadlines()
