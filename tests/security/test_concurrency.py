"""Two people at once: stale saves refused through page and API, one ticket per retried create,
one close and one survey when two people close at the same moment (real threads, real connections)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from surveys.models import SurveyInvitation
from tests import factories
from tests.conftest import api_as
from tickets import services
from tickets.models import IdempotencyKey, Ticket, TicketEvent


def _race(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run the calls at the same moment, each on its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertions
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


# --- stale saves -------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_technicians_saving_the_same_stale_page_the_second_is_refused(ticket, technician, category):
    second_tech = factories.TechnicianFactory()
    read_version = ticket.version
    first, second = Client(), Client()
    first.force_login(technician)
    second.force_login(second_tech)
    form = {
        "category": ticket.category_id,
        "impact": "high",
        "urgency": "high",
        "service_mode": "",
        "asset_tag": "",
        "needed_by": "",
        "school": ticket.school_id,
        "version": read_version,
    }
    assert first.post(reverse("ticket-update", args=[ticket.pk]), form).status_code == 302
    page = second.post(
        reverse("ticket-update", args=[ticket.pk]), {**form, "impact": "low", "urgency": "low"}, follow=True
    )
    assert "Someone else changed this ticket" in page.content.decode()
    ticket.refresh_from_db()
    assert (ticket.impact, ticket.urgency, ticket.version) == ("high", "high", read_version + 1)


@pytest.mark.django_db
def test_two_technicians_patching_the_same_stale_version_the_second_gets_409(ticket, technician):
    second_tech = factories.TechnicianFactory()
    version = ticket.version
    first = api_as(technician).patch(
        f"/api/tickets/{ticket.pk}/", {"impact": "high", "version": version}, format="json"
    )
    second = api_as(second_tech).patch(
        f"/api/tickets/{ticket.pk}/", {"impact": "low", "version": version}, format="json"
    )
    assert (first.status_code, second.status_code) == (200, 409)
    ticket.refresh_from_db()
    assert ticket.impact == "high"
    assert ticket.events.filter(kind=TicketEvent.Kind.UPDATED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_stale_patches_one_wins():
    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    ticket = factories.TicketFactory(requester=teacher)
    techs = [factories.TechnicianFactory(), factories.TechnicianFactory()]
    version = ticket.version

    def patch(tech: Any, impact: str) -> Callable[[], int]:
        return lambda: (
            api_as(tech)
            .patch(f"/api/tickets/{ticket.pk}/", {"impact": impact, "version": version}, format="json")
            .status_code
        )

    results, errors = _race(patch(techs[0], "high"), patch(techs[1], "low"))
    assert errors == []
    assert sorted(results) == [200, 409]
    ticket.refresh_from_db()
    assert ticket.version == version + 1


# --- one ticket per create ------------------------------------------------------------------


def _filing(category) -> dict[str, Any]:
    return {
        "title": "Projector",
        "description": "No picture",
        "category": category.pk,
        "impact": "low",
        "urgency": "low",
    }


@pytest.mark.django_db
def test_the_same_idempotency_key_files_one_ticket(teacher, category):
    api = api_as(teacher)
    first = api.post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_their_user_and_another_key_files_another_ticket(teacher, other_teacher, category):
    mine = api_as(teacher).post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY="same")
    theirs = api_as(other_teacher).post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY="same")
    another = api_as(teacher).post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY="other")
    assert len({mine.json()["id"], theirs.json()["id"], another.json()["id"]}) == 3
    # Nobody replays somebody else's ticket (which would leak it).
    assert theirs.json()["requester"] == other_teacher.pk


@pytest.mark.django_db
def test_a_reused_key_with_a_different_body_is_422_and_files_nothing(teacher, category):
    api = api_as(teacher)
    api.post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY="k")
    changed = api.post(
        "/api/tickets/", {**_filing(category), "title": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert changed.status_code == 422
    assert "Idempotency-Key" in changed.json()
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "x" * 201, "bad\nkey"])
def test_malformed_keys_are_400(key, teacher, category):
    response = api_as(teacher).post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_invalid_body_with_a_key_stores_no_key(teacher, category):
    response = api_as(teacher).post("/api/tickets/", {"title": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_with_one_key_file_one_ticket_and_one_email():
    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    category = factories.CategoryFactory()
    mail.outbox.clear()

    def create() -> tuple[int, int]:
        client = APIClient()
        client.force_authenticate(teacher)
        response = client.post("/api/tickets/", _filing(category), format="json", HTTP_IDEMPOTENCY_KEY="dbl")
        return response.status_code, response.json()["id"]

    results, errors = _race(create, create, create)
    assert errors == []
    assert [code for code, _ in results] == [201, 201, 201]
    assert len({ticket_id for _, ticket_id in results}) == 1
    assert Ticket.objects.count() == 1
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.CREATED).count() == 1
    assert len([m for m in mail.outbox if "We received your request" in m.subject]) == 1


# --- one close, one survey ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_closes_close_once_and_send_one_survey():
    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    technician = factories.TechnicianFactory()
    ticket = factories.TicketFactory(requester=teacher)
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced the lamp.")
    mail.outbox.clear()

    def close_as(user: Any) -> int:
        client = APIClient()
        client.force_authenticate(user)
        return client.post(f"/api/tickets/{ticket.pk}/close/", {}, format="json").status_code

    results, errors = _race(lambda: close_as(teacher), lambda: close_as(technician))
    assert errors == []
    assert sorted(results) == [200, 409]
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CLOSED).count() == 1
    assert SurveyInvitation.objects.filter(ticket=ticket).count() == 1
    surveys = [m for m in mail.outbox if f"/surveys/{SurveyInvitation.objects.get().token}/" in m.body]
    assert len(surveys) == 1
