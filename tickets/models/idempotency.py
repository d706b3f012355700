"""Idempotency keys of ticket filings (the API's header, the page's form); behaviour in tickets/idempotency.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tickets.models.ticket import Ticket


class IdempotencyKey(models.Model):
    """The key of a filing (the API's `Idempotency-Key`, the new-ticket form's hidden key):
    the same key from the same user files one ticket.

    The unique constraint is the lock: of two racing requests with one key, the
    second insert fails and that request answers with the first one's ticket.
    """

    KEY_MAX_LENGTH = 200

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    request_hash = models.CharField(max_length=64)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_ticket_per_idempotency_key")]

    def __str__(self) -> str:
        return f"{self.key} → #{self.ticket_id}"
