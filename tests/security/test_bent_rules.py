"""Rules the probe bent (issue 15, item 8): a colleague's (or a future) visit checked in to or
completed, "This solved it" posted without limit, a bare carriage return in the .ics feed,
and an admin that deleted tickets with their history and edited comments and people without
an event."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from schools import services as school_services
from schools.ical import visits_calendar
from schools.models import CalendarFeed, Rotation, Visit
from tests import factories
from tickets import services
from tickets.kb import services as kb_services
from tickets.models import Article, Comment, Deflection, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def visits(director, technician, school):
    rotation = Rotation.objects.create(
        technician=technician, school=school, weekdays=[1, 2, 3, 4, 5, 6, 7], start_date=timezone.localdate()
    )
    today = timezone.localdate()
    make = lambda day: Visit.objects.create(technician=technician, school=school, rotation=rotation, date=day)  # noqa: E731
    return make(today), make(today + timedelta(days=7))


# --- visits ---------------------------------------------------------------------------------


def test_a_colleague_cannot_check_in_to_or_complete_someone_elses_visit(visits):
    today, _future = visits
    colleague = factories.TechnicianFactory()
    client = signed_in(colleague)
    response = client.post(f"/today/visits/{today.pk}/check-in/", follow=True)
    assert "Only the technician on this visit" in response.content.decode()
    client.post(f"/today/visits/{today.pk}/complete/")
    today.refresh_from_db()
    assert today.checked_in_at is None and today.status == Visit.Status.PLANNED


def test_nobody_checks_in_to_or_completes_a_future_visit(visits, technician):
    _today, future = visits
    client = signed_in(technician)
    client.post(f"/today/visits/{future.pk}/check-in/")
    response = client.post(f"/today/visits/{future.pk}/complete/", follow=True)
    assert "on the day" in response.content.decode()
    future.refresh_from_db()
    assert future.checked_in_at is None and future.status == Visit.Status.PLANNED


def test_the_visits_own_technician_checks_in_and_completes_today(visits, technician):
    today, _future = visits
    client = signed_in(technician)
    client.post(f"/today/visits/{today.pk}/check-in/")
    client.post(f"/today/visits/{today.pk}/complete/")
    today.refresh_from_db()
    assert today.checked_in_at is not None and today.status == Visit.Status.DONE


def test_a_director_may_complete_a_visit_for_the_technician(visits, director):
    today, _future = visits
    assert school_services.complete_visit(actor=director, visit=today).status == Visit.Status.DONE


# --- "This solved it" --------------------------------------------------------------------------


def test_this_solved_it_counts_once_per_person_article_and_day(teacher, other_teacher, technician):
    article = kb_services.create_article(actor=technician, title="Reconnect Wi-Fi", body="Open settings.")
    client = signed_in(teacher)
    for _ in range(25):
        assert client.post(f"/kb/{article.pk}/solved/", {"q": "wifi"}).status_code == 302
    signed_in(other_teacher).post(f"/kb/{article.pk}/solved/", {"q": "wifi"})
    article.refresh_from_db()
    assert article.deflections == 2
    assert Deflection.objects.filter(article=article).count() == 2
    # Another day is another problem solved.
    Deflection.objects.filter(user=teacher).update(created_at=timezone.now() - timedelta(days=1))
    client.post(f"/kb/{article.pk}/solved/", {"q": "wifi"})
    assert Article.objects.get(pk=article.pk).deflections == 3


# --- the .ics feed ---------------------------------------------------------------------------------


def test_a_bare_carriage_return_in_a_schools_name_or_address_cannot_add_a_property(visits, technician, school):
    school.name = "Lincoln\rATTENDEE:mailto:attacker@example.org"
    school.address = "1 Main St\rURL:https://evil.example"
    school.save()
    body = visits_calendar(Visit.objects.filter(pk=visits[0].pk), name="Visits", domain="helpdesk")
    lines = body.split("\r\n")
    assert not any(line.startswith(("ATTENDEE", "URL")) for line in lines)
    assert "\r" not in body.replace("\r\n", "")
    feed = CalendarFeed.objects.create(user=technician)
    served = Client().get(f"/calendar/{feed.token}.ics").content.decode()
    assert "\r" not in served.replace("\r\n", "") and "\nATTENDEE" not in served


# --- the admin -------------------------------------------------------------------------------------


class _Fields(HTMLParser):
    """The values a browser would post back from an admin change form, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "checkbox", "file"):
            self.data[name] = a.get("value") or ""
        elif tag == "input" and name and a.get("type") == "checkbox" and "checked" in a:
            self.data[name] = a.get("value") or "on"
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def _form(client: Client, url: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(client.get(url).content.decode())
    return {key: value.lstrip("\n") for key, value in parser.data.items()}


@pytest.fixture
def superuser_client():
    return signed_in(factories.UserFactory(is_staff=True, is_superuser=True))


def test_the_admin_refuses_to_delete_a_ticket_and_its_history(superuser_client, ticket):
    assert superuser_client.post(f"/admin/tickets/ticket/{ticket.pk}/delete/", {"post": "yes"}).status_code == 403
    superuser_client.post(
        "/admin/tickets/ticket/", {"action": "delete_selected", "_selected_action": [ticket.pk], "post": "yes"}
    )
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    assert TicketEvent.objects.filter(ticket=ticket).exists()


def test_comments_are_read_only_in_the_admin_and_inline(superuser_client, ticket, technician):
    note = services.add_comment(actor=technician, ticket=ticket, body="Password is on the sticky note", internal=True)
    url = f"/admin/tickets/comment/{note.pk}/change/"
    superuser_client.post(url, {"ticket": ticket.pk, "author": technician.pk, "body": "x", "internal": ""})
    note.refresh_from_db()
    assert note.internal and note.body == "Password is on the sticky note"
    assert superuser_client.post(f"/admin/tickets/comment/{note.pk}/delete/", {"post": "yes"}).status_code == 403
    # The ticket page's inline shows the conversation without a field to change.
    data = _form(superuser_client, f"/admin/tickets/ticket/{ticket.pk}/change/")
    assert not [name for name in data if name.startswith("comments-0-")] or "comments-0-internal" not in data
    superuser_client.post(
        f"/admin/tickets/ticket/{ticket.pk}/change/", {**data, "comments-0-internal": "", "comments-0-id": note.pk}
    )
    assert Comment.objects.get(pk=note.pk).internal


def test_an_admin_change_to_requester_or_assignee_is_recorded_as_an_event(superuser_client, ticket, technician):
    other = factories.UserFactory(profile__school=ticket.school)
    url = f"/admin/tickets/ticket/{ticket.pk}/change/"
    data = _form(superuser_client, url)
    assert "requester" in data
    version = Ticket.objects.get(pk=ticket.pk).version
    response = superuser_client.post(url, {**data, "requester": other.pk, "assignee": technician.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket.refresh_from_db()
    assert ticket.requester == other and ticket.version == version + 1
    event = ticket.events.filter(kind=TicketEvent.Kind.UPDATED).latest("id")
    assert event.data["via"] == "admin"
    assert set(event.data["changes"]) == {"requester", "assignee"}
    assert event.data["changes"]["requester"][1] == str(other)
    assert event.actor.is_superuser
