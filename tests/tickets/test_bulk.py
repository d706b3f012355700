"""`POST /api/tickets/bulk/` (API.md, the technician's workbench): one action on many tickets,
each passing the same rules alone, each answering the code its single action would give."""

import pytest

from tests import factories
from tests.conftest import api_as
from tickets import bulk, services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

URL = "/api/tickets/bulk/"


@pytest.fixture
def three(teacher, category):
    return [factories.TicketFactory(requester=teacher, category=category) for _ in range(3)]


def codes(response) -> dict[int, int]:
    assert response.status_code == 200, response.content
    return {row["id"]: row["status"] for row in response.json()["results"]}


def test_bulk_assign_three_tickets(technician, three):
    ids = [t.pk for t in three]
    response = api_as(technician).post(URL, {"ids": ids, "action": "assign", "assignee": technician.pk}, format="json")
    assert codes(response) == dict.fromkeys(ids, 200)
    assert set(Ticket.objects.filter(pk__in=ids).values_list("status", "assignee")) == {("assigned", technician.pk)}


def test_each_ticket_gets_the_code_its_single_action_would(technician, teacher, three, other_teacher, category):
    resolved, fine, _ = three
    services.resolve_ticket(actor=technician, ticket=resolved, resolution="Done")
    ids = [resolved.pk, fine.pk, 999_999]
    single = api_as(technician).post(f"/api/tickets/{resolved.pk}/start/")
    response = api_as(technician).post(URL, {"ids": ids, "action": "start"}, format="json")
    assert codes(response) == {resolved.pk: single.status_code, fine.pk: 200, 999_999: 404}
    assert single.status_code == 409
    resolved.refresh_from_db()
    fine.refresh_from_db()
    assert (resolved.status, fine.status) == ("resolved", "in_progress")


def test_bulk_wait_takes_on_and_the_reason(technician, three):
    ids = [t.pk for t in three]
    response = api_as(technician).post(
        URL, {"ids": ids, "action": "wait", "reason": "Parts on order", "on": "third_party"}, format="json"
    )
    assert set(codes(response).values()) == {200}
    assert set(Ticket.objects.filter(pk__in=ids).values_list("status", "waiting_on")) == {("waiting", "third_party")}


def test_bulk_resolve_with_one_message_and_a_tip(technician, three):
    ids = [t.pk for t in three]
    response = api_as(technician).post(
        URL,
        {"ids": ids, "action": "resolve", "resolution": "Reset the projector", "self_help": "Hold power 10 s"},
        format="json",
    )
    assert set(codes(response).values()) == {200}
    assert set(Ticket.objects.filter(pk__in=ids).values_list("resolution", "self_help")) == {
        ("Reset the projector", "Hold power 10 s")
    }


def test_bulk_close(technician, three):
    ids = [t.pk for t in three]
    assert set(codes(api_as(technician).post(URL, {"ids": ids, "action": "close"}, format="json")).values()) == {200}
    assert set(Ticket.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"closed"}


@pytest.mark.parametrize(
    "body",
    [
        {"ids": [], "action": "start"},
        {"ids": list(range(1, 102)), "action": "start"},
        {"ids": [1], "action": "reopen"},
        {"ids": ["x"], "action": "start"},
        {"ids": [1], "action": "resolve"},
        {"ids": [1], "action": "wait", "reason": "x", "on": "the moon"},
        {"ids": [1], "action": "assign"},
    ],
)
def test_a_bad_request_is_a_400_and_changes_nothing(technician, three, body):
    body = {**body, "ids": [three[0].pk] if body["ids"] == [1] else body["ids"]}
    response = api_as(technician).post(URL, body, format="json")
    assert response.status_code == 400
    assert set(Ticket.objects.values_list("status", flat=True)) == {"new"}


def test_assigning_to_a_requester_is_refused_per_ticket(technician, teacher, three):
    ids = [t.pk for t in three]
    response = api_as(technician).post(URL, {"ids": ids, "action": "assign", "assignee": teacher.pk}, format="json")
    assert set(codes(response).values()) == {400}


def test_requesters_may_not_use_bulk(teacher, three):
    response = api_as(teacher).post(URL, {"ids": [three[0].pk], "action": "close"}, format="json")
    assert response.status_code == 403
    three[0].refresh_from_db()
    assert three[0].status == "new"


def test_each_id_is_acted_on_once(technician, three):
    outcomes = bulk.act_on_many(actor=technician, ids=[three[0].pk, three[0].pk], action="start", fields={})
    assert [o.status for o in outcomes] == [200]
