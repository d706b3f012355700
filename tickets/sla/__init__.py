"""Service levels: due dates on the district's business clock, pauses while waiting,
warnings and breaches. (Who picks up a ticket is tickets/routing.py; visits, tickets/visits.py.)

A package because each part is small but different; import from `tickets.sla`.
"""

from tickets.sla.breaches import check_sla_deadlines, sla_met
from tickets.sla.clock import (
    apply_due_dates,
    current_targets,
    due_dates,
    pause_clock,
    resume_clock,
    target_for,
    update_sla_target,
)
from tickets.sla.tasks import check_sla_deadlines_task

__all__ = [
    "apply_due_dates",
    "check_sla_deadlines",
    "check_sla_deadlines_task",
    "current_targets",
    "due_dates",
    "pause_clock",
    "resume_clock",
    "sla_met",
    "target_for",
    "update_sla_target",
]
