"""Saved views of the queue: a name for a set of filters, a technician's own or shared with the team."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SavedView(models.Model):
    name = models.CharField(max_length=80)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    # Shared views show in every technician's list; the owner or a director may remove them.
    shared = models.BooleanField(default=False)
    # The queue page's query string, as the filters posted it (no page number).
    query = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner", "name"], name="saved_view_owner")]

    def __str__(self) -> str:
        return self.name
