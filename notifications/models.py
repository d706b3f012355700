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
