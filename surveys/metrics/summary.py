"""The API summary: the counters aggregated over raw tickets in one query, and the medians."""

import statistics
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Expression,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from surveys.metrics.counters import (
    COUNTERS,
    Counter,
    EpochMinutes,
    Filters,
    Median,
    _round,
    _scoped,
    derive,
)
from surveys.metrics.ranges import (
    goal_for,
    local_bounds,
)
from surveys.models import Goal
from tickets.models import Ticket

# --- the API summary: one query over raw tickets ----------------------------------------------


def summary(filters: Filters) -> dict[str, Any]:
    """The API's figures over raw tickets, exact at the moment of asking.

    Four queries, each served by an index (ticket_created, ticket_closed_metrics,
    survey_created and the answers' answered_at, resolved_at): tickets opened; the
    closed tickets' own figures and medians; their survey figures (the one join); the
    backlog. One query joining everything scanned every survey ever sent for every
    ticket: 2.4 s for the school year at a million tickets.
    """
    start, end = local_bounds(filters.date_from, filters.date_to)
    scoped = _scoped(filters)
    closed = scoped.filter(closed_at__gte=start, closed_at__lt=end)
    row: dict[str, Any] = {"opened": scoped.filter(created_at__gte=start, created_at__lt=end).count()}
    own = {name: c for name, c in COUNTERS.items() if c.placed_by == "closed_at" and not c.reads_surveys}
    aggregates = {name: _closed_counter(c) for name, c in own.items()}
    aggregates["first_filed"] = Min("created_at")
    if connection.vendor == "postgresql":
        aggregates.update(_median_aggregates(Q()))
    row.update(closed.aggregate(**aggregates))
    if connection.vendor != "postgresql":
        row.update(_python_medians(closed))
    # No closed tickets: any bound gives zeros; still one query, so the count never varies.
    row.update(_survey_counters(closed, row.pop("first_filed") or start))
    backlog = scoped.filter(created_at__lt=end).filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)).count()
    return _publish(filters, row, backlog, goal_for(filters.date_to))


def _survey_counters(closed: QuerySet[Ticket], first_filed: datetime) -> dict[str, int]:
    """The survey counters of `closed` tickets, reading only surveys sent since the first was filed.

    A survey is written when its ticket closes and answered after that, so none of these
    tickets has an invitation or answer older than the earliest of them was filed. The
    bound changes no figure; it lets PostgreSQL read this year's invitations and answers
    by index instead of every one ever sent.
    """
    counters = {name: c for name, c in COUNTERS.items() if c.reads_surveys}
    answer = FilteredRelation("survey_response", condition=Q(survey_response__answered_at__gte=first_filed))
    aggregates = {name: _closed_counter(c, answers_as="answer") for name, c in counters.items()}
    surveyed = closed.filter(survey_invitation__created_at__gte=first_filed).alias(answer=answer)
    return surveyed.aggregate(**aggregates)


def _closed_counter(counter: Counter, *, answers_as: str | None = None) -> Expression:
    """A counter over tickets already narrowed to the range (no date window of its own).

    `answers_as` reads the answer through a FilteredRelation of that name instead of
    `survey_response`, keeping COUNTERS the one definition of each figure.
    """
    condition, summed = counter.condition, counter.summed
    if answers_as:
        condition = _renamed(condition, "survey_response", answers_as)
        summed = summed and summed.replace("survey_response", answers_as, 1)
    if summed:
        return Coalesce(Sum(summed, filter=condition), 0)
    return Count("pk", filter=condition) if condition else Count("pk")


def _renamed(q: Q, old: str, new: str) -> Q:
    """`q` with lookups through relation `old` going through `new` instead."""
    renamed = Q(_connector=q.connector, _negated=q.negated)
    for child in q.children:
        if isinstance(child, Q):
            renamed.children.append(_renamed(child, old, new))
        elif isinstance(child, tuple):
            lookup, value = child
            if lookup == old or lookup.startswith(f"{old}__"):
                lookup = new + lookup[len(old) :]
            renamed.children.append((lookup, value))
    return renamed


def _publish(filters: Filters, counters: dict[str, Any], backlog: int, goal: Goal | None) -> dict[str, Any]:
    figures = derive(counters)
    return {
        "date_from": filters.date_from.isoformat(),
        "date_to": filters.date_to.isoformat(),
        "tickets_opened": figures["tickets_opened"],
        "tickets_closed": figures["tickets_closed"],
        "backlog": backlog,
        "median_first_response_minutes": _round(counters["median_first_response"], 1),
        "median_resolution_minutes": _round(counters["median_resolution"], 1),
        **{key: value for key, value in figures.items() if key not in ("tickets_opened", "tickets_closed")},
        "goal_quality_satisfaction_pct": None if goal is None else float(goal.quality_satisfaction_pct),
    }


def _median_aggregates(closed: Q) -> dict[str, Expression]:
    return {
        "median_first_response": Median(
            EpochMinutes(F("first_response_at") - F("created_at")), filter=closed & Q(first_response_at__isnull=False)
        ),
        "median_resolution": Median(
            EpochMinutes(F("resolved_at") - F("created_at")), filter=closed & Q(resolved_at__isnull=False)
        ),
    }


def _python_medians(closed_tickets: QuerySet[Ticket]) -> dict[str, float | None]:
    return {
        "median_first_response": _python_median(
            closed_tickets.filter(first_response_at__isnull=False), "first_response_at"
        ),
        "median_resolution": _python_median(closed_tickets.filter(resolved_at__isnull=False), "resolved_at"),
    }


def _python_median(tickets: QuerySet[Ticket], field: str) -> float | None:
    """SQLite has no percentile_cont: the median of durations only, never ticket objects."""
    durations = tickets.values_list(
        ExpressionWrapper(F(field) - F("created_at"), output_field=DurationField()), flat=True
    )
    minutes = [d.total_seconds() / 60 for d in durations if d is not None]
    return statistics.median(minutes) if minutes else None
