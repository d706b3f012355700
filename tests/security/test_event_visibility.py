"""One visibility rule for a ticket's history, the page's and the API's (issue 15, item 3).

`/api/tickets/<id>/events/` used to return each event's raw `data` to requesters: a vendor
return note meant for staff, the assignee's username, the automatic-assignment reason.
Every kind of event is checked here: the requester's page and API show the same events,
and neither carries anything marked SECRET; staff still see all of it.
"""

import json

import pytest
from django.test import Client

from tests import factories
from tickets import services, vendors
from tickets.models import TicketEvent, Vendor
from tickets.selectors import REQUESTER_EVENT_DATA

pytestmark = pytest.mark.django_db

Kind = TicketEvent.Kind
MOVE = {"from": "new", "to": "assigned"}
# What each kind's producer writes (tickets/services/, sla/, vendors.py, outbox.py,
# attachments.py), with every value a requester must not read marked SECRET.
SAMPLE_DATA: dict[str, dict] = {
    Kind.CREATED: {"priority": "SECRET-priority", "queue": "SECRET-queue"},
    Kind.ASSIGNED: {**MOVE, "assignee": "SECRET-username", "previous": "SECRET-prev", "automatic": "SECRET-reason"},
    Kind.STARTED: {"from": "assigned", "to": "in_progress"},
    Kind.WAITING: {"from": "in_progress", "to": "waiting", "reason": "Waiting for a new lamp", "on": "third_party"},
    Kind.RESOLVED: {"from": "in_progress", "to": "resolved", "resolution": "Replaced the lamp"},
    Kind.CLOSED: {
        "from": "resolved",
        "to": "closed",
        "confirmed_by_requester": False,
        "automatic": False,
        "reason": "SECRET-close-reason",
    },  # fmt: skip
    Kind.REOPENED: {"from": "resolved", "to": "assigned", "reason": "It broke again"},
    Kind.COMMENTED: {"comment": 1, "internal": False, "attachments": ["photo.png"]},
    Kind.UPDATED: {"changes": {"queue": ["SECRET-old-queue", "SECRET-new-queue"]}, "via": "SECRET-admin"},
    Kind.ESCALATED: {"vendor": "SECRET-vendor", "case_number": "SECRET-case", "case": 7},
    Kind.VENDOR_RETURNED: {"vendor": "SECRET-vendor", "case_number": "SECRET-case", "note": "SECRET-staff-note"},
    Kind.EMAIL_FAILED: {"kind": "SECRET-email-kind", "to": "SECRET@example.org", "error": "SECRET-error"},
    Kind.SLA_WARNING: {"target": "SECRET-target", "due_at": "SECRET-due"},
    Kind.SLA_BREACHED: {"target": "SECRET-target", "due_at": "SECRET-due"},
    Kind.SCHEDULED: {"visit": 3, "date": "2026-09-14", "technician": "SECRET-username"},
    Kind.DISPATCH: {"school": "SECRET-school"},
    Kind.MERGED: {"from": "in_progress", "to": "closed", "into": 12},
    Kind.MERGED_IN: {"source": "SECRET-source", "comments": "SECRET-count"},
    Kind.FOLLOWERS: {"added": "SECRET-colleague", "removed": "SECRET-other"},
}


def test_every_kind_of_event_has_a_rule_and_a_sample():
    assert set(REQUESTER_EVENT_DATA) == set(Kind.values)
    assert set(SAMPLE_DATA) == set(Kind.values)


def _api_events(client: Client, ticket) -> list[dict]:
    response = client.get(f"/api/tickets/{ticket.pk}/events/")
    assert response.status_code == 200
    return response.json()["results"]


@pytest.mark.parametrize("kind", Kind.values)
def test_the_requesters_page_and_api_show_the_same_history_without_staff_data(kind, teacher, technician, category):
    ticket = factories.TicketFactory(requester=teacher, category=category, title="Projector")
    TicketEvent.objects.create(ticket=ticket, actor=technician, kind=kind, data=SAMPLE_DATA[kind])

    requester = Client()
    requester.force_login(teacher)
    events = _api_events(requester, ticket)
    shown = [event for event in events if event["kind"] == kind]
    hidden = REQUESTER_EVENT_DATA[kind] is None
    assert len(shown) == (0 if hidden else 1) + (1 if kind == Kind.CREATED else 0)
    for event in shown:
        assert set(event["data"]) <= REQUESTER_EVENT_DATA[kind]
    assert "SECRET" not in json.dumps(events)

    page = requester.get(f"/tickets/{ticket.pk}/").content.decode()
    for value in json.dumps(SAMPLE_DATA[kind]).split('"'):
        if value.startswith("SECRET"):
            assert value not in page, f"{value} on the requester's page"
    # The page and the API list the same events.
    history = page.split('id="history-heading"', 1)[1].split("</ol>", 1)[0]
    assert history.count("<li") == len(events)

    staff = Client()
    staff.force_login(technician)
    staff_event = [event for event in _api_events(staff, ticket) if event["data"] == SAMPLE_DATA[kind]]
    assert len(staff_event) == 1


def test_a_vendor_return_note_and_the_assignee_stay_with_staff(teacher, technician, category):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.start_ticket(actor=technician, ticket=ticket)
    vendor = Vendor.objects.create(name="Acme Repairs")
    case = vendors.escalate_to_vendor(actor=technician, ticket=ticket, vendor=vendor, case_number="RMA-1")
    vendors.vendor_returned(actor=technician, case=case, note="Charged us twice, chase the refund")

    requester = Client()
    requester.force_login(teacher)
    events = _api_events(requester, ticket)
    assert "chase the refund" not in json.dumps(events)
    assert not [event for event in events if technician.username in json.dumps(event["data"])]
    assert "chase the refund" not in requester.get(f"/tickets/{ticket.pk}/").content.decode()

    staff = Client()
    staff.force_login(technician)
    assert "chase the refund" in json.dumps(_api_events(staff, ticket))
