"""Devices (assets), who has them, loaners, and routine maintenance on the rotation.

Sits between schools (below) and tickets (above): nothing here imports tickets. A
ticket points at its device (`Ticket.asset`, related name `tickets`), so a device's
tickets are `asset.tickets`.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.choices import ChoiceLabels
from schools.models import School, Visit


class Asset(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        LAPTOP = "laptop", _("Laptop")
        CHROMEBOOK = "chromebook", _("Chromebook")
        DESKTOP = "desktop", _("Desktop")
        TABLET = "tablet", _("Tablet")
        PROJECTOR = "projector", _("Projector")
        DISPLAY = "display", _("Display")
        PRINTER = "printer", _("Printer")
        NETWORK = "network", _("Network equipment")
        PHONE = "phone", _("Phone")
        OTHER = "other", _("Other")

    class Owner(models.TextChoices):
        DISTRICT = "district", _("District")
        PERSONAL = "personal", _("Personal")

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        IN_REPAIR = "in_repair", _("In repair")
        LOANER = "loaner", _("Loaner")
        RETIRED = "retired", _("Retired")
        LOST = "lost", _("Lost")

    tag = models.CharField(max_length=50, help_text="The asset tag; unique whatever the case.")
    serial = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    model = models.CharField(max_length=200, blank=True)
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="assets")
    room = models.CharField(max_length=50, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assets"
    )
    owner = models.CharField(max_length=10, choices=Owner.choices, default=Owner.DISTRICT)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    purchased_on = models.DateField(null=True, blank=True)
    warranty_end = models.DateField(null=True, blank=True)
    vendor = models.CharField(max_length=200, blank=True, help_text="Who sold it or holds its warranty.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tag"]
        constraints = [models.UniqueConstraint(Upper("tag"), name="asset_tag_unique_ci")]
        indexes = [
            models.Index(Upper("serial"), name="asset_serial_upper"),
            models.Index(fields=["school", "kind"], name="asset_school_kind"),
            models.Index(fields=["assigned_to"], name="asset_assigned_to"),
            models.Index(fields=["warranty_end"], name="asset_warranty_end"),
            models.Index(fields=["status"], name="asset_status"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} ({self.get_kind_display()})"

    def warranty_days_left(self, today: date | None = None) -> int | None:
        """Days until the warranty ends (negative once it has), or None when unknown."""
        if self.warranty_end is None:
            return None
        return (self.warranty_end - (today or timezone.localdate())).days

    @property
    def warranty_state(self) -> str:
        """`unknown`, `expired`, `ending` (within 90 days) or `active`."""
        days = self.warranty_days_left()
        if days is None:
            return "unknown"
        if days < 0:
            return "expired"
        return "ending" if days <= WARRANTY_ENDING_DAYS else "active"


WARRANTY_ENDING_DAYS = 90


class AssetAssignment(models.Model):
    """Who had the device and where, one row per holder; the open row has no `ended_at`."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="assignments")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    room = models.CharField(max_length=50, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["asset", "-started_at"], name="assignment_asset")]

    def __str__(self) -> str:
        return f"{self.asset_id} → {self.person_id}"


class Loan(models.Model):
    """A loaner checked out to a person while their own device is in repair."""

    loaner = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans")
    for_asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="loans_while_in_repair"
    )
    due_back = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    checked_out_at = models.DateTimeField(default=timezone.now)
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_back", "id"]
        constraints = [
            # A loaner is with one person at a time.
            models.UniqueConstraint(fields=["loaner"], condition=Q(checked_in_at__isnull=True), name="loan_one_open"),
        ]
        indexes = [
            models.Index(fields=["due_back"], condition=Q(checked_in_at__isnull=True), name="loan_open_due"),
            models.Index(fields=["borrower"], condition=Q(checked_in_at__isnull=True), name="loan_open_borrower"),
        ]

    def __str__(self) -> str:
        return f"{self.loaner_id} lent to {self.borrower_id}"

    @property
    def is_open(self) -> bool:
        return self.checked_in_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_back < timezone.localdate()


class MaintenancePlan(models.Model):
    """Routine work every N weeks at one school, or at every school (`school` empty)."""

    title = models.CharField(max_length=200)
    checklist = models.TextField(blank=True, max_length=5000, help_text="One step a line.")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="maintenance_plans"
    )
    every_n_weeks = models.PositiveSmallIntegerField(default=4)
    starts_on = models.DateField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def checklist_items(self) -> list[str]:
        return [line.strip() for line in self.checklist.splitlines() if line.strip()]


class MaintenanceTask(models.Model):
    """One time a plan falls due at one school, on that school's first planned visit on or after it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    plan = models.ForeignKey(MaintenancePlan, on_delete=models.CASCADE, related_name="tasks")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="maintenance_tasks")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="maintenance_tasks")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    note = models.TextField(blank=True, max_length=2000)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "school", "due_on"], name="maintenance_task_once"),
        ]
        indexes = [
            models.Index(fields=["school", "due_on"], name="maintenance_task_school"),
            models.Index(fields=["visit"], name="maintenance_task_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} at {self.school} ({self.due_on})"


class AssetImport(models.Model):
    """A file a director uploaded on the import page, kept between its preview and "apply".

    Its text is blanked once applied (it may name people); the row stays as the record
    of who imported what and when.
    """

    filename = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.filename
