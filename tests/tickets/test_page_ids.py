"""Every element id on a ticket page is unique, so each label points at its own field."""

import re
from collections import Counter

import pytest
from django.test import Client

from tests import factories
from tickets import services

pytestmark = pytest.mark.django_db


def duplicate_ids(html: str) -> list[str]:
    return [name for name, n in Counter(re.findall(r'\bid="([^"]+)"', html)).items() if n > 1]


def page_for(user, ticket) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"/tickets/{ticket.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_staff_ticket_page_has_no_duplicate_ids(technician, ticket):
    html = page_for(technician, ticket)
    # The hold and close forms both ask for a reason; each has its own box.
    assert 'for="id_wait_reason"' in html and 'id="id_wait_reason"' in html
    assert 'for="id_close_reason"' in html and 'id="id_close_reason"' in html
    assert duplicate_ids(html) == []


def test_requester_page_of_a_resolved_ticket_has_no_duplicate_ids(teacher, technician, category):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced the cable.")
    html = page_for(teacher, ticket)
    assert 'id="id_reopen_reason"' in html
    assert duplicate_ids(html) == []
