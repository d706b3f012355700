"""What the dashboard page shows, assembled from surveys.metrics (which owns every figure).

A fixed number of queries whatever the data size: the goals; three breakdowns (the
headline adds up the school rows); medians and backlog by age (kept in the cache
until the rollup changes); trend; SLA by priority; recurring categories; common
title words for a handful of schools (cached too).
"""

import re
from collections import Counter as WordCounter
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys import cost, metrics
from surveys.dashboard import rollup
from surveys.dashboard.units import duration_in_words

MEMO_VERSION = 1
# Twice beat's refresh interval (CELERY_BEAT_SCHEDULE "refresh-dashboard-stats").
STALE_AFTER = timedelta(minutes=20)
# Longer than the refresh interval: a new refresh changes the key anyway.
MEMO_SECONDS = 3600
# A school needs this many answers before it can be called one of the lowest scoring.
MIN_ANSWERS_FOR_RANKING = 5
LOWEST_SCHOOLS = 5
WORDS_PER_SCHOOL = 5
STOP_WORDS = frozenset(
    """a an and are as at be but by can cannot cant can't does doesnt doesn't dont don't for from has have i in is isnt
    isn't it its it's my no not of on or our please room the this to too wont won't with working work after again
    when will get gets still new all any some need needs up out""".split()
)


def ensure_rollup() -> datetime | None:
    """When the rollup was refreshed, refreshing it here if beat has not.

    A fresh install has none yet: build it once, so the first visit is right. Beat
    refreshes the recent days every 10 minutes; a rollup much older than that means no
    beat is running (the SQLite demo, a stopped scheduler), so the page refreshes the
    recent days itself rather than show figures that never move.
    """
    refreshed_at = metrics.rollup_refreshed_at()
    if refreshed_at is None:
        rollup.rebuild_all()
    elif refreshed_at < timezone.now() - STALE_AFTER:
        rollup.rebuild_recent()
    else:
        return refreshed_at
    return metrics.rollup_refreshed_at()


def memo_for(filters: metrics.Filters, refreshed_at: datetime | None) -> Any:
    """Keeps the figures computed from raw tickets (medians, backlog, title words) until the rollup changes.

    They are the slow part on years of data; the rollup beside them is as old as
    `refreshed_at` anyway, so both tell the same moment. The refresh task warms the default view.
    """
    stamp = refreshed_at.timestamp() if refreshed_at else "none"
    scope = f"{filters.date_from}:{filters.date_to}:{filters.school}:{filters.technician}:{filters.category}"

    def memo(name: str, compute: Any) -> Any:
        return cache.get_or_set(f"dashboard:{MEMO_VERSION}:{name}:{scope}:{stamp}", compute, MEMO_SECONDS)

    return memo


def term_bounds(day: date, goal: metrics.Goal | None = None) -> tuple[date, date]:
    """The district's two terms: from the school year's start to December, then January to its end
    (August-December and January-July with the default start). `goal`: the goals of `day`'s year,
    if the caller has them (metrics.school_year_for)."""
    start, end = metrics.school_year_for(day, goal)
    if start.month == 1 or day.year == start.year:
        return start, min(end, date(start.year, 12, 31))
    return date(day.year, 1, 1), end


def drill_url(filters: metrics.Filters, by: str, pk: int | None) -> str:
    """The ticket list filtered to one row of a breakdown (and the dashboard's other filters)."""
    query: dict[str, Any] = {}
    if filters.school is not None:
        query["school"] = filters.school
    if filters.technician is not None:
        query["assignee"] = filters.technician
    if filters.category is not None:
        query["category"] = filters.category
    if pk is None and by == "technician":
        query.pop("assignee", None)
        query["unassigned"] = "true"
    elif pk is not None:
        query[{"school": "school", "technician": "assignee", "category": "category"}[by]] = pk
    return "/tickets/?" + urlencode(query)


