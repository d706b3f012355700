from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tickets import vendors
from tickets.errors import DomainError, InvalidTransition, PermissionDenied
from tickets.models import Vendor, VendorCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor():
    return Vendor.objects.create(name="Acme Repair", contact="800-555-0100", turnaround_days=5)


def test_escalating_records_the_case_and_the_ticket_waits_with_the_clock_paused(
    ticket, technician, vendor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = vendors.escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number=" RMA-42 ")
    ticket.refresh_from_db()
    assert case.case_number == "RMA-42"
    assert ticket.status == "waiting"
    assert ticket.sla_paused_at is not None
    assert list(ticket.events.values_list("kind", flat=True))[-2:] == ["waiting", "escalated"]
    # The requester hears why in plain words.
    assert any("Acme Repair" in message.body and "RMA-42" in message.body for message in mail.outbox)


def test_the_return_resumes_work_and_pushes_due_dates_out(ticket, technician, vendor):
    due_before = ticket.resolution_due_at
    case = vendors.escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number="1")
    # Pretend the vendor kept it for two business days.
    ticket.refresh_from_db()
    type(ticket).objects.filter(pk=ticket.pk).update(sla_paused_at=ticket.sla_paused_at - timedelta(days=2))
    vendors.vendor_returned(actor=technician, case=case, note="New board fitted")
    ticket.refresh_from_db()
    case.refresh_from_db()
    assert case.returned_at is not None
    assert ticket.status == "in_progress"
    assert ticket.sla_paused_at is None and ticket.resolution_due_at > due_before
    assert ticket.events.filter(kind="vendor_returned", data__note="New board fitted").exists()


def test_one_case_out_at_a_time(ticket, technician, vendor):
    vendors.escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number="1")
    with pytest.raises((DomainError, InvalidTransition)):
        vendors.escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number="2")
    assert VendorCase.objects.filter(ticket=ticket).count() == 1


def test_a_return_is_recorded_once(ticket, technician, vendor):
    case = vendors.escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number="1")
    vendors.vendor_returned(actor=technician, case=case)
    with pytest.raises(DomainError):
        vendors.vendor_returned(actor=technician, case=case)


def test_requesters_cannot_escalate_and_a_case_number_is_required(ticket, teacher, technician, vendor):
    with pytest.raises(PermissionDenied):
        vendors.escalate_to_vendor(actor=teacher, ticket=ticket, vendor=vendor, case_number="1")
    with pytest.raises(DomainError):
        vendors.escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number="  ")
    ticket.refresh_from_db()
    assert ticket.status == "new" and not VendorCase.objects.exists()


def test_turnaround_table_compares_with_the_contract(technician, vendor, category):
    now = timezone.now()
    for days in (3, 9):
        ticket = factories.TicketFactory(category=category)
        VendorCase.objects.create(
            ticket=ticket, vendor=vendor, case_number=str(days), sent_at=now - timedelta(days=20),
            returned_at=now - timedelta(days=20 - days), created_by=technician,
        )  # fmt: skip
    VendorCase.objects.create(
        ticket=factories.TicketFactory(category=category), vendor=vendor, case_number="out", created_by=technician
    )
    [row] = vendors.turnaround_table()
    assert (row["sent"], row["out"], row["mean_days"], row["late"]) == (3, 1, 6.0, True)


def test_pages_escalate_and_return(client, ticket, technician, vendor):
    client.force_login(technician)
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "Send to a vendor" in page
    response = client.post(reverse("ticket-escalate", args=[ticket.pk]), {"vendor": vendor.pk, "case_number": "X1"})
    assert response.status_code == 302
    case = VendorCase.objects.get()
    assert "Back from vendor" in client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    client.post(reverse("vendor-case-returned", args=[case.pk]))
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"
    assert client.get(reverse("ticket-escalate", args=[ticket.pk])).status_code == 405


def test_vendor_pages_are_for_staff_and_the_table_for_directors(client, ticket, teacher, technician, director, vendor):
    client.force_login(teacher)
    assert client.post(reverse("ticket-escalate", args=[ticket.pk]), {"vendor": vendor.pk}).status_code == 404
    assert client.get(reverse("vendors")).status_code == 403
    client.force_login(technician)
    assert client.get(reverse("vendors")).status_code == 403
    client.force_login(director)
    assert client.get(reverse("vendors")).status_code == 200
    response = client.post(reverse("vendors"), {"name": "<script>x</script>", "turnaround_days": "3"})
    assert response.status_code == 302
    assert "&lt;script&gt;x&lt;/script&gt;" in client.get(reverse("vendors")).content.decode()


def test_bad_escalation_input_is_a_message_not_a_500(client, ticket, technician):
    client.force_login(technician)
    response = client.post(reverse("ticket-escalate", args=[ticket.pk]), {"vendor": "abc"}, follow=True)
    assert response.status_code == 200
    assert not VendorCase.objects.exists()


# --- SLA targets page (lives beside the vendor pages) -----------------------------------


def test_director_edits_sla_targets_on_a_page(client, director, technician):
    from tickets.models import SlaTarget

    client.force_login(technician)
    assert client.get(reverse("sla_targets")).status_code == 403
    client.force_login(director)
    page = client.get(reverse("sla_targets")).content.decode()
    assert page.index("Critical") < page.index("Low")
    data = {"priority": "high", "high-response_value": "2", "high-response_unit": "hours",
            "high-resolution_value": "1", "high-resolution_unit": "days"}  # fmt: skip
    assert client.post(reverse("sla_targets"), data).status_code == 302
    high = SlaTarget.objects.get(priority="high")
    assert (high.response_value, high.response_unit, high.resolution_value, high.resolution_unit) == (
        2,
        "hours",
        1,
        "days",
    )
    bad = {**data, "high-response_value": "0"}
    assert client.post(reverse("sla_targets"), bad).status_code == 200
    assert SlaTarget.objects.get(priority="high").response_value == 2


def test_a_category_names_its_vendor_and_the_support_page_says_how_to_reach_them(client, director, vendor):
    from tests.conftest import api_as

    response = api_as(director).post(
        "/api/categories/", {"name": "Chromebook repair", "vendor": vendor.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["vendor"] == vendor.pk and response.json()["responsible_party"] == "Acme Repair"
    page = client.get(reverse("support")).content.decode()
    assert "800-555-0100" in page and "Usually back within 5 days" in page
