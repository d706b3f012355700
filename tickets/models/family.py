"""A student's or a family's report of a problem with a school device; behaviour in tickets/family.py."""

from django.db import models
from django.utils import timezone

from devices.models import Asset
from tickets.models.ticket import Ticket


class FamilyReport(models.Model):
    """Recorded when the form is sent; it files a ticket only once its email address confirms.

    Only what the help desk needs: the device, what is wrong, an address to confirm and
    to reach the reporter. No names, no student records, no client address. The link's
    token is stored as its SHA-256, so the table alone opens no report.
    """

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="family_reports")
    description = models.TextField(max_length=2000)
    email = models.EmailField()
    language = models.CharField(max_length=10, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="family_report"
    )
    # Not a column: the raw token, set only on the object `family.report_device_problem` returns.
    token: str

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Report on {self.asset_id} ({'confirmed' if self.confirmed_at else 'waiting'})"
