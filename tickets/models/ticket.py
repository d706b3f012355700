"""A ticket, its conversation and its append-only history."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.choices import ChoiceLabels
from schools.models import School, Visit
from tickets.models.catalog import Category, Queue
from tickets.models.priority import Impact, Priority, Urgency


class Ticket(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class ServiceMode(models.TextChoices):
        REMOTE = "remote", _("Remote")
        ON_SITE = "on_site", _("On site")

    class DeviceOwner(models.TextChoices):
        DISTRICT = "district", _("The district's")
        PERSONAL = "personal", _("My own (personal)")

    class WaitingOn(models.TextChoices):
        REQUESTER = "requester", _("The requester")
        THIRD_PARTY = "third_party", _("A third party (a part, a vendor)")

    OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING)

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=20000)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="tickets")
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="tickets")
    impact = models.CharField(max_length=10, choices=Impact.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, editable=False)
    priority_rank = models.PositiveSmallIntegerField(editable=False, default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets"
    )
    service_mode = models.CharField(max_length=10, choices=ServiceMode.choices, null=True, blank=True)
    asset_tag = models.CharField(max_length=50, blank=True)
    # The device, when the tag names one we know; an unknown tag stays as text (tickets.assets).
    asset = models.ForeignKey("devices.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    # Personal devices get help with district Wi-Fi, accounts and apps only (see /support/).
    device_owner = models.CharField(max_length=10, choices=DeviceOwner.choices, blank=True)
    needed_by = models.DateField(null=True, blank=True)
    # Whom a waiting ticket waits on; blank when it is not waiting. A requester's reply
    # resumes a ticket waiting on them; one waiting on a part or a vendor stays waiting.
    waiting_on = models.CharField(max_length=20, choices=WaitingOn.choices, blank=True, default="")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    resolution = models.TextField(blank=True)
    self_help = models.TextField(blank=True, help_text="How the requester can handle it next time.")
    self_help_article = models.ForeignKey(
        "Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A self-help article that teaches the fix, sent with the resolution.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # Copied on the public updates the requester gets (tickets.followers): staff, and people
    # at the ticket's school. Following does not widen who may open the ticket.
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_tickets")
    # A duplicate closed into another ticket (tickets.merge); the page links to it.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from", editable=False
    )

    created_at = models.DateTimeField(default=timezone.now)  # indexed in Meta, with the metrics' filters
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # indexed in Meta (ticket_closed_metrics)
    response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    # The SLA clock: stopped while waiting; `sla_paused_minutes` is the business time
    # spent waiting so far, so due dates can be recomputed when priority changes.
    sla_paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    sla_paused_minutes = models.PositiveIntegerField(default=0, editable=False)
    # Set once by a conditional UPDATE, so each warning and breach is recorded once.
    response_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    response_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_breached_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["school", "status", "-priority_rank", "-created_at"], name="ticket_school_queue"),
            models.Index(fields=["queue", "status", "-priority_rank", "-created_at"], name="ticket_queue_status"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee"),
            models.Index(fields=["asset", "-created_at"], name="ticket_asset"),
            # The director's figures (surveys.metrics) count tickets opened or closed in a range,
            # optionally for one school, technician or category. Carrying those columns (and, for
            # closed tickets, the timestamps the medians and SLA need) lets PostgreSQL answer from
            # the index alone instead of visiting a heap page per ticket: at a million tickets,
            # the school year's medians went from 1,136 ms to 301 ms (EXPLAIN ANALYZE, loaded machine).
            models.Index(fields=["created_at"], include=["school", "assignee", "category"], name="ticket_created"),
            models.Index(
                fields=["closed_at"],
                include=[
                    "id",
                    "created_at",
                    "first_response_at",
                    "resolved_at",
                    "response_due_at",
                    "resolution_due_at",
                    "sla_paused_at",  # SLA_MET (tickets.sla.breaches) reads it: a ticket closed while waiting
                    "service_mode",
                    "school",
                    "assignee",
                    "category",
                ],
                condition=Q(closed_at__isnull=False),
                name="ticket_closed_metrics",
            ),
            models.Index(
                fields=["-priority_rank", "-created_at"],
                name="ticket_open_by_priority",
                condition=Q(status__in=["new", "assigned", "in_progress", "waiting"]),
            ),
            # The queue's default order, "mine first" (tickets.selectors.mine_first_page_ids): each
            # part walked in its own order, by priority and oldest first: the technician's own along
            # the first index, nobody's along the second, colleagues' along the third (the assignee
            # last in it, so skipping the technician's own needs no row read).
            models.Index(
                fields=["assignee", "-priority_rank", "created_at", "-id"],
                name="ticket_open_mine_first",
                condition=Q(status__in=["new", "assigned", "in_progress", "waiting"]),
            ),
            models.Index(
                fields=["-priority_rank", "created_at", "-id"],
                name="ticket_open_unassigned",
                condition=Q(status__in=["new", "assigned", "in_progress", "waiting"], assignee__isnull=True),
            ),
            models.Index(
                fields=["-priority_rank", "created_at", "-id", "assignee"],
                name="ticket_open_oldest_first",
                condition=Q(status__in=["new", "assigned", "in_progress", "waiting"]),
            ),
            models.Index(
                fields=["resolution_due_at"],
                name="ticket_open_resolution_due",
                condition=Q(status__in=["new", "assigned", "in_progress"]),
            ),
            # The queue's "Due today" tab counts open tickets (waiting ones too) by due date up to its cap.
            models.Index(
                fields=["resolution_due_at"],
                name="ticket_open_due",
                condition=Q(status__in=["new", "assigned", "in_progress", "waiting"]),
            ),
            # ... and its "Waiting on a part" tab, a handful among the open ones.
            models.Index(fields=["waiting_on"], name="ticket_waiting_on", condition=Q(status="waiting")),
            models.Index(
                fields=["response_due_at"],
                name="ticket_awaiting_response_due",
                condition=Q(status__in=["new", "assigned", "in_progress"], first_response_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Comment(ChoiceLabels, models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=20000)
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on #{self.ticket_id}"


class TicketEvent(ChoiceLabels, models.Model):
    """Append-only history of a ticket: one row per change, never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ASSIGNED = "assigned", _("Assigned")
        STARTED = "started", _("Started")
        WAITING = "waiting", _("Waiting")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        COMMENTED = "commented", _("Commented")
        UPDATED = "updated", _("Updated")
        ESCALATED = "escalated", _("Sent to vendor")
        VENDOR_RETURNED = "vendor_returned", _("Back from vendor")
        EMAIL_FAILED = "email_failed", _("Email failed")
        SLA_WARNING = "sla_warning", _("Target about to be missed")
        SLA_BREACHED = "sla_breached", _("Target missed")
        SCHEDULED = "scheduled", _("Scheduled for a visit")
        DISPATCH = "dispatch", _("Dispatch now")
        MERGED = "merged", _("Merged into another ticket")
        MERGED_IN = "merged_in", _("Another ticket merged in")
        FOLLOWERS = "followers", _("Followers changed")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.ticket_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Ticket events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Ticket events are append-only")
