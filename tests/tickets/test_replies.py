"""`/api/replies/` (API.md, the technician's workbench): saved replies, personal and shared,
filled in with the requester's first name and the next visit."""

import datetime

import pytest
from django.utils import timezone

from schools.models import Visit
from tests import factories
from tests.conftest import api_as
from tickets import replies
from tickets.models import SavedReply

pytestmark = pytest.mark.django_db

URL = "/api/replies/"


@pytest.fixture
def shared(director):
    return SavedReply.objects.create(
        title="Lamp", body="Hi {first_name}, see you {next_visit}.", shared=True, owner=director
    )


@pytest.fixture
def mine(technician):
    return SavedReply.objects.create(title="Mine", body="Thanks {first_name}! {me}", owner=technician)


@pytest.fixture
def colleagues():
    return SavedReply.objects.create(title="Theirs", body="Private", owner=factories.TechnicianFactory())


def titles(response) -> set[str]:
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


def test_a_technician_reads_the_shared_replies_and_their_own(technician, shared, mine, colleagues):
    assert titles(api_as(technician).get(URL)) == {"Lamp", "Mine"}
    assert api_as(technician).get(f"{URL}{colleagues.pk}/").status_code == 404


def test_the_contract_fields(technician, mine):
    row = api_as(technician).get(f"{URL}{mine.pk}/").json()
    assert {"id", "title", "body", "shared", "owner"} <= set(row)
    assert row["owner"] == technician.pk


def test_a_technician_writes_their_own(technician):
    response = api_as(technician).post(URL, {"title": "Reboot", "body": "Please restart it."}, format="json")
    assert response.status_code == 201
    reply = SavedReply.objects.get()
    assert (reply.owner, reply.shared) == (technician, False)
    assert api_as(technician).patch(f"{URL}{reply.pk}/", {"title": "Restart"}, format="json").status_code == 200
    assert api_as(technician).delete(f"{URL}{reply.pk}/").status_code == 204


def test_a_technician_cannot_share_or_change_a_shared_reply(technician, shared):
    response = api_as(technician).post(URL, {"title": "X", "body": "Y", "shared": True}, format="json")
    assert response.status_code == 400
    assert "shared" in response.json()
    assert api_as(technician).patch(f"{URL}{shared.pk}/", {"body": "Mine now"}, format="json").status_code == 403
    assert api_as(technician).delete(f"{URL}{shared.pk}/").status_code == 403
    shared.refresh_from_db()
    assert shared.body.startswith("Hi")


def test_the_director_writes_shared_replies(director):
    response = api_as(director).post(URL, {"title": "Team", "body": "Hello", "shared": True}, format="json")
    assert response.status_code == 201
    assert SavedReply.objects.get().shared


def test_requesters_get_403(teacher, shared):
    assert api_as(teacher).get(URL).status_code == 403
    assert api_as(teacher).post(URL, {"title": "X", "body": "Y"}, format="json").status_code == 403


def test_blank_title_is_a_400(technician):
    assert api_as(technician).post(URL, {"title": " ", "body": "Y"}, format="json").status_code == 400


def test_fill_puts_in_the_first_name_and_the_next_visit(technician, shared, ticket):
    ticket.requester.first_name = "Ana"
    ticket.requester.save()
    day = timezone.localdate() + datetime.timedelta(days=3)
    Visit.objects.create(school=ticket.school, technician=technician, date=day)
    response = api_as(technician).get(f"{URL}{shared.pk}/fill/", {"ticket": ticket.pk})
    assert response.status_code == 200
    assert response.json()["body"] == f"Hi Ana, see you {day.strftime('%A, %B')} {day.day}."


def test_fill_without_a_visit_says_our_next_visit_and_keeps_other_braces(technician, ticket):
    text = replies.fill("{first_name} {next_visit} {unknown}", ticket=ticket, actor=technician)
    assert text == f"{ticket.requester.first_name} our next visit {{unknown}}"


def test_fill_needs_a_ticket_in_reach(technician, shared):
    assert api_as(technician).get(f"{URL}{shared.pk}/fill/").status_code == 400
    assert api_as(technician).get(f"{URL}{shared.pk}/fill/", {"ticket": 999999}).status_code == 404
