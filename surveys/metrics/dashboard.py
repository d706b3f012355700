"""The dashboard: the same counters summed from the daily rollup, breakdowns and trends."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    Expression,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from surveys.metrics.counters import (
    COUNTERS,
    Filters,
    _pct,
    _scoped,
    derive,
)
from surveys.metrics.ranges import goal_for, local_bounds
from surveys.metrics.summary import _median_aggregates, _publish, _python_medians
from surveys.models import DailyStatsState, DailyTicketStats, Goal

# --- the dashboard: the same counters, summed from the daily rollup ---------------------------

BREAKDOWNS = {
    "school": ("school_id", ("school__name",)),
    "technician": (
        "technician_id",
        ("technician__first_name", "technician__last_name", "technician__username"),
    ),
    "category": ("category_id", ("category__name",)),
}
INTERVALS = ("week", "month")
# Backlog age buckets in whole days since filed: (key, from day, to day exclusive or None).
AGE_BUCKETS = (("days_0_2", 0, 3), ("days_3_7", 3, 8), ("days_8_30", 8, 31), ("older", 31, None))


def _rollup_sums() -> dict[str, Expression]:
    return {name: Coalesce(Sum(name), Value(0)) for name in COUNTERS}


# The rollup holds each day at several grains (grouping sets): "full" has every key; the
# others sum it over the keys they leave out, so an unfiltered view reads a few thousand
# rows a year instead of one per ticket-ish. A read uses the smallest grain that has the
# keys it filters or groups on.
LEVELS: dict[str, tuple[str, ...]] = {
    "total": (),
    "priority": ("priority",),
    "category": ("category_id",),
    "technician": ("technician_id",),
    "school": ("school_id",),
    "school_category": ("school_id", "category_id"),
    "full": ("school_id", "technician_id", "category_id", "priority"),
}


def level_for(keys: set[str]) -> str:
    return next(level for level, has in LEVELS.items() if keys <= set(has))


def _rollup(filters: Filters, *grouped_by: str) -> QuerySet[DailyTicketStats]:
    keys = set(grouped_by)
    keys |= {k for k, v in (("school_id", filters.school), ("technician_id", filters.technician)) if v is not None}
    if filters.category is not None:
        keys.add("category_id")
    rows = DailyTicketStats.objects.filter(level=level_for(keys), day__gte=filters.date_from, day__lte=filters.date_to)
    if filters.school is not None:
        rows = rows.filter(school_id=filters.school)
    if filters.technician is not None:
        rows = rows.filter(technician_id=filters.technician)
    if filters.category is not None:
        rows = rows.filter(category_id=filters.category)
    return rows


def rollup_counters(filters: Filters) -> dict[str, int]:
    return _rollup(filters).aggregate(**_rollup_sums())


_NOT_GIVEN: Any = object()


def _no_memo(name: str, compute: Callable[[], Any]) -> Any:
    return compute()


def dashboard_summary(
    filters: Filters,
    *,
    goal: Goal | None = _NOT_GIVEN,
    memo: Callable[[str, Callable[[], Any]], Any] = _no_memo,
    counters: dict[str, int] | None = None,
) -> dict[str, Any]:
    """summary()'s figures with the additive ones from the rollup (queries: rollup, medians, backlog, goal).

    `memo(name, compute)` may keep the two raw-ticket figures (medians, backlog by age)
    for as long as the rollup they sit beside is unchanged (see surveys.dashboard.selectors).
    `counters`: the rollup totals when the caller already has them (see `total_of`).
    """
    counters = dict(rollup_counters(filters) if counters is None else counters)
    counters.update(memo("medians", lambda: medians(filters)))
    ages = memo("backlog_by_age", lambda: backlog_by_age(filters))
    goal = goal_for(filters.date_to) if goal is _NOT_GIVEN else goal
    result = _publish(filters, counters, sum(ages.values()), goal)
    result["learned_pct"] = derive(counters)["learned_pct"]
    result["backlog_by_age"] = ages
    return result


def medians(filters: Filters) -> dict[str, float | None]:
    """Median first response and resolution (wall-clock minutes) of the tickets closed in the range."""
    start, end = local_bounds(filters.date_from, filters.date_to)
    closed = _scoped(filters).filter(closed_at__gte=start, closed_at__lt=end)
    if connection.vendor == "postgresql":
        return closed.aggregate(**_median_aggregates(Q()))
    return _python_medians(closed)


def surveys_opened_unanswered(filters: Filters) -> int:
    """Surveys of the tickets closed in the range that a teacher's browser opened but nobody answered.

    "Opened" is the survey page's own report (SurveyInvitation.landed_at), never the
    link's GET, which mail scanners fetch too. Read from raw rows: it is not a rollup counter.
    """
    start, end = local_bounds(filters.date_from, filters.date_to)
    closed = _scoped(filters).filter(closed_at__gte=start, closed_at__lt=end)
    return closed.filter(survey_invitation__landed_at__isnull=False, survey_response__isnull=True).count()


def backlog_by_age(filters: Filters) -> dict[str, int]:
    """Tickets not resolved at the end of the range, by whole days since they were filed then."""
    _start, end = local_bounds(filters.date_from, filters.date_to)
    as_of = min(end, timezone.now())
    waiting = _scoped(filters).filter(created_at__lt=end).filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=end))
    buckets = {}
    for key, low, high in AGE_BUCKETS:
        window = Q(created_at__lte=as_of - timedelta(days=low))
        if high is not None:
            window &= Q(created_at__gt=as_of - timedelta(days=high))
        buckets[key] = Count("pk", filter=window)
    # Filed after `as_of` (only when the range ends in the future) counts as the youngest.
    buckets["_future"] = Count("pk", filter=Q(created_at__gt=as_of))
    row = waiting.aggregate(**buckets)
    row["days_0_2"] += row.pop("_future")
    return row


def _name(row: dict[str, Any], by: str) -> str:
    if by == "technician":
        full = f"{row['technician__first_name'] or ''} {row['technician__last_name'] or ''}".strip()
        return full or row["technician__username"] or ""
    return row[BREAKDOWNS[by][1][0]] or ""


def breakdown_counters(filters: Filters, by: str) -> list[dict[str, Any]]:
    """The rollup's counter totals per school, technician or category (NULL keys included)."""
    key, names = BREAKDOWNS[by]
    return list(_rollup(filters, key).values(key, *names).annotate(**_rollup_sums()).order_by(key))


