"""Service levels: due dates on the district's business clock, pauses while waiting,
warnings and breaches, and who picks up a new ticket and when someone goes on site.

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
from tickets.sla.dispatch import (
    auto_assign,
    complete_visit,
    email_auto_assignee,
    is_dispatched,
    on_duty_technicians,
    place_on_site,
    roll_past_visits,
)
from tickets.sla.tasks import check_sla_deadlines_task, roll_past_visits_task

__all__ = [
    "apply_due_dates",
    "auto_assign",
    "check_sla_deadlines",
    "check_sla_deadlines_task",
    "complete_visit",
    "current_targets",
    "due_dates",
    "email_auto_assignee",
    "is_dispatched",
    "on_duty_technicians",
    "pause_clock",
    "place_on_site",
    "resume_clock",
    "roll_past_visits",
    "roll_past_visits_task",
    "sla_met",
    "target_for",
    "update_sla_target",
]
