"""selectors.tickets_visible_to: what each requester reads, and that a plain requester's tickets are
found by their own indexes, never by testing everybody else's tickets."""

import pytest
from django.db import connection

from schools.roles import forget_roles
from tests import factories
from tickets import selectors
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _visible(user) -> set[int]:
    return set(selectors.tickets_visible_to(user).values_list("pk", flat=True))


def test_a_requester_reads_their_own_and_what_they_follow_and_a_contact_their_school_too(school, category):
    reader, other = (factories.UserFactory(profile__school=school) for _ in range(2))
    own = factories.TicketFactory(requester=reader, category=category)
    followed = factories.TicketFactory(requester=other, category=category)
    followed.followers.add(reader)
    unrelated = factories.TicketFactory(requester=other, category=category)
    elsewhere = factories.TicketFactory(category=category)  # another school's
    assert _visible(reader) == {own.pk, followed.pk}
    assert _visible(factories.UserFactory()) == set()

    school.campus_contact = reader
    school.save()
    forget_roles(reader)
    assert _visible(reader) == {own.pk, followed.pk, unrelated.pk}
    assert elsewhere.pk not in _visible(reader)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_a_newcomers_start_page_reads_nobody_elses_tickets(school, category):
    """The start page's query for a teacher who has filed nothing: by the old OR the planner walked
    every ticket newest first, testing each (163 ms at 100,000 tickets, seconds at 10 million)."""
    someone = factories.UserFactory(profile__school=school)
    first = factories.TicketFactory(requester=someone, category=category)
    fields = {f.attname: getattr(first, f.attname) for f in Ticket._meta.concrete_fields if not f.primary_key}
    Ticket.objects.bulk_create(Ticket(**fields) for _ in range(3000))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    newcomer = factories.UserFactory(profile__school=school)
    rows = selectors.ticket_list(newcomer).order_by("-created_at", "-pk")[:11]
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]

    def ticket_rows_read(node: dict) -> int:
        own = (
            node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
            if node.get("Relation Name") == "tickets_ticket"
            else 0
        )
        return own * node.get("Actual Loops", 1) + sum(ticket_rows_read(child) for child in node.get("Plans", []))

    assert ticket_rows_read(plan) < 50
    assert list(rows) == []
