"""The queue view as CSV (issue 19, item 10): the page's filters and order, every row,
formula-safe, readable by Excel, staff only."""

import csv
import io

import pytest
from django.urls import reverse

from tests import factories
from tickets import services
from tickets.csv import BOM
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def export(client, query: str = "") -> tuple[bytes, list[list[str]]]:
    response = client.get(reverse("ticket-export") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="tickets-')
    body = b"".join(response.streaming_content)
    text = body.decode("utf-8").removeprefix(BOM)
    return body, list(csv.reader(io.StringIO(text)))


def ids(table: list[list[str]]) -> list[int]:
    return [int(row[0]) for row in table[1:]]


def test_export_applies_the_queue_filters_and_keeps_its_order(client, technician, school, category):
    elsewhere = factories.SchoolFactory()
    here_low = factories.TicketFactory(
        requester=factories.UserFactory(profile__school=school), category=category, impact="low", urgency="low"
    )
    here_high = factories.TicketFactory(
        requester=factories.UserFactory(profile__school=school), category=category, impact="high", urgency="high"
    )
    here_closed = factories.TicketFactory(requester=factories.UserFactory(profile__school=school), category=category)
    services.close_ticket(actor=technician, ticket=here_closed)
    there = factories.TicketFactory(requester=factories.UserFactory(profile__school=elsewhere), category=category)
    client.force_login(technician)
    query = f"school={school.pk}&open=true&ordering=-priority&page=2"

    _, table = export(client, query)

    assert ids(table) == [here_high.pk, here_low.pk]
    assert there.pk not in ids(table) and here_closed.pk not in ids(table)
    # Exactly what the page lists (the page's `page` is dropped: the export is every row).
    page = client.get(reverse("ticket-list"), {"school": school.pk, "open": "true", "ordering": "-priority"})
    assert [t.pk for t in page.context["tickets"]] == ids(table)
    assert table[0][:3] == ["id", "title", "school"]
    assert table[1][2] == school.name


def test_export_without_filters_is_the_default_open_view(client, technician, teacher, category):
    open_ticket = factories.TicketFactory(requester=teacher, category=category)
    closed = factories.TicketFactory(requester=teacher, category=category)
    services.close_ticket(actor=technician, ticket=closed)
    client.force_login(technician)
    _, table = export(client)
    assert ids(table) == [open_ticket.pk]


def test_export_has_every_row_not_one_page(client, technician, teacher, category):
    from tickets.views.pages import PAGE_SIZE

    for _ in range(PAGE_SIZE + 2):
        factories.TicketFactory(requester=teacher, category=category)
    client.force_login(technician)
    _, table = export(client, "open=true")
    assert len(table) == 1 + PAGE_SIZE + 2


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_start_a_formula_is_neutralised(client, technician, teacher, category, start):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    Ticket.objects.filter(pk=ticket.pk).update(title=f'{start}HYPERLINK("http://evil.example","click")')
    teacher.first_name, teacher.last_name = "=cmd|' /C calc'!A0", ""
    teacher.save()
    client.force_login(technician)
    _, table = export(client, "open=true")
    row = table[1]
    assert row[1] == f'\'{start}HYPERLINK("http://evil.example","click")'
    assert row[7] == "'=cmd|' /C calc'!A0"


def test_export_is_utf8_with_a_byte_order_mark_for_excel(client, technician, teacher, category):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    Ticket.objects.filter(pk=ticket.pk).update(title="Proyector del salón — no enciende")
    client.force_login(technician)
    body, table = export(client, "open=true")
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\xef\xbb\xbf") == 1  # once, before the header, not before each chunk
    assert table[0][0] == "id"  # the reader sees the header's first name, not the mark
    assert table[1][1] == "Proyector del salón — no enciende"


def test_requesters_and_campus_contacts_get_404(client, teacher, school, ticket):
    school.campus_contact = teacher
    school.save()
    client.force_login(teacher)
    assert client.get(reverse("ticket-export")).status_code == 404
    assert client.get(reverse("ticket-export"), {"open": "true"}).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("ticket-export"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_export_refuses_post(client, technician):
    client.force_login(technician)
    assert client.post(reverse("ticket-export")).status_code == 405


def test_the_queue_page_links_to_the_export_with_its_filters(client, technician, school):
    client.force_login(technician)
    response = client.get(reverse("ticket-list"), {"school": school.pk, "status": ["new", "assigned"], "page": "2"})
    html = response.content.decode()
    link = f'href="{reverse("ticket-export")}?school={school.pk}&amp;status=new&amp;status=assigned"'
    assert link in html
    assert "Download CSV" in html


def test_the_default_queue_page_links_to_the_unfiltered_export(client, technician):
    client.force_login(technician)
    html = client.get(reverse("ticket-list")).content.decode()
    assert f'href="{reverse("ticket-export")}"' in html


def test_a_spanish_reader_gets_the_categorys_spanish_name_as_the_queue_shows_it(client, technician, teacher, category):
    category.name_es = "Proyector o pantalla"
    category.save(update_fields=["name_es"])
    factories.TicketFactory(requester=teacher, category=category)
    client.force_login(technician)
    response = client.get(reverse("ticket-export"), {"open": "true"}, HTTP_ACCEPT_LANGUAGE="es")
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix(BOM)
    table = list(csv.reader(io.StringIO(text)))
    column = table[0].index("category")
    assert table[1][column] == "Proyector o pantalla"
    queue_page = client.get(reverse("ticket-list"), {"open": "true"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Proyector o pantalla" in queue_page
    _body, english = export(client, "open=true")
    assert english[1][column] == category.name
