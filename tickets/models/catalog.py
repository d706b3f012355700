"""Where tickets go: queues, categories and the service-level target per priority."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from schools.models import School
from schools.translated import in_reader_language
from tickets.models.priority import Priority


class Queue(models.Model):
    """Where tickets wait: one per school, plus a few district-wide team queues."""

    name = models.CharField(max_length=200)
    school = models.OneToOneField(School, null=True, blank=True, on_delete=models.CASCADE, related_name="queue")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_district_wide(self) -> bool:
        return self.school_id is None


class Category(models.Model):
    SLUG_MAX_LENGTH = 100

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True, blank=True)
    in_scope = models.BooleanField(default=True)
    queue = models.ForeignKey(
        Queue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
        limit_choices_to={"school__isnull": True},
        help_text="A district-wide queue this category routes to; empty means the school's own queue.",
    )
    responsible_party = models.CharField(max_length=200, blank=True)
    vendor = models.ForeignKey(
        "Vendor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
        help_text="The outside company responsible for this kind of problem, if any (contact, contract, turnaround).",
    )
    guidance = models.TextField(
        blank=True, help_text="Shown to the requester instead of the form when the category is out of scope."
    )
    # The same texts in Spanish for Spanish readers (schools.translated); empty shows the English.
    name_es = models.CharField(max_length=100, blank=True)
    responsible_party_es = models.CharField(max_length=200, blank=True)
    guidance_es = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        """The name in the reader's language: choice lists and pages show `{{ category }}`."""
        return in_reader_language(self, "name")


class SlaTarget(models.Model):
    """How fast the desk promises to answer and to solve a ticket of one priority.

    Counted in business time of the district calendar: minutes and hours of open
    time, or whole business days (the same time of day, N school days later).
    """

    class Unit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        DAYS = "days", _("business days")

    priority = models.CharField(max_length=10, choices=Priority.choices, unique=True)
    response_value = models.PositiveIntegerField()
    response_unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.HOURS)
    resolution_value = models.PositiveIntegerField()
    resolution_unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.HOURS)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_priority_display()} targets"
