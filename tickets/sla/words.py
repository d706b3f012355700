"""SLA targets said the way the support page promises them: "30 minutes", "4 working hours"."""

from typing import Any

from django.utils.translation import ngettext

from tickets.models import PRIORITY_RANK, Priority, SlaTarget


def target_in_words(value: int, unit: str) -> str:
    if unit == SlaTarget.Unit.MINUTES:
        return ngettext("%(n)s minute", "%(n)s minutes", value) % {"n": value}
    if unit == SlaTarget.Unit.DAYS:
        return ngettext("%(n)s working day", "%(n)s working days", value) % {"n": value}
    return ngettext("%(n)s working hour", "%(n)s working hours", value) % {"n": value}


def published_targets() -> list[dict[str, Any]]:
    """The targets the director saved (the SLA targets page), most urgent first, in words."""
    targets = sorted(SlaTarget.objects.all(), key=lambda target: -PRIORITY_RANK[Priority(target.priority)])
    return [
        {
            "priority": target.priority,
            "label": target.get_priority_display(),
            "response": target_in_words(target.response_value, target.response_unit),
            "resolution": target_in_words(target.resolution_value, target.resolution_unit),
        }
        for target in targets
    ]
