"""Filing a ticket through the API: priority, routing, on whose behalf, refusals."""

from datetime import datetime

import pytest
from django.core import mail

from tests import factories
from tests.conftest import api_as
from tests.tickets.api_calls import (
    new_ticket_payload,
)
from tickets.models import Ticket

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


def test_device_owner_through_the_api(teacher, category):
    client = api_as(teacher)
    body = {"title": "Laptop", "description": "x", "category": category.pk, "impact": "low", "urgency": "low"}
    response = client.post("/api/tickets/", {**body, "device_owner": "personal"}, format="json")
    assert response.status_code == 201 and response.json()["device_owner"] == "personal"
    assert client.post("/api/tickets/", {**body, "device_owner": "neighbour's"}, format="json").status_code == 400
