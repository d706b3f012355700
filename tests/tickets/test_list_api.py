"""The API's ticket list: filters, search, ordering, pages, and its query counts."""

import pytest

from schools.pagination import Pagination
from tests import factories
from tests.conftest import api_as
from tests.tickets.api_calls import (
    detail,
    fresh_client,
    ids,
)
from tickets import services

pytestmark = pytest.mark.django_db


# --- the list: filters, search, ordering, pages ---------------------------------------


@pytest.fixture
def assorted(teacher, other_teacher, technician, category):
    """Three tickets that differ in every filterable way."""
    network = factories.QueueFactory(name="Network")
    wifi = factories.CategoryFactory(name="Wi-Fi", queue=network)
    a = factories.TicketFactory(
        requester=teacher, category=category, title="Printer jammed", impact="low", urgency="low"
    )
    b = factories.TicketFactory(
        requester=other_teacher, category=wifi, title="No wireless in room 9", impact="high", urgency="high"
    )
    other_school_requester = factories.UserFactory(profile__school=factories.SchoolFactory())
    c = factories.TicketFactory(
        requester=other_school_requester,
        category=category,
        title="Laptop cracked",
        description="Screen shows stripes after a fall",
    )
    b = services.assign_ticket(actor=technician, ticket=b, assignee=technician)
    return {"a": a, "b": b, "c": c, "network": network, "wifi": wifi}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (lambda t: {"status": "assigned"}, ["b"]),
        (lambda t: {"status": ["new", "assigned"]}, ["a", "b", "c"]),
        (lambda t: {"school": t["c"].school_id}, ["c"]),
        (lambda t: {"queue": t["network"].pk}, ["b"]),
        (lambda t: {"priority": "critical"}, ["b"]),
        (lambda t: {"priority": "low"}, ["a"]),
        (lambda t: {"assignee": t["b"].assignee_id}, ["b"]),
        (lambda t: {"requester": t["a"].requester_id}, ["a"]),
        (lambda t: {"category": t["wifi"].pk}, ["b"]),
        (lambda t: {"search": "wireless"}, ["b"]),
        (lambda t: {"search": "STRIPES"}, ["c"]),  # description, case-insensitive
    ],
)
def test_list_filters(query, expected, assorted, technician):
    response = api_as(technician).get("/api/tickets/", query(assorted))
    assert response.status_code == 200
    assert sorted(ids(response)) == sorted(assorted[key].pk for key in expected)


def test_list_orders_by_priority_rank_not_alphabetically(assorted, technician):
    response = api_as(technician).get("/api/tickets/", {"ordering": "-priority,id"})
    assert ids(response) == [assorted["b"].pk, assorted["c"].pk, assorted["a"].pk]  # critical, normal, low


def test_default_order_is_newest_first(assorted, technician):
    assert ids(api_as(technician).get("/api/tickets/")) == [assorted["c"].pk, assorted["b"].pk, assorted["a"].pk]


def test_filters_never_widen_a_requesters_reach(assorted, teacher):
    response = api_as(teacher).get("/api/tickets/", {"requester": assorted["c"].requester_id})
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_list_is_paginated_and_page_size_is_clamped(assorted, technician, monkeypatch):
    response = api_as(technician).get("/api/tickets/", {"page_size": 2})
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"] and body["previous"] is None
    monkeypatch.setattr(Pagination, "max_page_size", 2)
    assert len(api_as(technician).get("/api/tickets/", {"page_size": 1000}).json()["results"]) == 2


def test_list_answers_each_query_count_at_one_and_fifty_rows(teacher, technician, category, django_assert_num_queries):
    factories.TicketFactory(requester=teacher, category=category)
    client = fresh_client(technician)
    # 1 the caller's groups (role check), 2 the count, 3 the page with school, queue,
    # category, requester and assignee joined in.
    with django_assert_num_queries(3):
        assert len(client.get("/api/tickets/").json()["results"]) == 1
    for _ in range(49):
        factories.TicketFactory(requester=teacher, category=category)
    client, requester_client = fresh_client(technician), fresh_client(teacher)
    with django_assert_num_queries(3):
        assert len(client.get("/api/tickets/", {"page_size": 50}).json()["results"]) == 50
    with django_assert_num_queries(4):  # and, for a requester, the tickets they follow
        assert len(requester_client.get("/api/tickets/", {"page_size": 50}).json()["results"]) == 50


def test_detail_query_count(ticket, teacher, technician, django_assert_num_queries):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    client = fresh_client(teacher)
    # 1 the caller's roles, 2 the tickets they follow, 3 the ticket with everything it shows joined in.
    with django_assert_num_queries(3):
        assert client.get(detail(ticket)).status_code == 200


def test_comment_and_event_lists_do_not_grow_queries_per_row(ticket, teacher, technician, django_assert_num_queries):
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    clients = [fresh_client(teacher) for _ in range(4)]
    # 1 roles, 2 the tickets they follow, 3 the ticket, 4 the count, 5 the page with authors (actors).
    with django_assert_num_queries(5):
        assert len(clients[0].get(detail(ticket, "comments")).json()["results"]) == 1
    with django_assert_num_queries(5):
        assert len(clients[1].get(detail(ticket, "events")).json()["results"]) == 2
    for n in range(10):
        services.add_comment(actor=teacher if n % 2 else technician, ticket=ticket, body=f"Reply {n}")
    with django_assert_num_queries(5):
        assert len(clients[2].get(detail(ticket, "comments")).json()["results"]) == 11
    with django_assert_num_queries(5):
        assert len(clients[3].get(detail(ticket, "events")).json()["results"]) == 12


def test_list_filters_do_not_apply_to_a_tickets_own_routes(ticket, technician):
    client = api_as(technician)
    assert client.get(detail(ticket), {"status": "closed"}).status_code == 200
    assert client.get(detail(ticket), {"school": "abc"}).status_code == 200
    assert client.post(detail(ticket, "start") + "?status=closed").status_code == 200
