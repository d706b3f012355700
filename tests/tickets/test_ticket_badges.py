"""tickets.templatetags.ticket_badges: the status and priority badges and the queue's rows, drawn in Python."""

import re

import pytest
from django.utils import translation

from tests import factories
from tickets.models import Ticket
from tickets.templatetags.ticket_badges import priority_badge, queue_rows, status_badge

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _in_english():
    """A tag reads the active language; another test in the same process may have left Spanish on."""
    with translation.override("en"):
        yield


REQUESTER_WORDS = {
    Ticket.Status.NEW: "Received",
    Ticket.Status.ASSIGNED: "A technician has it",
    Ticket.Status.IN_PROGRESS: "Being worked on",
    Ticket.Status.RESOLVED: "Fixed — please confirm",
    Ticket.Status.CLOSED: "Closed",
}


@pytest.mark.parametrize("status", list(REQUESTER_WORDS))
def test_requesters_read_plain_words_and_staff_the_working_names(status):
    ticket = Ticket(status=status)
    assert status_badge(ticket, False) == (
        f'<span class="badge status-badge status-{status}">{REQUESTER_WORDS[status]}</span>'
    )
    assert status_badge(ticket, True) == (
        f'<span class="badge status-badge status-{status}">{ticket.get_status_display()}</span>'
    )


def test_a_waiting_requester_is_told_what_the_ticket_waits_on():
    on_them = Ticket(status=Ticket.Status.WAITING, waiting_on=Ticket.WaitingOn.REQUESTER)
    on_a_part = Ticket(status=Ticket.Status.WAITING, waiting_on=Ticket.WaitingOn.THIRD_PARTY)
    assert ">Waiting for your answer<" in status_badge(on_them, False)
    assert ">On hold: waiting for a part or another company<" in status_badge(on_a_part, False)
    with translation.override("es"):
        assert ">Esperamos su respuesta<" in status_badge(on_them, False)


def test_priority_badge_names_the_priority_in_text():
    assert priority_badge(Ticket(priority="critical")) == (
        '<span class="badge priority-badge priority-critical">Critical</span>'
    )


def _cells(row: str) -> dict[str, str]:
    return dict(re.findall(r'<td data-label="([^"]*)">(.*?)</td>', row, flags=re.S))


def test_a_queue_row_shows_what_the_table_promises(technician, school, category):
    requester = factories.UserFactory(first_name="Ana", last_name="Ruiz", profile__school=school)
    ticket = factories.TicketFactory(requester=requester, category=category, school=school)
    ticket = Ticket.objects.select_related("school", "category", "requester", "assignee").get(pk=ticket.pk)
    html = queue_rows([ticket])
    assert html.count("<tr ") == 1 and 'data-testid="queue-row"' in html
    cells = _cells(html)
    assert list(cells) == ["Select", "#", "Title", "School", "Priority", "Status", "Assignee", "Age"]
    assert f'value="{ticket.pk}"' in cells["Select"] and f'for="select-{ticket.pk}"' in cells["Select"]
    assert f"Select #{ticket.pk} {ticket.title}" in cells["Select"]
    assert cells["#"] == str(ticket.pk)
    assert f'<a href="/tickets/{ticket.pk}/">{ticket.title}</a>' in cells["Title"]
    assert f"{category.name} · Ana Ruiz" in cells["Title"]
    assert cells["School"] == f'{school.code}<span class="visually-hidden"> {school.name}</span>'
    assert f"priority-{ticket.priority}" in cells["Priority"]
    assert cells["Status"] == status_badge(ticket, True)
    assert ticket.assignee is None and cells["Assignee"] == '<span class="text-body-secondary">Nobody yet</span>'
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+" title="[^"]+">0\xa0minutes</time>', cells["Age"])


def test_queue_rows_escape_what_people_typed(school):
    requester = factories.UserFactory(first_name=SCRIPT, profile__school=school)
    category = factories.CategoryFactory(name=f'Cat "{SCRIPT}')
    ticket = factories.TicketFactory(requester=requester, category=category, school=school, title=f'"{SCRIPT}')
    ticket = Ticket.objects.select_related("school", "category", "requester", "assignee").get(pk=ticket.pk)
    html = queue_rows([ticket])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&quot;&lt;script&gt;" in html  # the title, in the link and in the checkbox's label


def test_queue_rows_name_the_assignee_and_speak_spanish(technician, school, category):
    technician.first_name, technician.last_name = "Sam", "Tech"
    technician.save()
    ticket = factories.TicketFactory(requester=factories.UserFactory(profile__school=school), category=category)
    Ticket.objects.filter(pk=ticket.pk).update(assignee=technician)
    ticket = Ticket.objects.select_related("school", "category", "requester", "assignee").get(pk=ticket.pk)
    assert ">Sam Tech</td>" in queue_rows([ticket])
    ticket.assignee = None
    with translation.override("es"):
        html = queue_rows([ticket])
    assert 'data-label="Título"' in html and "Nadie todavía" in html


def test_an_empty_queue_says_so():
    assert queue_rows([]) == '<tr><td colspan="8">No tickets match these filters.</td></tr>'
