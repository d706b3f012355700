"""Impact, urgency and the priority matrix (PRODUCT.md) that every ticket is sorted by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Impact(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


Urgency = Impact


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# PRODUCT.md's matrix: (impact, urgency) -> priority.
PRIORITY_MATRIX: dict[tuple[str, str], str] = {
    (Impact.HIGH, Urgency.LOW): Priority.NORMAL,
    (Impact.HIGH, Urgency.MEDIUM): Priority.HIGH,
    (Impact.HIGH, Urgency.HIGH): Priority.CRITICAL,
    (Impact.MEDIUM, Urgency.LOW): Priority.LOW,
    (Impact.MEDIUM, Urgency.MEDIUM): Priority.NORMAL,
    (Impact.MEDIUM, Urgency.HIGH): Priority.HIGH,
    (Impact.LOW, Urgency.LOW): Priority.LOW,
    (Impact.LOW, Urgency.MEDIUM): Priority.LOW,
    (Impact.LOW, Urgency.HIGH): Priority.NORMAL,
}

# Sorting by priority means sorting by this rank, not alphabetically.
PRIORITY_RANK: dict[str, int] = {Priority.CRITICAL: 4, Priority.HIGH: 3, Priority.NORMAL: 2, Priority.LOW: 1}


def priority_for(impact: str, urgency: str) -> str:
    return PRIORITY_MATRIX[(impact, urgency)]
