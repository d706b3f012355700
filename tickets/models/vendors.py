"""Outside companies and the cases escalated to them; behaviour in tickets/vendors.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tickets.models.ticket import Ticket


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