def dashboard_context(filters: metrics.Filters, *, interval: str) -> dict[str, Any]:
    refreshed_at = ensure_rollup()
    memo = memo_for(filters, refreshed_at)
    goals = metrics.goals_within(filters)
    goal = metrics.goal_among(goals, filters.date_to)
    by_school = metrics.breakdown_counters(filters, "school")
    # The school rows add up to the range's totals: no separate query for the headline.
    headline = metrics.dashboard_summary(filters, goal=goal, memo=memo, counters=metrics.total_of(by_school))
    breakdowns = {}
    for by in metrics.BREAKDOWNS:
        rows = metrics.breakdown(filters, by, counted=by_school if by == "school" else None)
        for row in rows:
            row["drill_url"] = drill_url(filters, by, row["id"])
            if by == "technician" and row["id"] is None:
                row["name"] = _("Unassigned")
        breakdowns[by] = rows
    lowest = sorted(
        (r for r in breakdowns["school"] if r["surveys_answered"] >= MIN_ANSWERS_FOR_RANKING),
        key=lambda r: (r["quality_satisfaction_pct"], r["timeliness_satisfaction_pct"] or 0, r["name"]),
    )[:LOWEST_SCHOOLS]
    term_from, term_to = term_bounds(filters.date_to, goal)
    term = metrics.Filters(
        date_from=term_from,
        date_to=min(term_to, filters.date_to),
        school=filters.school,
        technician=filters.technician,
        category=filters.category,
    )
    categories = metrics.recurring_categories(term)
    names = {r["id"]: r["name"] for r in breakdowns["school"]}
    # The lowest-scoring schools first; without enough answers to rank, the busiest this term.
    busiest = sorted(categories, key=lambda pk: (-sum(c["opened"] for c in categories[pk]), names.get(pk, "")))
    focus = [r["id"] for r in lowest] or busiest[:LOWEST_SCHOOLS]
    words = memo(f"words:{','.join(map(str, focus))}", lambda: common_title_words(term, focus))
    recurring = [
        {"school_id": pk, "school": names.get(pk, ""), "categories": categories.get(pk, []), "words": words.get(pk, [])}
        for pk in focus
    ]
    trend = metrics.trend(filters, interval, goals=goals)
    sla = metrics.sla_by_priority(filters)
    return {
        "filters": filters,
        "headline": headline,
        "goal": goal,
        "tiles": tiles(headline, goal),
        "trend": trend,
        "interval": interval,
        "breakdowns": breakdowns,
        "lowest_schools": lowest,
        "recurring": recurring,
        "term": (term_from, term_to),
        "sla_by_priority": sla,
        "backlog_by_age": headline["backlog_by_age"],
        "refreshed_at": refreshed_at,
        "chart_data": chart_data(trend, headline, sla),
        # Six queries over devices and their tickets: kept like the medians until the rollup changes.
        "cost": memo("cost", lambda: cost.figures(filters, remote_pct=headline["remote_pct"])),
    }


def tiles(headline: dict[str, Any], goal: Any) -> list[dict[str, Any]]:
    """Headline tiles: a value, its goal if any, and whether the goal is met, in words."""

    def tile(key: str, label: str, unit: str, goal_value: Any = None, higher_is_better: bool = True) -> dict:
        value = headline[key]
        met = None
        if value is not None and goal_value is not None:
            met = value >= float(goal_value) if higher_is_better else value <= float(goal_value)
        shown = {"key": key, "label": label, "value": value, "unit": unit, "goal": goal_value, "met": met}
        if unit == "min":  # durations read as hours and minutes, the goal in the same words
            shown.update(unit="", value=duration_in_words(value), goal=duration_in_words(goal_value))
        return shown

    first_response_goal = None
    if goal is not None and goal.first_response_hours is not None:
        first_response_goal = float(goal.first_response_hours) * 60
    return [
        tile("quality_satisfaction_pct", _("Quality satisfaction"), "%", goal and goal.quality_satisfaction_pct),
        tile(
            "timeliness_satisfaction_pct", _("Timeliness satisfaction"), "%", goal and goal.timeliness_satisfaction_pct
        ),
        tile("median_first_response_minutes", _("Median first response"), "min", first_response_goal, False),
        tile("median_resolution_minutes", _("Median resolution"), "min"),
        tile("sla_met_pct", _("SLA met (business hours)"), "%"),
        tile("response_rate_pct", _("Survey response rate"), "%"),
        tile("quality_mean", _("Mean quality rating"), "/5"),
        tile("timeliness_mean", _("Mean timeliness rating"), "/5"),
        tile("remote_pct", _("Handled remotely"), "%"),
        tile("learned_pct", _("Learned to handle it"), "%"),
        tile("tickets_opened", _("Opened"), ""),
        tile("tickets_closed", _("Closed"), ""),
        tile("backlog", _("Backlog at the end"), ""),
    ]