def total_of(rows: list[dict[str, Any]]) -> dict[str, int]:
    """The counters of every row of one breakdown added up: the range's totals, as rollup_counters()."""
    return {name: sum(row[name] for row in rows) for name in COUNTERS}


def breakdown(filters: Filters, by: str, *, counted: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """One row per school, technician or category with tickets in the range, busiest first."""
    key = BREAKDOWNS[by][0]
    rows = breakdown_counters(filters, by) if counted is None else counted
    result = [{"id": row[key], "name": _name(row, by), **derive(row)} for row in rows]
    result.sort(key=lambda r: (-r["tickets_closed"], -r["tickets_opened"], r["name"]))
    return result


def goals_within(filters: Filters) -> list[Goal]:
    """The goals of the school years the range touches, latest start first (as goal_for picks)."""
    return list(
        Goal.objects.filter(end_date__gte=filters.date_from, start_date__lte=filters.date_to).order_by("-start_date")
    )


def goal_among(goals: list[Goal], day: date) -> Goal | None:
    return next((g for g in goals if g.start_date <= day <= g.end_date), None)


def trend(filters: Filters, interval: str, *, goals: list[Goal] | None = None) -> list[dict[str, Any]]:
    """Figures per week (starting Monday) or calendar month, each with its school year's goals."""
    from django.db.models.functions import TruncMonth, TruncWeek

    trunc = {"week": TruncWeek, "month": TruncMonth}[interval]
    rows = _rollup(filters).annotate(period=trunc("day")).values("period").annotate(**_rollup_sums()).order_by("period")
    goals = goals_within(filters) if goals is None else goals
    points = []
    for row in rows:
        period = row["period"].date() if isinstance(row["period"], datetime) else row["period"]
        goal = goal_among(goals, period)
        points.append(
            {
                "period": period.isoformat(),
                **derive(row),
                "goal_quality_satisfaction_pct": _goal_value(goal, "quality_satisfaction_pct"),
                "goal_timeliness_satisfaction_pct": _goal_value(goal, "timeliness_satisfaction_pct"),
            }
        )
    return points


def _goal_value(goal: Goal | None, field: str) -> float | None:
    value = getattr(goal, field, None) if goal else None
    return None if value is None else float(value)


def sla_by_priority(filters: Filters) -> list[dict[str, Any]]:
    rows = _rollup(filters, "priority").values("priority").annotate(sla_due=Sum("sla_due"), sla_met=Sum("sla_met"))
    by_priority = {row["priority"]: row for row in rows}
    result = []
    for priority in ("critical", "high", "normal", "low"):
        row = by_priority.get(priority, {"sla_due": 0, "sla_met": 0})
        result.append(
            {
                "priority": priority,
                "sla_due": row["sla_due"],
                "sla_met": row["sla_met"],
                "sla_met_pct": _pct(row["sla_met"], row["sla_due"]),
            }
        )
    return result


def recurring_categories(filters: Filters, *, per_school: int = 3) -> dict[int, list[dict[str, Any]]]:
    """Per school, the categories filed most often in the range (from the rollup)."""
    rows = (
        _rollup(filters, "school_id", "category_id")
        .values("school_id", "category_id", "category__name")
        .annotate(opened=Sum("opened"))
        .filter(opened__gt=0)
        .order_by("school_id", "-opened", "category__name")
    )
    result: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        top = result.setdefault(row["school_id"], [])
        if len(top) < per_school:
            top.append({"id": row["category_id"], "name": row["category__name"], "opened": row["opened"]})
    return result


def rollup_refreshed_at() -> datetime | None:
    return DailyStatsState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
