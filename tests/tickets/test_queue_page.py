"""The request lists: the requester's own, the campus contact's school, the staff queue."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.tickets.pages import (
    PLAIN_STATUS,
    client_for,
)
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- lists -----------------------------------------------------------------------


def test_anonymous_ticket_list_redirects_to_login(client):
    response = client.get(reverse("ticket-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_requester_list_shows_only_their_own(teacher, other_teacher, ticket, category):
    factories.TicketFactory(requester=other_teacher, category=category, title="Other teacher's printer")
    response = client_for(teacher).get(reverse("ticket-list"))
    assert response.status_code == 200
    assert list(response.context["tickets"]) == [ticket]
    assert "Other teacher's printer" not in response.content.decode()


@pytest.mark.parametrize(("status", "words"), PLAIN_STATUS.items())
def test_requester_sees_each_status_in_plain_words(status, words, teacher, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    response = client_for(teacher).get(reverse("ticket-list"))
    assert words in response.content.decode()


def test_campus_contact_list_includes_the_schools_tickets(campus_contact, ticket, outside_teacher, category):
    elsewhere = factories.TicketFactory(requester=outside_teacher, category=category)
    response = client_for(campus_contact).get(reverse("ticket-list"))
    assert ticket in response.context["tickets"]
    assert elsewhere not in response.context["tickets"]


@pytest.mark.parametrize("role", ["technician", "director"])
def test_staff_queue_shows_every_ticket_with_priority(role, request, ticket, outside_teacher, category):
    other = factories.TicketFactory(requester=outside_teacher, category=category, impact="high", urgency="high")
    response = client_for(request.getfixturevalue(role)).get(reverse("ticket-list"))
    assert response.status_code == 200
    assert {ticket, other} <= set(response.context["tickets"])
    html = response.content.decode()
    assert "priority-critical" in html and "Critical" in html


def test_queue_filters_by_school_status_and_search(technician, ticket, outside_teacher, category):
    other = factories.TicketFactory(requester=outside_teacher, category=category, title="Wifi drops in gym")
    staff = client_for(technician)
    by_school = staff.get(reverse("ticket-list"), {"school": ticket.school_id})
    assert list(by_school.context["tickets"]) == [ticket]
    by_search = staff.get(reverse("ticket-list"), {"search": "wifi"})
    assert list(by_search.context["tickets"]) == [other]
    services.start_ticket(actor=technician, ticket=other)
    by_status = staff.get(reverse("ticket-list"), {"status": "in_progress"})
    assert list(by_status.context["tickets"]) == [other]


def test_queue_mine_and_unassigned(technician, director, ticket, category, teacher):
    mine = factories.TicketFactory(requester=teacher, category=category)
    theirs = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=mine, assignee=technician)
    services.assign_ticket(actor=technician, ticket=theirs, assignee=director)
    staff = client_for(technician)
    assert list(staff.get(reverse("ticket-list"), {"mine": "true"}).context["tickets"]) == [mine]
    assert list(staff.get(reverse("ticket-list"), {"unassigned": "true"}).context["tickets"]) == [ticket]
    assert set(staff.get(reverse("ticket-list"), {"assignee": director.pk}).context["tickets"]) == {theirs}


def test_queue_orders_by_priority_and_open_only(technician, teacher, category):
    low = factories.TicketFactory(requester=teacher, category=category, impact="low", urgency="low")
    critical = factories.TicketFactory(requester=teacher, category=category, impact="high", urgency="high")
    done = factories.TicketFactory(requester=teacher, category=category, impact="high", urgency="high")
    services.close_ticket(actor=technician, ticket=done)
    response = client_for(technician).get(reverse("ticket-list"), {"open": "true", "ordering": "-priority"})
    assert list(response.context["tickets"]) == [critical, low]


def test_queue_ignores_bad_filters_without_error(technician, ticket):
    response = client_for(technician).get(
        reverse("ticket-list"), {"school": "abc", "status": "bogus", "ordering": "requester__password"}
    )
    assert response.status_code == 200
    assert "were not understood" in response.content.decode()


@pytest.mark.parametrize("page", ["9999", "abc", "-1", "0"])
def test_odd_page_numbers_are_clamped(page, technician, teacher, ticket):
    for user in (technician, teacher):
        response = client_for(user).get(reverse("ticket-list"), {"page": page})
        assert response.status_code == 200
        assert list(response.context["tickets"]) == [ticket]


def test_queue_paginates_25_per_page_and_keeps_filters(technician, teacher, category):
    for _ in range(26):
        factories.TicketFactory(requester=teacher, category=category)
    staff = client_for(technician)
    first = staff.get(reverse("ticket-list"), {"open": "true"})
    assert len(first.context["tickets"]) == 25
    assert "?open=true&amp;page=2" in first.content.decode()
    second = staff.get(reverse("ticket-list"), {"open": "true", "page": 2})
    assert len(second.context["tickets"]) == 1
    assert not set(first.context["tickets"]) & set(second.context["tickets"])


def _tickets_for(teacher, category, technician, count: int) -> None:
    for n in range(count):
        made = factories.TicketFactory(requester=teacher, category=category)
        if n % 2:
            services.assign_ticket(actor=technician, ticket=made, assignee=technician)


def _count_queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["technician", "teacher"])
def test_list_query_count_does_not_grow_with_tickets(role, request, teacher, technician, category):
    """1 ticket and 50 tickets cost the same queries (each one is named, and its count
    pinned, in tests/test_query_pins.py)."""
    user = request.getfixturevalue(role)
    client = client_for(user)
    url = reverse("ticket-list") + "?open=true&ordering=-priority"
    _tickets_for(teacher, category, technician, 1)
    client.get(url)  # warm anything cached per process (content types, etc.)
    one = _count_queries(client, url)
    _tickets_for(teacher, category, technician, 49)
    fifty = _count_queries(client, url)
    assert one == fifty
