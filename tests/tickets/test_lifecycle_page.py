"""What staff and requesters do on a ticket's page: actions, conversation, triage."""

import pytest
from django.urls import reverse

from tests import factories
from tests.tickets.pages import (
    client_for,
    messages_of,
)
from tickets import services
from tickets.models import Comment

pytestmark = pytest.mark.django_db


# --- actions -------------------------------------------------------------------


def test_action_urls_refuse_get(technician, ticket):
    client = client_for(technician)
    for action in ("assign", "start", "wait", "resolve", "close", "reopen", "comment", "update"):
        assert client.get(reverse(f"ticket-{action}", args=[ticket.pk])).status_code == 405


def test_technician_assigns_starts_waits_and_resolves(technician, director, ticket):
    client = client_for(technician)
    url = lambda action: reverse(f"ticket-{action}", args=[ticket.pk])  # noqa: E731

    response = client.post(url("assign"), {"assignee": director.pk}, follow=True)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == ("assigned", director)
    assert any("Assigned to" in m for m in messages_of(response))

    client.post(url("start"))
    ticket.refresh_from_db()
    assert ticket.status == "in_progress"

    client.post(url("wait"), {"reason": "Waiting for a new lamp"})
    ticket.refresh_from_db()
    assert ticket.status == "waiting"

    client.post(url("resolve"), {"resolution": "Replaced the lamp.", "self_help": "Check the power strip."})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolution, ticket.self_help) == (
        "resolved",
        "Replaced the lamp.",
        "Check the power strip.",
    )


def test_technician_closes_and_reopens(technician, ticket):
    client = client_for(technician)
    client.post(reverse("ticket-close", args=[ticket.pk]), {"reason": "Duplicate"})
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    client.post(reverse("ticket-reopen", args=[ticket.pk]), {"reason": "Not a duplicate after all"})
    ticket.refresh_from_db()
    assert ticket.status == "assigned"


def test_refused_transition_shows_a_message_and_changes_nothing(technician, ticket):
    services.close_ticket(actor=technician, ticket=ticket)
    ticket.refresh_from_db()
    before = (ticket.status, ticket.version, ticket.events.count())
    response = client_for(technician).post(
        reverse("ticket-resolve", args=[ticket.pk]), {"resolution": "Fixed"}, follow=True
    )
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "A ticket that is closed cannot be resolved." in messages_of(response)
    assert (ticket.status, ticket.version, ticket.events.count()) == before


def test_assigning_to_a_teacher_is_a_form_error(technician, teacher, ticket):
    response = client_for(technician).post(reverse("ticket-assign", args=[ticket.pk]), {"assignee": teacher.pk})
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "assignee" in response.context["assign_form"].errors
    assert ticket.status == "new" and ticket.assignee is None


def test_wait_without_a_reason_is_a_form_error(technician, ticket):
    response = client_for(technician).post(reverse("ticket-wait", args=[ticket.pk]), {"reason": ""})
    ticket.refresh_from_db()
    assert response.status_code == 200
    assert "reason" in response.context["wait_form"].errors
    assert ticket.status == "new"


