"""The ticket API of API.md: roles, filing, lists, triage, actions, comments and history."""

from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.core import mail
from rest_framework.test import APIClient

from schools.pagination import Pagination
from tests import factories
from tests.conftest import api_as
from tickets import services
from tickets.models import Comment, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


CONTRACT_FIELDS = {
    "id",
    "title",
    "description",
    "school",
    "queue",
    "category",
    "impact",
    "urgency",
    "priority",
    "status",
    "requester",
    "assignee",
    "service_mode",
    "asset_tag",
    "needed_by",
    "visit",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "response_due_at",
    "resolution_due_at",
}

# PRODUCT.md's priority table, written out again on purpose: the API must agree with the document.
MATRIX = [
    ("high", "low", "normal"),
    ("high", "medium", "high"),
    ("high", "high", "critical"),
    ("medium", "low", "low"),
    ("medium", "medium", "normal"),
    ("medium", "high", "high"),
    ("low", "low", "low"),
    ("low", "medium", "low"),
    ("low", "high", "normal"),
]

# Which statuses each action may start from, per API.md and PRODUCT.md, and where it leads.
STATUSES = ["new", "assigned", "in_progress", "waiting", "resolved", "closed"]
ALLOWED_FROM = {
    "assign": ({"new", "assigned", "in_progress", "waiting"}, "assigned"),
    "start": ({"new", "assigned", "waiting"}, "in_progress"),
    "wait": ({"new", "assigned", "in_progress"}, "waiting"),
    "resolve": ({"new", "assigned", "in_progress", "waiting"}, "resolved"),
    "close": ({"new", "assigned", "in_progress", "waiting", "resolved"}, "closed"),
    "reopen": ({"resolved", "closed"}, "assigned"),
}


def detail(ticket: Ticket, action: str = "") -> str:
    return f"/api/tickets/{ticket.pk}/" + (f"{action}/" if action else "")


def fresh_client(user: User) -> APIClient:
    """A client for a freshly loaded user, so per-user caches (groups) start empty as in a real request."""
    return api_as(User.objects.get(pk=user.pk))


def new_ticket_payload(category, **overrides) -> dict:
    return {
        "title": "Projector will not turn on",
        "description": "The lamp light blinks orange.",
        "category": category.pk,
        "impact": "medium",
        "urgency": "medium",
        **overrides,
    }


def bring_to(ticket: Ticket, status: str, technician: User) -> Ticket:
    """Walk a new ticket to `status` through the services, the way people would."""
    steps = {
        "new": [],
        "assigned": ["assign"],
        "in_progress": ["assign", "start"],
        "waiting": ["assign", "wait"],
        "resolved": ["assign", "resolve"],
        "closed": ["assign", "resolve", "close"],
    }[status]
    for step in steps:
        if step == "assign":
            ticket = services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
        elif step == "start":
            ticket = services.start_ticket(actor=technician, ticket=ticket)
        elif step == "wait":
            ticket = services.wait_ticket(actor=technician, ticket=ticket, reason="Waiting for a part")
        elif step == "resolve":
            ticket = services.resolve_ticket(actor=technician, ticket=ticket, resolution="Reseated the cable")
        elif step == "close":
            ticket = services.close_ticket(actor=technician, ticket=ticket)
    assert ticket.status == status
    return ticket


def action_body(action: str, technician: User) -> dict:
    return {
        "assign": {"assignee": technician.pk},
        "wait": {"reason": "Waiting for the teacher"},
        "resolve": {"resolution": "Replaced the lamp", "self_help": "Check the power strip first"},
        "reopen": {"reason": "It broke again"},
    }.get(action, {})


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


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


# --- filing ------------------------------------------------------------------------


@pytest.mark.parametrize(("impact", "urgency", "expected"), MATRIX)
def test_filed_ticket_gets_priority_from_the_matrix(impact, urgency, expected, teacher, category):
    response = api_as(teacher).post(
        "/api/tickets/", new_ticket_payload(category, impact=impact, urgency=urgency), format="json"
    )
    assert response.status_code == 201
    assert response.json()["priority"] == expected
    assert Ticket.objects.get(pk=response.json()["id"]).priority == expected


