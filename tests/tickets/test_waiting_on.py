"""Waiting on whom (API.md, the technician's workbench): `on` for `wait`, plain words for the
requester, and the requester's reply resuming a ticket that waits on them."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import api_as
from tickets import services
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def wait(ticket, technician, **kwargs) -> Ticket:
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    return services.wait_ticket(actor=technician, ticket=ticket, reason="A new lamp is on order", **kwargs)


def test_wait_defaults_to_waiting_on_the_requester(ticket, technician):
    response = api_as(technician).post(f"/api/tickets/{ticket.pk}/wait/", {"reason": "Which room?"}, format="json")
    assert response.status_code == 200
    assert response.json()["waiting_on"] == "requester"
    event = TicketEvent.objects.filter(ticket=ticket, kind="waiting").get()
    assert event.data["on"] == "requester"


def test_wait_on_a_third_party_through_the_api(ticket, technician):
    response = api_as(technician).post(
        f"/api/tickets/{ticket.pk}/wait/", {"reason": "Lamp ordered", "on": "third_party"}, format="json"
    )
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert (ticket.status, ticket.waiting_on) == ("waiting", "third_party")
    assert ticket.sla_paused_at is not None


def test_wait_with_an_unknown_on_is_a_400_and_changes_nothing(ticket, technician):
    response = api_as(technician).post(
        f"/api/tickets/{ticket.pk}/wait/", {"reason": "x", "on": "the moon"}, format="json"
    )
    assert response.status_code == 400
    assert "on" in response.json()
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_the_service_refuses_an_unknown_on(ticket, technician):
    with pytest.raises(services.DomainError):
        services.wait_ticket(actor=technician, ticket=ticket, reason="x", on="nobody")


def test_the_requesters_reply_resumes_a_ticket_waiting_on_them(ticket, technician, teacher):
    wait(ticket, technician)
    response = api_as(teacher).post(f"/api/tickets/{ticket.pk}/comments/", {"body": "Room 12"}, format="json")
    assert response.status_code == 201
    ticket.refresh_from_db()
    assert (ticket.status, ticket.waiting_on, ticket.sla_paused_at) == ("in_progress", "", None)
    resumed = TicketEvent.objects.filter(ticket=ticket, kind="started").latest("id")
    assert resumed.actor == teacher
    assert resumed.data["resumed_by_reply"]


def test_the_requesters_reply_on_the_page_resumes_it_too(client, ticket, technician, teacher):
    wait(ticket, technician)
    client.force_login(teacher)
    client.post(reverse("ticket-comment", args=[ticket.pk]), {"body": "It is room 12"})
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"


def test_a_ticket_waiting_on_a_third_party_stays_waiting_after_the_requesters_reply(ticket, technician, teacher):
    wait(ticket, technician, on="third_party")
    services.add_comment(actor=teacher, ticket=ticket, body="Any news?")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.waiting_on) == ("waiting", "third_party")
    assert ticket.sla_paused_at is not None


def test_a_staff_reply_does_not_resume_a_ticket_waiting_on_the_requester(ticket, technician):
    wait(ticket, technician)
    services.add_comment(actor=technician, ticket=ticket, body="Still need the room")
    ticket.refresh_from_db()
    assert ticket.status == "waiting"


def test_leaving_waiting_clears_whom_it_waited_on(ticket, technician):
    wait(ticket, technician, on="third_party")
    ticket = services.start_ticket(actor=technician, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.waiting_on == ""


def test_the_email_says_plainly_who_the_ticket_waits_on(ticket, technician, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        wait(ticket, technician, on="third_party")
    message = mail.outbox[-1]
    assert "nothing needed from you" in message.subject
    assert "not for you" in message.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.start_ticket(actor=technician, ticket=ticket)
        services.wait_ticket(actor=technician, ticket=ticket, reason="Which room?")
    message = mail.outbox[-1]
    assert "waiting for you" in message.subject
    assert "We need something from you" in message.body


def test_the_requesters_page_says_who_the_ticket_waits_on(client, ticket, technician, teacher):
    wait(ticket, technician, on="third_party")
    client.force_login(teacher)
    page = client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "waiting for a part or another company" in page
    assert "Waiting for your answer" not in page


def test_the_wait_form_on_the_page_takes_on(client, ticket, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    client.force_login(technician)
    client.post(reverse("ticket-wait", args=[ticket.pk]), {"reason": "Part ordered", "on": "third_party"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.waiting_on) == ("waiting", "third_party")
