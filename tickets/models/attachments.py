"""Files on a ticket; checks, storage and visibility in tickets/attachments.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tickets.models.ticket import Comment, Ticket


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
