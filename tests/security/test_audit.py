"""The history is append-only with no way to edit or delete it; directors read any ticket's;
a permanently failed email is shown to staff on the ticket page's partial."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from notifications import outbox
from notifications.models import OutboundEmail
from tests import factories
from tests.conftest import api_as
from tickets import services
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def test_an_event_cannot_be_saved_again_or_deleted(ticket):
    event = ticket.events.first()
    event.data = {"forged": True}
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    event.refresh_from_db()
    assert "forged" not in event.data


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_the_history_api_has_no_write_method(method, ticket, director):
    event = ticket.events.first()
    api = api_as(director)
    assert getattr(api, method)(f"/api/tickets/{ticket.pk}/events/", {}, format="json").status_code == 405
    assert getattr(api, method)(f"/api/tickets/{ticket.pk}/events/{event.pk}/", {}, format="json").status_code == 404


def test_the_admin_cannot_add_change_or_delete_events_even_for_a_superuser(client, ticket):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    event = ticket.events.first()
    assert client.get("/admin/tickets/ticketevent/add/").status_code == 403
    assert client.post(f"/admin/tickets/ticketevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/tickets/ticketevent/{event.pk}/change/", {"kind": "closed", "data": "{}"})
    client.post(
        "/admin/tickets/ticketevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert TicketEvent.objects.filter(pk=event.pk, kind=event.kind).exists()


def test_directors_read_any_tickets_full_history(ticket, technician, director, settings):
    services.add_comment(actor=technician, ticket=ticket, body="note", internal=True)
    outside = factories.TicketFactory(requester=factories.UserFactory(profile__school=factories.SchoolFactory()))
    for item in (ticket, outside):
        body = api_as(director).get(f"/api/tickets/{item.pk}/events/").json()
        assert body["count"] == item.events.count() > 0
    kinds = [row["kind"] for row in api_as(director).get(f"/api/tickets/{ticket.pk}/events/").json()["results"]]
    assert "commented" in kinds


def _fail_permanently(ticket, settings):
    settings.EMAIL_BACKEND = "tests.security.test_audit.BrokenBackend"
    email = OutboundEmail.objects.filter(ticket=ticket).first()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=outbox.MAX_ATTEMPTS - 1, sent_at=None)
    with pytest.raises(OSError):
        outbox.deliver(email.pk)
    return email


class BrokenBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list) -> int:
        raise OSError("550 mailbox unavailable <script>alert(1)</script>")


def test_a_permanent_email_failure_is_recorded_and_shown_to_staff_only(rf, ticket, teacher, technician, settings):
    email = _fail_permanently(ticket, settings)
    email.refresh_from_db()
    assert email.failed_permanently
    assert ticket.events.filter(kind=TicketEvent.Kind.EMAIL_FAILED, data__permanent=True).exists()
    request = rf.get("/")
    request.user = technician
    html = render_to_string("tickets/_email_failures.html", {"ticket": ticket}, request=request)
    assert email.to in html and "could not be sent" in html
    assert "<script>alert" not in html
    request.user = teacher
    assert "could not be sent" not in render_to_string(
        "tickets/_email_failures.html", {"ticket": ticket}, request=request
    )


def test_requesters_never_see_email_failures_in_their_history(client, ticket, teacher, settings):
    _fail_permanently(ticket, settings)
    client.force_login(teacher)
    events = api_as(teacher).get(f"/api/tickets/{ticket.pk}/events/").json()["results"]
    assert "email_failed" not in [row["kind"] for row in events]
    assert "could not be sent" not in client.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
