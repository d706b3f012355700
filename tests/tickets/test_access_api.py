"""Who sees what in the ticket API: anonymous callers, tokens, requesters, campus contacts, staff."""

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.conftest import api_as
from tests.tickets.api_calls import (
    ALLOWED_FROM,
    action_body,
    detail,
    ids,
    new_ticket_payload,
)
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


# --- who sees what ----------------------------------------------------------------


def test_anonymous_caller_is_refused_everywhere(api, ticket, category):
    for method, url in [
        ("get", "/api/tickets/"),
        ("get", detail(ticket)),
        ("get", detail(ticket, "comments")),
        ("get", detail(ticket, "events")),
        ("get", "/api/queues/"),
        ("get", "/api/categories/"),
    ]:
        assert getattr(api, method)(url).status_code in (401, 403), url
    response = api.post("/api/tickets/", new_ticket_payload(category), format="json")
    assert response.status_code in (401, 403)
    assert Ticket.objects.count() == 1


def test_token_from_the_auth_endpoint_authenticates(api, teacher, ticket):
    response = api.post(
        "/api/auth/token/", {"username": teacher.username, "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = client.get("/api/tickets/")
    assert listing.status_code == 200
    assert ids(listing) == [ticket.pk]


def test_wrong_password_gets_no_token(api, teacher):
    response = api.post("/api/auth/token/", {"username": teacher.username, "password": "guess"}, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()


def test_bad_token_is_refused(api, ticket):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/tickets/")
    # DRF answers 403 rather than 401 because session auth, listed first, sends no challenge.
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_requester_lists_only_their_own_tickets(teacher, other_teacher, category):
    mine = factories.TicketFactory(requester=teacher, category=category)
    factories.TicketFactory(requester=other_teacher, category=category)
    response = api_as(teacher).get("/api/tickets/")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert ids(response) == [mine.pk]


def test_other_requester_gets_404_for_every_ticket_route(ticket, other_teacher, technician):
    client = api_as(other_teacher)
    assert client.get(detail(ticket)).status_code == 404
    assert client.patch(detail(ticket), {"impact": "high"}, format="json").status_code == 404
    assert client.get(detail(ticket, "comments")).status_code == 404
    assert client.post(detail(ticket, "comments"), {"body": "hello"}, format="json").status_code == 404
    assert client.get(detail(ticket, "events")).status_code == 404
    for action in ALLOWED_FROM:
        response = client.post(detail(ticket, action), action_body(action, technician), format="json")
        assert response.status_code == 404, action
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.version == 1
    assert not ticket.comments.exists()


def test_unknown_ticket_is_404(technician):
    client = api_as(technician)
    assert client.get("/api/tickets/987654/").status_code == 404
    assert client.get("/api/tickets/not-a-number/").status_code == 404


def test_campus_contact_sees_their_schools_tickets(school, teacher, other_teacher, category):
    school.campus_contact = other_teacher
    school.save()
    theirs = factories.TicketFactory(requester=teacher, category=category)
    elsewhere = factories.TicketFactory(category=category)  # another requester at another school
    client = api_as(other_teacher)
    assert ids(client.get("/api/tickets/")) == [theirs.pk]
    assert client.get(detail(theirs)).status_code == 200
    assert client.get(detail(elsewhere)).status_code == 404


@pytest.mark.parametrize("role", ["technician", "director"])
def test_staff_see_every_ticket(role, request, teacher, other_teacher, category):
    staff = request.getfixturevalue(role)
    tickets = [
        factories.TicketFactory(requester=teacher, category=category),
        factories.TicketFactory(requester=other_teacher, category=category),
        factories.TicketFactory(category=category),
    ]
    response = api_as(staff).get("/api/tickets/")
    assert sorted(ids(response)) == sorted(t.pk for t in tickets)
    for t in tickets:
        assert api_as(staff).get(detail(t)).status_code == 200