def test_requester_cannot_use_staff_actions(teacher, technician, ticket):
    client = client_for(teacher)
    response = client.post(reverse("ticket-start", args=[ticket.pk]), follow=True)
    assert "Only the help desk team can do that." in messages_of(response)
    client.post(reverse("ticket-assign", args=[ticket.pk]), {"assignee": technician.pk})
    client.post(reverse("ticket-update", args=[ticket.pk]), {"impact": "high"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.impact) == ("new", None, "medium")


def test_other_requester_actions_are_404(other_teacher, resolved_ticket):
    client = client_for(other_teacher)
    assert client.post(reverse("ticket-close", args=[resolved_ticket.pk])).status_code == 404
    assert client.post(reverse("ticket-comment", args=[resolved_ticket.pk]), {"body": "hi"}).status_code == 404
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "resolved"


def test_requester_sees_the_fix_and_confirms_it(teacher, resolved_ticket):
    client = client_for(teacher)
    page = client.get(reverse("ticket-detail", args=[resolved_ticket.pk])).content.decode()
    assert "Fixed — please confirm" in page
    assert "Replaced the lamp." in page and "Check the power strip first." in page
    assert "Yes, it's fixed" in page and "No, it's still broken" in page
    response = client.post(reverse("ticket-close", args=[resolved_ticket.pk]), follow=True)
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "closed"
    assert "Thanks for confirming. This request is closed." in messages_of(response)
    assert resolved_ticket.events.filter(kind="closed", data__confirmed_by_requester=True).exists()


def test_requester_reopens_with_a_reason(teacher, resolved_ticket):
    client = client_for(teacher)
    empty = client.post(reverse("ticket-reopen", args=[resolved_ticket.pk]), {"reason": ""})
    assert "reason" in empty.context["reopen_form"].errors
    client.post(reverse("ticket-reopen", args=[resolved_ticket.pk]), {"reason": "Still flickers"})
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "assigned"


def test_requester_cannot_reopen_a_closed_ticket(teacher, technician, resolved_ticket):
    services.close_ticket(actor=technician, ticket=resolved_ticket)
    response = client_for(teacher).post(
        reverse("ticket-reopen", args=[resolved_ticket.pk]), {"reason": "again"}, follow=True
    )
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == "closed"
    assert messages_of(response)


# --- conversation ----------------------------------------------------------------


def test_replies_and_internal_notes(teacher, technician, ticket):
    staff = client_for(technician)
    staff.post(reverse("ticket-comment", args=[ticket.pk]), {"body": "Can you send the asset tag?"})
    staff.post(reverse("ticket-comment", args=[ticket.pk]), {"body": "Lamp is EOL, order one", "internal": "on"})
    client_for(teacher).post(reverse("ticket-comment", args=[ticket.pk]), {"body": "It is JES-42"})
    assert Comment.objects.filter(ticket=ticket).count() == 3

    teacher_page = client_for(teacher).get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "Can you send the asset tag?" in teacher_page and "It is JES-42" in teacher_page
    assert "Lamp is EOL" not in teacher_page
    assert "internal note" not in teacher_page.lower()

    staff_page = staff.get(reverse("ticket-detail", args=[ticket.pk])).content.decode()
    assert "Lamp is EOL, order one" in staff_page
    assert "Internal note — staff only" in staff_page


def test_requester_cannot_post_an_internal_note(teacher, ticket):
    response = client_for(teacher).post(
        reverse("ticket-comment", args=[ticket.pk]), {"body": "sneaky", "internal": "on"}, follow=True
    )
    assert not Comment.objects.exists()
    assert "Only the help desk team can write internal notes." in messages_of(response)


def test_empty_or_oversized_comment_is_a_form_error(teacher, ticket):
    client = client_for(teacher)
    for body in ("", "x" * 20001):
        response = client.post(reverse("ticket-comment", args=[ticket.pk]), {"body": body})
        assert response.status_code == 200
        assert "body" in response.context["comment_form"].errors
    assert not Comment.objects.exists()


# --- triage ----------------------------------------------------------------------


def test_triage_updates_the_ticket(technician, ticket, category):
    other = factories.CategoryFactory()
    response = client_for(technician).post(
        reverse("ticket-update", args=[ticket.pk]),
        {
            "category": other.pk,
            "impact": "high",
            "urgency": "high",
            "service_mode": "on_site",
            "asset_tag": "A-1",
            "needed_by": "",
            "school": ticket.school_id,
            "version": ticket.version,
        },
        follow=True,
    )
    ticket.refresh_from_db()
    assert "Details saved." in messages_of(response)
    assert (ticket.category, ticket.priority, ticket.service_mode, ticket.asset_tag) == (
        other,
        "critical",
        "on_site",
        "A-1",
    )


def test_triage_from_a_stale_page_overwrites_nothing(technician, ticket):
    stale_version = ticket.version
    services.update_ticket(actor=technician, ticket=ticket, changes={"asset_tag": "FIRST"})
    response = client_for(technician).post(
        reverse("ticket-update", args=[ticket.pk]),
        {
            "category": ticket.category_id,
            "impact": "low",
            "urgency": "low",
            "service_mode": "",
            "asset_tag": "SECOND",
            "needed_by": "",
            "school": ticket.school_id,
            "version": stale_version,
        },
        follow=True,
    )
    ticket.refresh_from_db()
    assert ticket.asset_tag == "FIRST" and ticket.impact == "medium"
    assert any("Someone else changed this ticket" in m for m in messages_of(response))


def test_triage_with_bad_input_is_a_form_error(technician, ticket):
    response = client_for(technician).post(
        reverse("ticket-update", args=[ticket.pk]), {"impact": "enormous", "version": "x"}
    )
    assert response.status_code == 200
    assert {"impact", "version", "category"} <= set(response.context["triage_form"].errors)
