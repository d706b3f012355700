"""Helpers of the ticket API's tests: URLs, clients, payloads, and tickets walked to a status."""

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.conftest import api_as
from tickets import services
from tickets.models import Ticket

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
