from django.conf import settings
from django.db import models
from django.db.models import Q


class OutboundEmail(models.Model):
    """An email the desk owes someone, recorded before any task is queued.

    The row is written in the same transaction as the change that causes it, so a
    broker outage only delays it: the sweep finds unsent rows and sends them.
    `claimed_at` is set by a conditional UPDATE before sending, so two workers
    never send the same email.
    """

    # By name, not by import: notifications sits below tickets and never imports it.
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
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
    # Threading (notifications.threading): this email's own id, and the ticket's first
    # email that it answers. Empty on rows recorded before threading existed.
    message_id = models.CharField(max_length=250, null=True, blank=True, unique=True)
    in_reply_to = models.CharField(max_length=250, blank=True)

    class Meta:
        # The table it had when it lived in tickets: moving the model moved no rows.
        db_table = "tickets_outboundemail"
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["created_at"], name="outbox_unsent", condition=Q(sent_at__isnull=True)),
            # The password reset's "one email per address per few minutes" (notifications.password_reset).
            models.Index(
                fields=["to", "created_at"], name="outbox_password_resets", condition=Q(kind="password_reset")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to}"


class InboundEmail(models.Model):
    """A message read from the desk's mailbox: the ledger that makes each one count once.

    Written in the same transaction as the ticket or comment it made, so a crash
    between that commit and marking the message in the mailbox finds the
    `message_id` here next time and only marks it. The "needs a look" rows are the
    list staff work through (the page /email/needs-a-look/: try again or dismiss).
    """

    class Outcome(models.TextChoices):
        TICKET = "ticket", "Filed a ticket"
        COMMENT = "comment", "Added a comment"
        IGNORED = "ignored", "Ignored"
        NOT_FILED = "not_filed", "Not filed"
        NEEDS_LOOK = "needs_look", "Needs a look"
        # Handling raised: tried again on the next runs, then NEEDS_LOOK (ledger.note_failure).
        FAILING = "failing", "Failed, will try again"
        DISMISSED = "dismissed", "Dismissed by staff"

    message_id = models.CharField(max_length=250, unique=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_at = models.DateTimeField(auto_now_add=True)
    # Runs that raised while handling it (FAILING, then NEEDS_LOOK).
    attempts = models.PositiveSmallIntegerField(default=0)
    # The message itself while it needs a look, so staff can try it again from the page;
    # empty when it was too large to keep (it is in the mailbox's folder) and once dismissed.
    raw = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "notifications_inboundemail"
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["-received_at"], name="inbound_needs_look", condition=Q(outcome="needs_look")),
        ]

    def __str__(self) -> str:
        return f"{self.outcome}: {self.subject} from {self.sender}"


class EmailPreference(models.Model):
    """Which emails a person chose not to get, by topic (notifications.preferences)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference")
    muted = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Email preferences of {self.user}"
