"""The ticket's lifecycle through the API: actions from each status, comments and history."""

import pytest
from django.core import mail

from tests import factories
from tests.conftest import api_as
from tests.tickets.api_calls import (
    ALLOWED_FROM,
    STATUSES,
    action_body,
    bring_to,
    detail,
)
from tickets import services
from tickets.models import Comment

pytestmark = pytest.mark.django_db


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
