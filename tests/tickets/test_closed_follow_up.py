"""Closed means closed: a requester's reply is refused with a way forward, and a reopened request drops the old fix."""

import pytest
from django.test import Client
from django.urls import reverse

from tickets import services
from tickets.errors import ClosedToReplies
from tickets.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(ticket, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced the HDMI cable.")
    services.close_ticket(actor=technician, ticket=ticket)
    ticket.refresh_from_db()
    return ticket


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_requester_cannot_reply_on_a_closed_request(closed):
    with pytest.raises(ClosedToReplies):
        services.add_comment(actor=closed.requester, ticket=closed, body="It broke again.")
    assert not Comment.objects.filter(ticket=closed, body="It broke again.").exists()


def test_staff_may_still_note_on_a_closed_request(closed, technician):
    services.add_comment(actor=technician, ticket=closed, body="Cable ordered for spares.", internal=True)


def test_the_api_answers_409_to_a_reply_on_a_closed_request(closed, api):
    api.force_authenticate(closed.requester)
    response = api.post(f"/api/tickets/{closed.pk}/comments/", {"body": "Again?"}, format="json")
    assert response.status_code == 409


def test_the_closed_page_offers_a_new_request_instead_of_a_reply_box(closed):
    page = client_for(closed.requester).get(reverse("ticket-detail", args=[closed.pk])).content.decode()
    assert "Open a new request about this" in page
    assert f"/tickets/new/?about={closed.pk}" in page
    assert 'class="reply-form"' not in page


def test_a_reply_posted_anyway_says_why_and_points_to_a_new_request(closed):
    response = client_for(closed.requester).post(
        reverse("ticket-comment", args=[closed.pk]), {"body": "Still broken"}, follow=True
    )
    text = response.content.decode()
    assert "Reply sent" not in text
    assert "This request is closed. Open a new request about it instead." in text
    assert "Open a new request about this" in text


def test_the_new_request_form_starts_from_the_closed_one(closed):
    response = client_for(closed.requester).get(reverse("ticket-new") + f"?about={closed.pk}")
    form = response.context["form"]
    assert form.initial["title"] == f"About request #{closed.pk}: {closed.title}"
    assert form.initial["description"].startswith(f"Follow-up to request #{closed.pk}.")
    assert form.initial["category"] == closed.category_id


def test_about_a_request_the_user_cannot_see_prefills_nothing(closed, other_teacher, school):
    from tests import factories

    stranger = factories.UserFactory()
    response = client_for(stranger).get(reverse("ticket-new") + f"?about={closed.pk}")
    assert "title" not in response.context["form"].initial
    response = client_for(stranger).get(reverse("ticket-new") + "?about=nonsense")
    assert response.status_code == 200


def test_after_a_reopen_the_old_fix_is_not_shown_as_the_answer(ticket, technician):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced the HDMI cable.")
    page = client_for(ticket.requester).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "How it was fixed" in page
    services.reopen_ticket(actor=ticket.requester, ticket=ticket, reason="Still no picture.")
    page = client_for(ticket.requester).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "How it was fixed" not in page