def test_filing_answers_201_with_the_ticket_in_the_home_school_queue(
    teacher, school, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(teacher).post("/api/tickets/", new_ticket_payload(category), format="json")
    assert response.status_code == 201
    body = response.json()
    assert CONTRACT_FIELDS <= set(body)
    assert body["status"] == "new"
    assert body["requester"] == teacher.pk
    assert body["school"] == school.pk
    assert body["queue"] == school.queue.pk
    assert body["assignee"] is None
    assert body["title"] == "Projector will not turn on"
    assert [m.to for m in mail.outbox] == [[teacher.email]]  # the acknowledgement


def test_timestamps_are_iso_8601_with_an_offset(teacher, category):
    body = api_as(teacher).post("/api/tickets/", new_ticket_payload(category), format="json").json()
    created = datetime.fromisoformat(body["created_at"])
    assert created.utcoffset() is not None
    assert body["first_response_at"] is None


def test_category_with_a_district_queue_routes_the_ticket_there(teacher):
    network = factories.QueueFactory(name="Network")
    wifi = factories.CategoryFactory(name="Wi-Fi", queue=network)
    response = api_as(teacher).post("/api/tickets/", new_ticket_payload(wifi), format="json")
    assert response.status_code == 201
    assert response.json()["queue"] == network.pk


def test_requester_cannot_file_in_someone_elses_name(teacher, other_teacher, category):
    response = api_as(teacher).post(
        "/api/tickets/", new_ticket_payload(category, requester=other_teacher.pk), format="json"
    )
    assert response.status_code == 201
    assert response.json()["requester"] == teacher.pk


def test_technician_files_on_behalf_of_a_teacher(technician, teacher, school, category):
    response = api_as(technician).post(
        "/api/tickets/", new_ticket_payload(category, requester=teacher.pk), format="json"
    )
    assert response.status_code == 201
    assert response.json()["requester"] == teacher.pk
    assert response.json()["school"] == school.pk  # the teacher's home school, not the technician's


def test_requester_without_a_home_school_must_name_one(category):
    drifter = factories.UserFactory()
    response = api_as(drifter).post("/api/tickets/", new_ticket_payload(category), format="json")
    assert response.status_code == 400
    assert "school" in response.json()
    assert not Ticket.objects.exists()


def test_requester_cannot_file_for_another_school(teacher, category):
    elsewhere = factories.SchoolFactory()
    response = api_as(teacher).post("/api/tickets/", new_ticket_payload(category, school=elsewhere.pk), format="json")
    assert response.status_code == 400
    assert "school" in response.json()


def test_out_of_scope_category_is_refused_with_its_guidance(teacher):
    personal = factories.CategoryFactory(in_scope=False, guidance="Personal phones are not supported.")
    response = api_as(teacher).post("/api/tickets/", new_ticket_payload(personal), format="json")
    assert response.status_code == 400
    assert response.json() == {"category": ["Personal phones are not supported."]}


def test_missing_required_fields_are_named(teacher):
    response = api_as(teacher).post("/api/tickets/", {}, format="json")
    assert response.status_code == 400
    assert {"title", "description", "category", "impact", "urgency"} <= set(response.json())


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
    with django_assert_num_queries(3):
        assert len(requester_client.get("/api/tickets/", {"page_size": 50}).json()["results"]) == 50


def test_detail_query_count(ticket, teacher, technician, django_assert_num_queries):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    client = fresh_client(teacher)
    # 1 the caller's groups, 2 the ticket with everything it shows joined in.
    with django_assert_num_queries(2):
        assert client.get(detail(ticket)).status_code == 200


def test_comment_and_event_lists_do_not_grow_queries_per_row(ticket, teacher, technician, django_assert_num_queries):
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    clients = [fresh_client(teacher) for _ in range(4)]
    # 1 groups, 2 the ticket, 3 the count, 4 the page with authors (actors) joined in.
    with django_assert_num_queries(4):
        assert len(clients[0].get(detail(ticket, "comments")).json()["results"]) == 1
    with django_assert_num_queries(4):
        assert len(clients[1].get(detail(ticket, "events")).json()["results"]) == 2
    for n in range(10):
        services.add_comment(actor=teacher if n % 2 else technician, ticket=ticket, body=f"Reply {n}")
    with django_assert_num_queries(4):
        assert len(clients[2].get(detail(ticket, "comments")).json()["results"]) == 11
    with django_assert_num_queries(4):
        assert len(clients[3].get(detail(ticket, "events")).json()["results"]) == 12


# --- triage (PATCH) ----------------------------------------------------------------------


def test_technician_patch_recomputes_priority_and_records_the_change(ticket, technician):
    response = api_as(technician).patch(detail(ticket), {"impact": "high", "urgency": "high"}, format="json")
    assert response.status_code == 200
    assert response.json()["priority"] == "critical"
    assert response.json()["version"] == 2
    ticket.refresh_from_db()
    assert (ticket.priority, ticket.impact, ticket.urgency) == ("critical", "high", "high")
    event = ticket.events.get(kind=TicketEvent.Kind.UPDATED)
    assert event.actor == technician
    assert event.data["changes"]["priority"] == ["normal", "critical"]


def test_patch_accepts_every_triage_field(ticket, technician):
    other_school = factories.SchoolFactory()
    printers = factories.CategoryFactory(name="Printers")
    response = api_as(technician).patch(
        detail(ticket),
        {
            "category": printers.pk,
            "service_mode": "on_site",
            "asset_tag": "LPS-004512",
            "needed_by": "2031-05-04",
            "school": other_school.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["category"] == printers.pk
    assert body["service_mode"] == "on_site"
    assert body["asset_tag"] == "LPS-004512"
    assert body["needed_by"] == "2031-05-04"
    assert body["school"] == other_school.pk
    assert body["queue"] == other_school.queue.pk  # the ticket follows its school


def test_patch_can_clear_service_mode(ticket, technician):
    services.update_ticket(actor=technician, ticket=ticket, changes={"service_mode": "remote"})
    response = api_as(technician).patch(detail(ticket), {"service_mode": None}, format="json")
    assert response.status_code == 200
    assert response.json()["service_mode"] is None


def test_requester_may_not_patch_their_own_ticket(ticket, teacher):
    response = api_as(teacher).patch(detail(ticket), {"urgency": "high"}, format="json")
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.urgency == "medium" and ticket.version == 1


def test_patch_with_a_stale_version_is_a_conflict_and_changes_nothing(ticket, technician, director):
    services.update_ticket(actor=director, ticket=ticket, changes={"asset_tag": "A-1"})  # version 1 -> 2
    response = api_as(technician).patch(detail(ticket), {"urgency": "high", "version": 1}, format="json")
    assert response.status_code == 409
    ticket.refresh_from_db()
    assert (ticket.urgency, ticket.version) == ("medium", 2)


def test_patch_with_the_current_version_goes_through(ticket, technician):
    response = api_as(technician).patch(detail(ticket), {"urgency": "high", "version": 1}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 2


@pytest.mark.parametrize("field", ["status", "priority", "title", "requester", "assignee", "queue"])
def test_patch_refuses_fields_that_are_not_triage(field, ticket, technician, teacher):
    value = {"status": "closed", "priority": "critical", "title": "x", "requester": technician.pk}.get(field, 1)
    response = api_as(technician).patch(detail(ticket), {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    ticket.refresh_from_db()
    assert ticket.version == 1 and ticket.status == "new" and ticket.requester == teacher


def test_put_and_delete_are_not_allowed(ticket, technician, category):
    client = api_as(technician)
    assert client.put(detail(ticket), new_ticket_payload(category), format="json").status_code == 405
    assert client.delete(detail(ticket)).status_code == 405
    assert Ticket.objects.filter(pk=ticket.pk).exists()


# --- actions --------------------------------------------------------------------------


@pytest.mark.parametrize("start", STATUSES)
@pytest.mark.parametrize("action", list(ALLOWED_FROM))
def test_staff_action_from_each_status(action, start, ticket, technician):
    ticket = bring_to(ticket, start, technician)
    before = (ticket.version, ticket.events.count())
    response = api_as(technician).post(detail(ticket, action), action_body(action, technician), format="json")
    sources, target = ALLOWED_FROM[action]
    ticket.refresh_from_db()
    if start in sources:
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == target == ticket.status
        assert ticket.version == before[0] + 1
        assert ticket.events.count() == before[1] + 1
    else:
        assert response.status_code == 409
        assert response.json()["status"] == start
        assert ticket.status == start
        assert (ticket.version, ticket.events.count()) == before


def test_lifecycle_through_the_api(ticket, teacher, technician, django_capture_on_commit_callbacks):
    staff = api_as(technician)
    assert staff.post(detail(ticket, "assign"), {"assignee": technician.pk}, format="json").json()["assignee"] == (
        technician.pk
    )
    assert staff.post(detail(ticket, "start")).json()["status"] == "in_progress"
    assert staff.post(detail(ticket, "wait"), {"reason": "Need the room key"}, format="json").status_code == 200
    assert staff.post(detail(ticket, "start")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        resolved = staff.post(
            detail(ticket, "resolve"),
            {"resolution": "Reseated the HDMI cable", "self_help": "Push it in"},
            format="json",
        )
    assert resolved.status_code == 200
    assert resolved.json()["resolution"] == "Reseated the HDMI cable"
    assert resolved.json()["self_help"] == "Push it in"
    assert resolved.json()["resolved_at"] and resolved.json()["first_response_at"]
    assert mail.outbox[-1].to == [teacher.email]
    closed = api_as(teacher).post(detail(ticket, "close"))  # the requester confirms
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["created", "assigned", "started", "waiting", "started", "resolved", "closed"]


@pytest.mark.parametrize("action", ["assign", "start", "wait", "resolve"])
def test_requester_gets_403_for_staff_actions_on_their_own_ticket(action, ticket, teacher, technician):
    response = api_as(teacher).post(detail(ticket, action), action_body(action, technician), format="json")
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.version == 1


def test_requester_confirms_or_reopens_a_resolution(teacher, technician, category):
    confirmed = bring_to(factories.TicketFactory(requester=teacher, category=category), "resolved", technician)
    assert api_as(teacher).post(detail(confirmed, "close")).json()["status"] == "closed"
    reopened = bring_to(factories.TicketFactory(requester=teacher, category=category), "resolved", technician)
    response = api_as(teacher).post(detail(reopened, "reopen"), {"reason": "Still no sound"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "assigned"
    assert response.json()["resolved_at"] is None


def test_requester_cannot_close_an_open_ticket_or_reopen_a_closed_one(ticket, teacher, technician, category):
    assert api_as(teacher).post(detail(ticket, "close")).status_code == 409
    closed = bring_to(factories.TicketFactory(requester=teacher, category=category), "closed", technician)
    response = api_as(teacher).post(detail(closed, "reopen"), {"reason": "Broken again"}, format="json")
    assert response.status_code == 409
    closed.refresh_from_db()
    assert closed.status == "closed"


def test_campus_contact_may_confirm_for_their_school(school, teacher, other_teacher, technician, category):
    school.campus_contact = other_teacher
    school.save()
    ticket = bring_to(factories.TicketFactory(requester=teacher, category=category), "resolved", technician)
    assert api_as(other_teacher).post(detail(ticket, "close")).status_code == 200


def test_actions_refuse_get(ticket, technician):
    for action in ALLOWED_FROM:
        assert api_as(technician).get(detail(ticket, action)).status_code == 405


def test_assign_only_to_staff(ticket, technician, teacher):
    client = api_as(technician)
    response = client.post(detail(ticket, "assign"), {"assignee": teacher.pk}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    response = client.post(detail(ticket, "assign"), {"assignee": 987654}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.status == "new"


@pytest.mark.parametrize(("action", "field"), [("wait", "reason"), ("reopen", "reason"), ("resolve", "resolution")])
def test_actions_that_need_words_refuse_blank_ones(action, field, ticket, technician):
    if action == "reopen":
        ticket = bring_to(ticket, "resolved", technician)
    status = ticket.status
    response = api_as(technician).post(detail(ticket, action), {field: "   "}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    ticket.refresh_from_db()
    assert ticket.status == status


# --- comments and history ---------------------------------------------------------------


def test_first_public_staff_comment_sets_first_response(ticket, teacher, technician):
    api_as(teacher).post(detail(ticket, "comments"), {"body": "Any news?"}, format="json")
    api_as(technician).post(detail(ticket, "comments"), {"body": "Checking", "internal": True}, format="json")
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    response = api_as(technician).post(detail(ticket, "comments"), {"body": "On my way"}, format="json")
    assert response.status_code == 201
    comment = response.json()
    assert set(comment) >= {"id", "author", "body", "internal", "created_at"}
    assert (comment["author"], comment["body"], comment["internal"]) == (technician.pk, "On my way", False)
    ticket.refresh_from_db()
    assert ticket.first_response_at == Comment.objects.get(pk=comment["id"]).created_at
    assert api_as(teacher).get(detail(ticket)).json()["first_response_at"] is not None


def test_requester_never_sees_internal_notes(ticket, teacher, technician):
    services.add_comment(actor=technician, ticket=ticket, body="Teacher unplugged it again", internal=True)
    public = services.add_comment(actor=technician, ticket=ticket, body="Fixed the cable")
    teacher_view = api_as(teacher).get(detail(ticket, "comments")).json()
    assert [c["id"] for c in teacher_view["results"]] == [public.pk]
    assert "unplugged" not in str(teacher_view)
    staff_view = api_as(technician).get(detail(ticket, "comments")).json()
    assert staff_view["count"] == 2
    assert [c["internal"] for c in staff_view["results"]] == [True, False]


def test_requester_cannot_post_an_internal_note(ticket, teacher):
    response = api_as(teacher).post(detail(ticket, "comments"), {"body": "secret", "internal": True}, format="json")
    assert response.status_code == 403
    assert not ticket.comments.exists()


def test_requester_replies_on_their_ticket(ticket, teacher):
    response = api_as(teacher).post(detail(ticket, "comments"), {"body": "It is room 12"}, format="json")
    assert response.status_code == 201
    assert response.json()["author"] == teacher.pk and response.json()["internal"] is False


def test_empty_comment_is_refused(ticket, teacher):
    response = api_as(teacher).post(detail(ticket, "comments"), {"body": "  "}, format="json")
    assert response.status_code == 400 and "body" in response.json()


def test_history_lists_events_and_hides_internal_ones_from_requesters(ticket, teacher, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.add_comment(actor=technician, ticket=ticket, body="Known issue", internal=True)
    staff_events = api_as(technician).get(detail(ticket, "events")).json()["results"]
    assert [e["kind"] for e in staff_events] == ["created", "assigned", "commented"]
    assert set(staff_events[0]) >= {"id", "actor", "kind", "data", "created_at"}
    assert staff_events[1]["actor"] == technician.pk
    assert staff_events[1]["data"]["to"] == "assigned"
    requester_events = api_as(teacher).get(detail(ticket, "events")).json()["results"]
    assert [e["kind"] for e in requester_events] == ["created", "assigned"]


# --- queues and categories ----------------------------------------------------------------


def test_everyone_signed_in_reads_queues_filtered_by_school(teacher, school):
    network = factories.QueueFactory(name="Network")
    other = factories.SchoolFactory()
    client = api_as(teacher)
    everything = client.get("/api/queues/").json()
    assert {q["id"] for q in everything["results"]} == {school.queue.pk, other.queue.pk, network.pk}
    only = client.get("/api/queues/", {"school": school.pk}).json()["results"]
    assert only == [{"id": school.queue.pk, "name": school.name, "school": school.pk, "description": ""}]
    district = client.get("/api/queues/", {"district_wide": "true"}).json()["results"]
    assert [q["id"] for q in district] == [network.pk]
    assert district[0]["school"] is None


@pytest.mark.parametrize("role", ["teacher", "technician"])
def test_only_the_director_changes_queues_and_categories(role, request, category):
    client = api_as(request.getfixturevalue(role))
    assert client.post("/api/queues/", {"name": "Network"}, format="json").status_code == 403
    assert client.post("/api/categories/", {"name": "Phones"}, format="json").status_code == 403
    assert client.patch(f"/api/categories/{category.pk}/", {"name": "X"}, format="json").status_code == 403
    assert client.delete(f"/api/categories/{category.pk}/").status_code == 403
    category.refresh_from_db()
    assert category.name != "X"


def test_director_creates_renames_and_removes_a_district_queue(director):
    client = api_as(director)
    response = client.post("/api/queues/", {"name": "Accounts & Software"}, format="json")
    assert response.status_code == 201
    queue = response.json()
    assert queue["school"] is None
    renamed = client.patch(f"/api/queues/{queue['id']}/", {"name": "Accounts"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Accounts"
    assert client.delete(f"/api/queues/{queue['id']}/").status_code == 204


def test_queues_that_matter_cannot_be_removed(director, ticket):
    client = api_as(director)
    assert client.delete(f"/api/queues/{ticket.school.queue.pk}/").status_code == 400
    network = factories.QueueFactory(name="Network")
    ticket.queue = network
    ticket.save()
    assert client.delete(f"/api/queues/{network.pk}/").status_code == 400
    assert client.post("/api/queues/", {"name": "Again", "school": ticket.school_id}, format="json").status_code == 400


def test_director_creates_a_category_with_only_a_name(director):
    client = api_as(director)
    response = client.post("/api/categories/", {"name": "Smart Boards"}, format="json")
    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "name": "Smart Boards",
        "slug": "smart-boards",
        "in_scope": True,
        "queue": None,
        "responsible_party": "",
        "guidance": "",
        "vendor": None,
    }
    again = client.post("/api/categories/", {"name": "Smart boards!"}, format="json")
    assert again.status_code == 201 and again.json()["slug"] == "smart-boards-2"


def test_category_routes_only_to_a_district_wide_queue(director, school):
    client = api_as(director)
    refused = client.post("/api/categories/", {"name": "Wi-Fi", "queue": school.queue.pk}, format="json")
    assert refused.status_code == 400 and "queue" in refused.json()
    network = factories.QueueFactory(name="Network")
    accepted = client.post(
        "/api/categories/",
        {"name": "Wi-Fi", "queue": network.pk, "responsible_party": "Network team"},
        format="json",
    )
    assert accepted.status_code == 201
    assert (accepted.json()["queue"], accepted.json()["responsible_party"]) == (network.pk, "Network team")
    moved = client.patch(f"/api/categories/{accepted.json()['id']}/", {"queue": school.queue.pk}, format="json")
    assert moved.status_code == 400 and "queue" in moved.json()


def test_category_slug_is_unique_and_rederived_when_emptied(director, category):
    client = api_as(director)
    clash = client.post("/api/categories/", {"name": "Other", "slug": category.slug}, format="json")
    assert clash.status_code == 400 and "slug" in clash.json()
    made = client.post("/api/categories/", {"name": "Document cameras", "slug": "doc-cams"}, format="json").json()
    assert made["slug"] == "doc-cams"
    patched = client.patch(f"/api/categories/{made['id']}/", {"name": "Visualizers", "slug": ""}, format="json")
    assert patched.status_code == 200 and patched.json()["slug"] == "visualizers"


def test_category_with_tickets_cannot_be_deleted(director, ticket):
    response = api_as(director).delete(f"/api/categories/{ticket.category_id}/")
    assert response.status_code == 400
    assert Ticket.objects.filter(pk=ticket.pk, category_id=ticket.category_id).exists()


def test_everyone_signed_in_reads_categories(teacher, category):
    response = api_as(teacher).get("/api/categories/")
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["results"]] == [category.slug]


def test_list_filters_do_not_apply_to_a_tickets_own_routes(ticket, technician):
    client = api_as(technician)
    assert client.get(detail(ticket), {"status": "closed"}).status_code == 200
    assert client.get(detail(ticket), {"school": "abc"}).status_code == 200
    assert client.post(detail(ticket, "start") + "?status=closed").status_code == 200


def test_device_owner_through_the_api(teacher, category):
    client = api_as(teacher)
    body = {"title": "Laptop", "description": "x", "category": category.pk, "impact": "low", "urgency": "low"}
    response = client.post("/api/tickets/", {**body, "device_owner": "personal"}, format="json")
    assert response.status_code == 201 and response.json()["device_owner"] == "personal"
    assert client.post("/api/tickets/", {**body, "device_owner": "neighbour's"}, format="json").status_code == 400


def test_resolve_through_the_api_links_an_article(ticket, technician):
    from tickets.kb import services as kb_services

    article = kb_services.create_article(actor=technician, title="Reconnect Wi-Fi", body="Open settings.")
    client = api_as(technician)
    response = client.post(
        f"/api/tickets/{ticket.pk}/resolve/", {"resolution": "Rejoined", "self_help_article": article.pk}, format="json"
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.self_help_article == article
    bad = client.post(
        f"/api/tickets/{ticket.pk}/resolve/", {"resolution": "x", "self_help_article": 10**9}, format="json"
    )
    assert bad.status_code in (400, 409)
