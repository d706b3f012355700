"""The ticket page for each role, and hostile text shown on it."""

import pytest
from django.urls import reverse

from tests import factories
from tests.tickets.pages import (
    HOSTILE,
    JARGON,
    client_for,
    filing_data,
    new_form_token,
    visible_text,
)
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- the ticket page -----------------------------------------------------------


def test_requester_sees_their_ticket_in_plain_words(teacher, ticket):
    response = client_for(teacher).get(reverse("ticket-detail", args=[ticket.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.title in html and ticket.description in html and ticket.school.name in html
    assert "Received" in html
    assert "sent the request" in html  # the history, in words
    assert "Requester" not in html  # no staff side panel
    for word in JARGON:
        assert word not in visible_text(response)


def test_other_requester_gets_404(other_teacher, outside_teacher, ticket):
    for user in (other_teacher, outside_teacher):
        assert client_for(user).get(reverse("ticket-detail", args=[ticket.pk])).status_code == 404


def test_campus_contact_sees_the_schools_ticket(campus_contact, ticket):
    assert client_for(campus_contact).get(reverse("ticket-detail", args=[ticket.pk])).status_code == 200


def test_anonymous_ticket_page_redirects_to_login(client, ticket):
    response = client.get(reverse("ticket-detail", args=[ticket.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("pk", [999999, 2**63, 10**30])
def test_unknown_ticket_ids_are_404(pk, technician):
    assert client_for(technician).get(f"/tickets/{pk}/").status_code == 404
    assert client_for(technician).post(f"/tickets/{pk}/start/").status_code == 404


@pytest.mark.parametrize("role", ["technician", "director"])
def test_staff_ticket_page_has_side_panel_and_actions(role, request, teacher, ticket, category):
    teacher.profile.room = "Room 12"
    teacher.profile.phone = "555-0101"
    teacher.profile.tech_comfort = "new"
    teacher.profile.save()
    earlier = factories.TicketFactory(requester=teacher, category=category, title="Earlier printer jam")
    tech = factories.TechnicianFactory()
    services.resolve_ticket(actor=tech, ticket=earlier, resolution="Cleared the paper path.")
    response = client_for(request.getfixturevalue(role)).get(reverse("ticket-detail", args=[ticket.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Room 12" in html and "555-0101" in html and "New to this" in html
    assert "Earlier printer jam" in html and "Cleared the paper path." in html
    for action in ("assign", "start", "wait", "resolve", "close"):
        assert reverse(f"ticket-{action}", args=[ticket.pk]) in html
    assert reverse("ticket-reopen", args=[ticket.pk]) not in html
    assert f'name="version" value="{ticket.version}"' in html
    assert "Internal note — only staff see this" in html


def test_detail_query_count_does_not_grow_with_conversation(technician, ticket, django_assert_max_num_queries):
    client = client_for(technician)
    url = reverse("ticket-detail", args=[ticket.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        services.add_comment(actor=technician, ticket=ticket, body=f"Note {n}", internal=bool(n % 2))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


# --- hostile input ----------------------------------------------------------------


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_escaped_everywhere(payload, teacher, technician, category):
    ticket = factories.TicketFactory(requester=teacher, category=category, title=payload, description=payload)
    services.add_comment(actor=technician, ticket=ticket, body=payload)
    services.wait_ticket(actor=technician, ticket=ticket, reason=payload)
    pages = [
        client_for(teacher).get(reverse("home")),
        client_for(teacher).get(reverse("ticket-list")),
        client_for(teacher).get(reverse("ticket-detail", args=[ticket.pk])),
        client_for(technician).get(reverse("ticket-list")),
        client_for(technician).get(reverse("ticket-detail", args=[ticket.pk])),
        client_for(technician).get(reverse("ticket-list"), {"search": payload}),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert payload not in html
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2].content.decode() or "&quot;&gt;&lt;img" in (
        pages[2].content.decode()
    )


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_through_the_form_is_stored_as_text_and_escaped(payload, teacher, category):
    client = client_for(teacher)
    client.post(
        reverse("ticket-new"),
        filing_data(category, form_token=new_form_token(client), title=payload, description=payload),
    )
    ticket = Ticket.objects.get()
    assert ticket.title == payload
    html = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert payload not in html


def test_staff_can_correct_the_device_owner(ticket, technician):
    client = client_for(technician)
    data = {
        "category": ticket.category_id, "impact": ticket.impact, "urgency": ticket.urgency, "service_mode": "",
        "asset_tag": "", "device_owner": "district", "needed_by": "", "school": ticket.school_id,
        "version": ticket.version,
    }  # fmt: skip
    assert client.post(reverse("ticket-update", args=[ticket.pk]), data).status_code == 302
    ticket.refresh_from_db()
    assert ticket.device_owner == "district"
    assert ticket.events.filter(kind="updated", data__changes__device_owner=["", "district"]).exists()
