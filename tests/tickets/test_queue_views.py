"""The queue fits the day (issue 19, part 1): it opens on open work, mine and unassigned
first; its count is exact and the same on every page of an open view; filters show names."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tickets import selectors, services
from tickets.models import PRIORITY_RANK, Ticket

pytestmark = pytest.mark.django_db


def rows(response) -> list[int]:
    return [ticket.pk for ticket in response.context["tickets"]]


def test_the_queue_opens_on_open_work_mine_then_unassigned_then_colleagues(client, technician, teacher, category):
    colleague = factories.TechnicianFactory()
    theirs = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=theirs, assignee=colleague)
    nobodys = factories.TicketFactory(requester=teacher, category=category)
    Ticket.objects.filter(pk=nobodys.pk).update(assignee=None)  # whatever routing chose
    mine = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=mine, assignee=technician)
    closed = factories.TicketFactory(requester=teacher, category=category)
    services.close_ticket(actor=technician, ticket=closed)
    client.force_login(technician)
    response = client.get(reverse("ticket-list"))
    assert rows(response) == [mine.pk, nobodys.pk, theirs.pk]
    assert response.context["default_view"]


def test_an_explicit_filter_still_reaches_closed_tickets(client, technician, ticket):
    services.close_ticket(actor=technician, ticket=ticket)
    client.force_login(technician)
    assert rows(client.get(reverse("ticket-list"), {"open": "false"})) == [ticket.pk]


def test_an_open_view_counts_exactly_and_the_same_on_every_page(client, technician, monkeypatch, teacher, category):
    monkeypatch.setattr("schools.pagination.COUNT_AHEAD", 1)
    monkeypatch.setattr("tickets.views.pages.PAGE_SIZE", 2)
    for _ in range(7):
        factories.TicketFactory(requester=teacher, category=category)
    client.force_login(technician)
    seen = set()
    for page in (1, 2, 4):
        response = client.get(reverse("ticket-list"), {"open": "true", "page": page})
        assert response.context["count_is_exact"]
        seen.add(response.context["page"].paginator.count)
    assert seen == {7}
    assert "7 tickets" in response.content.decode()


def test_the_assignee_filter_shows_names_not_usernames(client, technician):
    technician.first_name, technician.last_name = "Ana", "Ruiz"
    technician.save()
    client.force_login(technician)
    page = client.get(reverse("ticket-list")).content.decode()
    assert ">Ana Ruiz<" in page


def test_a_views_count_stops_at_the_cap_and_says_so(client, technician, teacher, category, monkeypatch):
    """Each tab counts up to COUNT_CAP and then reads "999+" (here a cap of 3), in the one count query."""
    from django.http import QueryDict

    from tickets import queue_views

    monkeypatch.setattr(queue_views, "COUNT_CAP", 3)
    for _ in range(5):
        ticket = factories.TicketFactory(requester=teacher, category=category)
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    factories.TicketFactory(requester=teacher, category=category)  # one more, unassigned
    tabs, _current = queue_views.views_of(technician, QueryDict())
    mine = next(tab for tab in tabs if tab.query == "mine=true&open=true")
    assert (mine.count, mine.count_label) == (4, "3+")
    client.force_login(technician)
    assert "3+<span" in client.get(reverse("ticket-list")).content.decode()


def test_capped_counts_are_exact_below_the_cap(technician, teacher, category):
    from tickets import queue_views

    for _ in range(3):
        factories.TicketFactory(requester=teacher, category=category)
    counts = queue_views.capped_counts({"all": Ticket.objects.all(), "none": Ticket.objects.filter(pk=0)}, 10)
    assert counts == {"all": 3, "none": 0}
    assert queue_views.capped_counts({"all": Ticket.objects.all()}, 2) == {"all": 2}


def test_the_due_today_tab_counts_along_its_due_date_index_and_stops_at_the_cap(technician, teacher, category):
    """Counted in no order, PostgreSQL scanned the table hoping to meet the cap early; the open
    tickets due today sit at its newest end (200 ms at a million tickets). Walked by due date
    (the partial index ticket_open_due) it reads at most the cap."""
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from tickets import queue_views

    due = next(view for view in queue_views.BUILT_IN if view.key == "due")
    assert due.count_order == ("resolution_due_at",)
    assert "ticket_open_due" in {index.name for index in Ticket._meta.indexes}
    with CaptureQueriesContext(connection) as queries:
        tabs, _current = queue_views.views_of(technician, QueryDict(""))
    counts = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT (SELECT COUNT(*)"))
    assert 'ORDER BY "tickets_ticket"."resolution_due_at" ASC LIMIT 1000' in counts
    assert counts.count("ORDER BY") == 1  # the other tabs are counted in no order
    assert next(tab for tab in tabs if tab.query == due.query).count == 0


@pytest.mark.parametrize("kept", [None, ["high", "critical", "low"]])
def test_mine_first_pages_read_part_by_part_show_every_open_ticket_once_in_order(
    client, technician, teacher, category, monkeypatch, kept
):
    """Each page is cut from the three parts (mine, nobody's, colleagues'), each read in its own
    index order: pages in a row show what one sort of the whole would, no row twice or missed."""
    monkeypatch.setattr("tickets.views.pages.PAGE_SIZE", 4)
    colleague = factories.TechnicianFactory()
    tickets = factories.TicketFactory.create_batch(13, requester=teacher, category=category)
    for n, ticket in enumerate(tickets):
        assignee = [technician, None, colleague][n % 3]
        created = ticket.created_at - timedelta(hours=n % 4)  # ties in priority, told apart by age
        priority = ["low", "high", "critical", "normal"][n % 4]
        Ticket.objects.filter(pk=ticket.pk).update(
            assignee=assignee, created_at=created, priority=priority, priority_rank=PRIORITY_RANK[priority]
        )
    query = {} if kept is None else {"open": "true", "priority": kept}  # the default view, or filters
    open_tickets = Ticket.objects.filter(status__in=Ticket.OPEN_STATUSES, priority__in=kept or PRIORITY_RANK)
    expected = list(
        selectors.mine_and_unassigned_first(open_tickets, technician)
        .order_by("whose", "-priority_rank", "created_at", "-pk")
        .values_list("pk", flat=True)
    )
    client.force_login(technician)
    shown = []
    with CaptureQueriesContext(connection) as queries:
        pages = range(1, (len(expected) + 3) // 4 + 1)
        for page in pages:
            shown += rows(client.get(reverse("ticket-list"), {**query, "page": page}))
    assert shown == expected and len(expected) == (13 if kept is None else 10)
    assert sum("UNION ALL" in q["sql"] for q in queries.captured_queries) == len(pages)  # one rows query a page


def test_a_search_with_sql_wildcards_and_quotes_reads_mine_first_and_finds_the_text(
    client, technician, teacher, category
):
    wanted = factories.TicketFactory(requester=teacher, category=category)
    Ticket.objects.filter(pk=wanted.pk).update(title="Printer says 50%_off' again")
    factories.TicketFactory(requester=teacher, category=category)  # a ticket the search must leave out
    client.force_login(technician)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("ticket-list"), {"open": "true", "search": "50%_off'"})
    assert response.status_code == 200 and rows(response) == [wanted.pk]
    assert any("UNION ALL" in q["sql"] for q in queries.captured_queries)
