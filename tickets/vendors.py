"""Vendor escalation: writes and reads for tickets handed to an outside company.

Kept beside services.py (which passed 400 lines) rather than inside it; the
transitions still go through services.wait_ticket and services.start_ticket, so the
status rules, the SLA pause and the requester's email stay in one place.
"""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from schools.roles import is_staff_member
from tickets import services
from tickets.errors import DomainError, PermissionDenied
from tickets.models import Ticket, TicketEvent, Vendor, VendorCase


def escalate_to_vendor(*, actor: User, ticket: Ticket, vendor: Vendor, case_number: str, note: str = "") -> VendorCase:
    """Send the ticket to its vendor: record the case, and the ticket waits (SLA paused)."""
    if not is_staff_member(actor):
        raise PermissionDenied("Only the help desk team can escalate to a vendor.")
    case_number = (case_number or "").strip()
    if not case_number:
        raise DomainError("Enter the vendor's case or RMA number.", field="case_number")
    try:
        with transaction.atomic():
            case = VendorCase.objects.create(
                ticket=ticket, vendor=vendor, case_number=case_number, note=(note or "").strip(), created_by=actor
            )
            reason = f"Sent to {vendor.name} (case {case_number})."
            if vendor.turnaround_days:
                reason += f" They usually answer within {vendor.turnaround_days} days."
            services.wait_ticket(actor=actor, ticket=ticket, reason=reason)
            TicketEvent.objects.create(
                ticket=ticket,
                actor=actor,
                kind=TicketEvent.Kind.ESCALATED,
                data={"vendor": vendor.name, "case_number": case_number, "case": case.pk},
            )
    except IntegrityError:
        raise DomainError("This ticket is already out with a vendor.", field="vendor") from None
    return case


def vendor_returned(*, actor: User, case: VendorCase, note: str = "") -> VendorCase:
    """The vendor sent it back: close the case and resume work (the SLA clock restarts)."""
    if not is_staff_member(actor):
        raise PermissionDenied("Only the help desk team can record a vendor's return.")
    with transaction.atomic():
        claimed = VendorCase.objects.filter(pk=case.pk, returned_at__isnull=True).update(returned_at=timezone.now())
        if claimed != 1:
            raise DomainError("This case is already back from the vendor.")
        case.refresh_from_db()
        ticket = case.ticket
        TicketEvent.objects.create(
            ticket=ticket,
            actor=actor,
            kind=TicketEvent.Kind.VENDOR_RETURNED,
            data={"vendor": case.vendor.name, "case_number": case.case_number, "note": (note or "").strip()},
        )
        if ticket.status == Ticket.Status.WAITING:
            services.start_ticket(actor=actor, ticket=ticket)
    return case


def save_vendor(*, vendor: Vendor | None = None, changes: dict[str, Any]) -> Vendor:
    vendor = vendor or Vendor()
    for field, value in changes.items():
        setattr(vendor, field, value.strip() if isinstance(value, str) else value)
    if not vendor.name:
        raise DomainError("Give the vendor a name.", field="name")
    if Vendor.objects.exclude(pk=vendor.pk).filter(name__iexact=vendor.name).exists():
        raise DomainError("A vendor with this name exists.", field="name")
    vendor.save()
    return vendor


# --- reads ----------------------------------------------------------------------


def cases_of(ticket: Ticket) -> QuerySet[VendorCase]:
    return ticket.vendor_cases.select_related("vendor", "created_by")


def turnaround_table(*, since: Any = None) -> list[dict[str, Any]]:
    """Per vendor: cases sent, still out, late ones, and the mean turnaround in days
    against the contract's promise. One aggregate query."""
    since = since or timezone.now() - timedelta(days=365)
    duration = ExpressionWrapper(F("cases__returned_at") - F("cases__sent_at"), output_field=DurationField())
    rows = (
        Vendor.objects.annotate(
            sent=Count("cases", filter=Q(cases__sent_at__gte=since)),
            out=Count("cases", filter=Q(cases__sent_at__gte=since, cases__returned_at__isnull=True)),
            mean_turnaround=Avg(duration, filter=Q(cases__sent_at__gte=since, cases__returned_at__isnull=False)),
        )
        .order_by("name")
        .values("pk", "name", "contact", "contract_reference", "turnaround_days", "sent", "out", "mean_turnaround")
    )
    table = []
    for row in rows:
        mean = row["mean_turnaround"]
        days = round(mean.total_seconds() / 86400, 1) if mean is not None else None
        promised = row["turnaround_days"]
        table.append({**row, "mean_days": days, "late": days is not None and promised is not None and days > promised})
    return table
