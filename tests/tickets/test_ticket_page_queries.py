"""The staff ticket page asks for files, failed emails and vendor cases only when its ticket has some
(selectors.ticket_page's EXISTS flags), and still shows each of them when there are."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices.models import Asset
from notifications.models import OutboundEmail
from schools.models import Visit
from tests import factories
from tickets import attachments
from tickets.models import Ticket, Vendor
from tickets.vendors import escalate_to_vendor

pytestmark = pytest.mark.django_db

SIDE_TABLES = ("tickets_attachment", OutboundEmail._meta.db_table, "tickets_vendorcase")


def _page(client, ticket) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/tickets/{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries.captured_queries]


def _asks(statements: list[str], table: str) -> bool:
    """A query of its own on `table` (not the EXISTS inside the ticket's query)."""
    return any(sql.startswith(f'SELECT "{table}".') for sql in statements)


def test_a_ticket_with_none_of_them_reads_none_of_them(client, technician, ticket):
    client.force_login(technician)
    page, statements = _page(client, ticket)
    assert not any(_asks(statements, table) for table in SIDE_TABLES)
    assert "No files yet." in page
    assert "Some emails could not be sent" not in page


def test_a_ticket_with_each_of_them_shows_each_of_them(client, technician, ticket):
    client.force_login(technician)
    _page(client, ticket)  # warm: the district calendar and targets are read once per process
    _empty_page, before = _page(client, ticket)
    attachments.add_attachments(
        actor=technician, ticket=ticket, uploads=[SimpleUploadedFile("screen.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)]
    )
    OutboundEmail.objects.create(
        ticket=ticket,
        kind="reply",
        to="gone@district.example",
        subject="About your request",
        body_text="Hello",
        failed_permanently=True,
        attempts=5,
        last_error="550 no such user",
    )
    vendor = Vendor.objects.create(name="Projectors Inc.", turnaround_days=5)
    escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number="PJ-4411")
    page, after = _page(client, ticket)
    assert [table for table in SIDE_TABLES if not _asks(after, table)] == []
    assert sum(_asks([sql], table) for sql in after for table in SIDE_TABLES) == 3  # one read each
    # The vendor list goes (a case is out, so there is nothing to escalate to): 12 + 3 - 1.
    assert len(after) == len(before) + 3 - 1
    assert "screen.png" in page
    assert "gone@district.example" in page and "550 no such user" in page
    assert "PJ-4411" in page


def test_the_visit_the_device_and_another_school_are_read_only_when_the_ticket_has_them(client, technician, ticket):
    """selectors.ticket_page: none of them joined into the ticket's query; each read (once) when there."""
    client.force_login(technician)
    _page(client, ticket)  # warm
    page, plain = _page(client, ticket)
    assert not any(sql.startswith(('SELECT "schools_visit".', 'SELECT "devices_asset".')) for sql in plain)
    assert ticket.school.name in page

    elsewhere = factories.SchoolFactory(name="Lincoln Elementary")
    ticket.requester.profile.school = elsewhere
    ticket.requester.profile.save()
    visit = Visit.objects.create(technician=technician, school=ticket.school, date=date(2026, 12, 8))
    asset = Asset.objects.create(tag="CB-20417", kind="chromebook", school=ticket.school)
    Ticket.objects.filter(pk=ticket.pk).update(visit=visit, asset=asset)
    page, full = _page(client, ticket)
    assert len(full) == len(plain) + 3  # the visit, the device, the requester's own school
    assert "Lincoln Elementary" in page and "CB-20417" in page and "Dec 8, 2026" in page
