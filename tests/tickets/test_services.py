import pytest
from django.core import mail

from tests import factories
from tickets import services
from tickets.errors import DomainError, InvalidTransition, PermissionDenied
from tickets.models import Ticket, TicketEvent, priority_for

pytestmark = pytest.mark.django_db

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


@pytest.mark.parametrize(("impact", "urgency", "expected"), MATRIX)
def test_priority_follows_the_matrix(impact, urgency, expected, teacher, category):
    assert priority_for(impact, urgency) == expected
    ticket = services.create_ticket(
        actor=teacher, title="x", description="y", category=category, impact=impact, urgency=urgency
    )
    assert ticket.priority == expected


def test_create_lands_in_the_school_queue_and_acknowledges(teacher, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.create_ticket(
            actor=teacher, title="Printer jammed", description="Room 12", category=category, impact="low", urgency="low"
        )
    assert ticket.school == teacher.profile.school
    assert ticket.queue == teacher.profile.school.queue
    assert ticket.status == Ticket.Status.NEW
    assert list(ticket.events.values_list("kind", flat=True)) == ["created"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [teacher.email]
    assert f"#{ticket.pk}" in mail.outbox[0].subject


def test_category_with_a_district_queue_routes_there(teacher):
    network = factories.QueueFactory(name="Network")
    category = factories.CategoryFactory(queue=network)
    ticket = factories.TicketFactory(requester=teacher, category=category)
    assert ticket.queue == network


def test_full_lifecycle_writes_events(ticket, technician, teacher):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.start_ticket(actor=technician, ticket=ticket)
    services.wait_ticket(actor=technician, ticket=ticket, reason="Need the room number")
    services.start_ticket(actor=technician, ticket=ticket)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced lamp", self_help="Check the cable")
    services.close_ticket(actor=teacher, ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert ticket.closed_at and ticket.resolved_at and ticket.first_response_at
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["created", "assigned", "started", "waiting", "started", "resolved", "closed"]


def test_wrong_status_is_refused_and_changes_nothing(ticket, technician):
    with pytest.raises(InvalidTransition):
        services.reopen_ticket(actor=technician, ticket=ticket, reason="again")
    ticket.refresh_from_db()
    assert ticket.status == "new"
    assert ticket.events.count() == 1


def test_requester_cannot_close_an_unresolved_ticket(ticket, teacher):
    with pytest.raises(InvalidTransition):
        services.close_ticket(actor=teacher, ticket=ticket)


def test_requester_cannot_assign(ticket, teacher, technician):
    with pytest.raises(PermissionDenied):
        services.assign_ticket(actor=teacher, ticket=ticket, assignee=technician)


def test_assignee_must_be_staff(ticket, technician, other_teacher):
    with pytest.raises(DomainError):
        services.assign_ticket(actor=technician, ticket=ticket, assignee=other_teacher)


def test_first_public_staff_comment_sets_first_response(ticket, technician):
    services.add_comment(actor=technician, ticket=ticket, body="Looking", internal=True)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    services.add_comment(actor=technician, ticket=ticket, body="On my way")
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None


def test_events_are_append_only(ticket):
    event = ticket.events.get()
    event.kind = "closed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert TicketEvent.objects.get(pk=event.pk).kind == "created"


def test_a_resolution_can_send_a_self_help_article(ticket, technician, django_capture_on_commit_callbacks):
    from tickets.kb import services as kb_services

    article = kb_services.create_article(actor=technician, title="Reset the projector lamp", body="Hold *Menu*.")
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_ticket(
            actor=technician,
            ticket=ticket,
            resolution="New lamp",
            self_help="Watch the light",
            self_help_article=article,
        )
    ticket.refresh_from_db()
    assert ticket.self_help_article == article
    body = mail.outbox[-1].body
    assert "Reset the projector lamp" in body and f"/kb/{article.pk}/" in body


def test_a_staff_only_article_cannot_be_sent_to_a_requester(ticket, technician):
    from tickets.kb import services as kb_services

    secret = kb_services.create_article(actor=technician, title="Service menu", body="x", audience="staff")
    with pytest.raises(DomainError):
        services.resolve_ticket(actor=technician, ticket=ticket, resolution="Fixed", self_help_article=secret)
    ticket.refresh_from_db()
    assert ticket.status == "new"
