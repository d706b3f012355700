"""`LateRowsPaginator`: the page's rows chosen on the table alone, then joined; the same rows in
the same order as slicing the joined queryset, in one query."""

import pytest
from django.db.models import Case, IntegerField, Value, When

from schools.pagination import CappedPaginator, LateRowsPaginator
from tests import factories
from tickets.models import Ticket


@pytest.fixture
def tickets(db, technician):
    schools = [factories.SchoolFactory() for _ in range(3)]
    for n in range(22):
        ticket = factories.TicketFactory(
            school=schools[n % 3], actor=technician, impact=("low", "medium", "high")[n % 3]
        )
        if n % 4 == 0:
            Ticket.objects.filter(pk=ticket.pk).update(assignee=technician)
    # As the staff queue orders: mine first, then unassigned, then priority, oldest first.
    mine_first = Case(When(assignee=technician, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Ticket.objects.select_related("school", "queue", "category", "requester", "assignee").order_by(
        mine_first, "-priority_rank", "created_at", "-id"
    )


@pytest.mark.parametrize("paginator_class", [LateRowsPaginator, CappedPaginator])
def test_every_page_holds_the_rows_a_plain_slice_holds_in_the_same_order(tickets, paginator_class):
    paginator = paginator_class(tickets, 5, orphans=2)
    expected = [t.pk for t in tickets]
    seen = []
    for number in paginator.page_range:
        page = paginator.page(number)
        rows = [t.pk for t in page.object_list]
        assert rows == expected[page.start_index() - 1 : page.end_index()]
        seen += rows
    assert seen == expected and paginator.num_pages == 4  # 22 rows, 5 a page: the last page keeps its 2 orphans


def test_a_page_is_one_query_with_its_joins(tickets, django_assert_num_queries):
    paginator = LateRowsPaginator(tickets, 5)
    paginator.count  # noqa: B018 (counted apart, as the list pages do)
    with django_assert_num_queries(1) as captured:
        rows = list(paginator.page(2).object_list)
        assert [row.school.name for row in rows]  # joined: no query per row
    sql = captured.captured_queries[0]["sql"]
    assert 'IN (SELECT U0."id"' in sql and "LIMIT 5" in sql


def test_a_list_without_joins_is_sliced_as_it_is(tickets, django_assert_num_queries):
    plain = Ticket.objects.order_by("-id")
    paginator = LateRowsPaginator(plain, 5)
    paginator.count  # noqa: B018
    with django_assert_num_queries(1) as captured:
        list(paginator.page(1).object_list)
    assert "IN (SELECT" not in captured.captured_queries[0]["sql"]
