from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import School, Visit


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
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True, blank=True)
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

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


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
PRIORITY_RANK = {Priority.CRITICAL: 4, Priority.HIGH: 3, Priority.NORMAL: 2, Priority.LOW: 1}


def priority_for(impact: str, urgency: str) -> str:
    return PRIORITY_MATRIX[(impact, urgency)]


class Ticket(models.Model):
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
            models.Index(
                fields=["resolution_due_at"],
                name="ticket_open_resolution_due",
                condition=Q(status__in=["new", "assigned", "in_progress"]),
            ),
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


class Comment(models.Model):
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


class TicketEvent(models.Model):
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

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("Ticket events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("Ticket events are append-only")


class OutboundEmail(models.Model):
    """An email the desk owes someone, recorded before any task is queued.

    The row is written in the same transaction as the change that causes it, so a
    broker outage only delays it: the sweep finds unsent rows and sends them.
    `claimed_at` is set by a conditional UPDATE before sending, so two workers
    never send the same email.
    """

    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=40)
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failed_permanently = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="outbox_unsent", condition=Q(sent_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"


# --- knowledge base ------------------------------------------------------------
# Kept here rather than in tickets/kb/ so the app has one models module and one
# migration history; the behaviour lives in tickets/kb/ (services, selectors, views).


class Article(models.Model):
    """A self-help article: Markdown written by the desk, shown sanitized to requesters.

    The counters are only ever changed with `F()` updates (see tickets/kb/services.py),
    and edits save with `update_fields`, so a page view racing an edit loses nothing.
    `search_vector` is maintained by the service after every write; it stays empty on
    SQLite, where search falls back to `icontains`.
    """

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        STAFF = "staff", _("Help desk team only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=50000, help_text=_("Markdown."))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", verbose_name=_("category")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    source_ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", editable=False
    )
    search_vector = SearchVectorField(null=True, editable=False)
    views = models.PositiveIntegerField(default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(default=0, editable=False)
    helpful_no = models.PositiveIntegerField(default=0, editable=False)
    deflections = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["status", "audience"], name="article_visibility")]
        # The GIN index on search_vector is created by migration 0002 on PostgreSQL only,
        # so the SQLite demo can still migrate.

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ArticleVote(models.Model):
    """One "Was this helpful?" answer per user per article; the unique constraint enforces it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="one_vote_per_user_per_article")]

    def __str__(self) -> str:
        return f"{'yes' if self.helpful else 'no'} on {self.article_id}"


class Deflection(models.Model):
    """A request that was never filed because an article solved it ("This solved it")."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflection_rows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    query = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["article", "created_at"], name="deflection_article")]

    def __str__(self) -> str:
        return f"Deflection to {self.article_id}"


class Vendor(models.Model):
    """An outside company responsible for part of the support (repairs, warranty, software)."""

    name = models.CharField(max_length=200, unique=True)
    contact = models.CharField(max_length=300, blank=True, help_text="Phone, email or portal")
    contract_reference = models.CharField(max_length=200, blank=True, help_text="Contract or RFP number")
    turnaround_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Turnaround the contract promises, in days"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VendorCase(models.Model):
    """A ticket handed to a vendor: while it is out, the ticket waits and its SLA clock pauses."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="vendor_cases")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="cases")
    case_number = models.CharField(max_length=100, help_text="The vendor's case or RMA number")
    note = models.TextField(blank=True, max_length=2000)
    sent_at = models.DateTimeField(default=timezone.now)
    returned_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            # One case out at a time per ticket.
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(returned_at__isnull=True), name="vendorcase_one_open_per_ticket"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vendor} case {self.case_number}"


# --- attachments and idempotent filing -----------------------------------------
# Behaviour in tickets/attachments.py (checks, storage, visibility) and
# tickets/idempotency.py (the API's Idempotency-Key).


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    """A random stored name: the uploader's file name never reaches the file system."""
    import uuid

    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file sent with a ticket or a comment (mostly screenshots).

    Stored under MEDIA_ROOT with a random name and served only through a view that
    checks the ticket's visibility, always as a download. `content_type` is what the
    bytes are (sniffed on upload), never what the browser claimed.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="attachment_ticket")]

    def __str__(self) -> str:
        return self.original_name


class IdempotencyKey(models.Model):
    """`Idempotency-Key` of an API create: the same key from the same user files one ticket.

    The unique constraint is the lock: of two racing requests with one key, the
    second insert fails and that request answers with the first one's ticket.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_ticket_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.key} → #{self.ticket_id}"
