"""Pagination that never counts a million rows to show 25.

Both the HTML ticket lists and every API list count with a ceiling: rows up to the
end of the requested page plus `COUNT_AHEAD` more. Below the ceiling the count is
exact; above it the list says "at least N" (`count_is_exact` is false) and the
next page is still offered. An exact count of a million tickets is a full index
scan on every page load, and nobody pages through a million rows.

The ticket and device pages use `CappedPaginator`; every app's API uses `Pagination`
through settings (REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS). On the ground floor so
every app may import it.
"""

from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet, Subquery
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# Rows counted beyond the end of the requested page. Enough for "Page 3 of 12" to be
# exact on any working queue; a search or archive past it shows "1,000+".
COUNT_AHEAD = 1000
# No list has this many pages; a larger page number (up to 2**63 - 1 in a URL) would
# otherwise ask the database for a LIMIT past its 64-bit integers.
MAX_PAGE = 1_000_000


def requested_page(value: Any) -> int:
    """The page a client asked for, as an int from 1 to MAX_PAGE (anything unreadable is page 1, as Django does)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


class LateRowsPaginator(Paginator):
    """A Paginator that picks the page's rows before joining what they show.

    A list's queryset joins the school, queue, category and people of each ticket; sliced
    as it is, PostgreSQL joins every matching row and then sorts them to keep 25 (3,000
    open tickets at 100,000: 12 ms). Here the page's primary keys are chosen on the table
    alone (the same filters and order, LIMIT in a subquery), and only those rows are
    joined (4 ms). Still one query, and the rows come in the same order.
    """

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> Any:
        rows = self.object_list
        if isinstance(rows, QuerySet) and rows.query.select_related and not rows.query.distinct:
            return rows.filter(pk__in=Subquery(rows.values("pk")[bottom:top]))
        return rows[bottom:top]


class CappedPaginator(LateRowsPaginator):
    """A Django Paginator whose `count` stops at the requested page plus COUNT_AHEAD rows.

    `count` runs `SELECT COUNT(*) FROM (... LIMIT cap + 1)`: always one query,
    whatever the table size, so the number of queries per page never depends on it.
    """

    def __init__(self, object_list: Any, per_page: int, *, page_hint: int = 1, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = page_hint * int(per_page) + COUNT_AHEAD

    @cached_property
    def count(self) -> int:
        counted = self.object_list[: self.cap + 1]
        # The page's order is kept: walking the sort index and stopping at the cap measured
        # faster on a million tickets than letting the planner count from a sequential scan.
        return counted.count() if isinstance(counted, QuerySet) else len(counted)

    @property
    def count_is_exact(self) -> bool:
        return self.count <= self.cap


class Pagination(PageNumberPagination):
    """`{"count", "next", "previous", "results"}` with a client-chosen, clamped page size.

    `count` is exact up to the requested page plus COUNT_AHEAD rows; past that it is a
    lower bound, and the response says so in the `X-Count-Is-Exact: false` header (the
    body keeps the shape API.md promises).
    """

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def django_paginator_class(self, queryset: Any, page_size: int) -> CappedPaginator:  # type: ignore[override]
        # DRF sets self.request before building the paginator, so the requested page is known here.
        assert self.request is not None
        hint = requested_page(self.request.query_params.get(self.page_query_param))
        return CappedPaginator(queryset, page_size, page_hint=hint)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        paginator = cast(CappedPaginator, self.page.paginator) if self.page is not None else None
        response["X-Count-Is-Exact"] = "true" if paginator is not None and paginator.count_is_exact else "false"
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = (
            "Exact unless the X-Count-Is-Exact header is false; then there are at least this many."
        )
        return described
