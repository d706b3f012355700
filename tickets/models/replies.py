"""Saved replies: a technician's own and the team's shared ones, with placeholders."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SavedReply(models.Model):
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=20000, help_text="Placeholders: {first_name}, {next_visit}, {ticket}, {me}.")
    # Shared replies are the team's (written by the director); the others are their owner's alone.
    shared = models.BooleanField(default=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_replies")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["owner", "title"], name="saved_reply_owner")]

    def __str__(self) -> str:
        return self.title