def chart_data(trend: list[dict], headline: dict[str, Any], sla: list[dict]) -> dict[str, Any]:
    """Exactly the numbers the tables show, for static/js/dashboard.js."""
    return {
        "labels": [p["period"] for p in trend],
        "quality": [p["quality_satisfaction_pct"] for p in trend],
        "timeliness": [p["timeliness_satisfaction_pct"] for p in trend],
        "goal_quality": [p["goal_quality_satisfaction_pct"] for p in trend],
        "opened": [p["tickets_opened"] for p in trend],
        "closed": [p["tickets_closed"] for p in trend],
        "backlog_labels": [_("0–2 days"), _("3–7 days"), _("8–30 days"), _("Older")],
        "backlog": list(headline["backlog_by_age"].values()),
        "sla_labels": [row["priority"] for row in sla],
        "sla": [row["sla_met_pct"] for row in sla],
        "text": {
            "quality": _("Quality satisfaction %"),
            "timeliness": _("Timeliness satisfaction %"),
            "goal": _("Quality goal %"),
            "opened": _("Opened"),
            "closed": _("Closed"),
            "backlog": _("Waiting tickets"),
            "sla": _("SLA met %"),
        },
    }


def common_title_words(
    filters: metrics.Filters, school_ids: list[int], *, top: int = WORDS_PER_SCHOOL
) -> dict[int, list]:
    """The words that recur in ticket titles filed in the range, per school (for a few schools only)."""
    if not school_ids:
        return {}
    start, end = metrics.local_bounds(filters.date_from, filters.date_to)
    tickets = metrics._scoped(filters).filter(school_id__in=school_ids, created_at__gte=start, created_at__lt=end)
    if connection.vendor == "postgresql":
        return _words_in_sql(tickets, top)
    counts: dict[int, WordCounter] = {}
    for school_id, title in tickets.values_list("school_id", "title").iterator():
        counts.setdefault(school_id, WordCounter()).update(_words(title))
    return {pk: counter.most_common(top) for pk, counter in counts.items()}


def _words(title: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9']+", title.lower()) if len(w) > 2 and w not in STOP_WORDS]


def _words_in_sql(tickets: Any, top: int) -> dict[int, list]:
    sql, params = tickets.values("school_id", "title").order_by().query.sql_with_params()
    stop = list(STOP_WORDS)
    query = f"""
        SELECT school_id, word, n FROM (
            SELECT school_id, word, COUNT(*) AS n,
                   ROW_NUMBER() OVER (PARTITION BY school_id ORDER BY COUNT(*) DESC, word) AS rank
            FROM (
                SELECT t.school_id, regexp_split_to_table(lower(t.title), '[^a-z0-9'']+') AS word
                FROM ({sql}) t
            ) words
            WHERE length(word) > 2 AND NOT (word = ANY(%s))
            GROUP BY school_id, word
        ) ranked WHERE rank <= %s ORDER BY school_id, rank
    """  # noqa: S608 - the inner query is Django's, with its own params
    result: dict[int, list] = {}
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, stop, top])
        for school_id, word, n in cursor.fetchall():
            result.setdefault(school_id, []).append((word, n))
    return result
