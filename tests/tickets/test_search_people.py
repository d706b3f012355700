"""`search` on tickets also matches the requester's name and email and `#<id>` (API.md),
on the API list and the queue page alike (one FilterSet)."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import api_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def maria(school):
    return factories.UserFactory(
        username="mlopez",
        first_name="María",
        last_name="Lopez",
        email="maria.lopez@district.example",
        profile__school=school,
    )


@pytest.fixture
def tickets(maria, teacher, category):
    # The other teacher's name is Faker's otherwise, and may well be Lopez or María.
    teacher.first_name, teacher.last_name = "Sam", "Okafor"
    teacher.save(update_fields=["first_name", "last_name"])
    hers = factories.TicketFactory(requester=maria, category=category, title="Printer jam")
    other = factories.TicketFactory(requester=teacher, category=category, title="Projector flickers")
    return hers, other


def found(user, search: str) -> set[int]:
    response = api_as(user).get("/api/tickets/", {"search": search})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("search", ["lopez", "María Lopez", "maría", "maria.lopez@district", "MLOPEZ"])
def test_search_finds_a_teachers_tickets_by_name_email_or_username(technician, tickets, search):
    hers, _other = tickets
    assert found(technician, search) == {hers.pk}


def test_search_by_hash_id(technician, tickets):
    hers, other = tickets
    assert found(technician, f"#{other.pk}") == {other.pk}


def test_search_still_matches_title(technician, tickets):
    _hers, other = tickets
    assert found(technician, "flickers") == {other.pk}


def test_search_by_name_stays_within_what_a_requester_may_see(teacher, tickets):
    assert found(teacher, "lopez") == set()


def test_the_queue_page_finds_a_teacher_by_name(client, technician, tickets):
    hers, other = tickets
    client.force_login(technician)
    page = client.get(reverse("ticket-list"), {"search": "Lopez", "status": ["new", "assigned"]}).content.decode()
    assert "Printer jam" in page
    assert "Projector flickers" not in page
