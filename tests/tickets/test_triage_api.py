"""Triage through the API (PATCH): the fields it changes, the ones it refuses, stale versions."""

import pytest

from tests import factories
from tests.conftest import api_as
from tests.tickets.api_calls import (
    detail,
    new_ticket_payload,
)
from tickets import services
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


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
