"""The director's numbers, computed in one place and in SQL.

Semantics, from API.md:

- the range is `date_from`..`date_to` inclusive, as dates in the district's time
  zone, i.e. [local midnight of date_from, local midnight after date_to);
- `tickets_opened` counts tickets created in the range; every other figure is over
  the tickets closed in the range (`closed_at`), except `backlog`: tickets created
  before the end of the range and not yet resolved at its end (by timestamps, so a
  past range is answered as it was then, not as statuses stand now);
- times are wall-clock minutes; percentages 0-100 with one decimal; no data -> null.

Every additive figure is a *counter* defined once in COUNTERS (which timestamp puts a
ticket on a day, and which tickets count). `summary()` aggregates the counters over raw
tickets in one query (the API); the dashboard sums the same counters from the daily
rollup (surveys.models.DailyTicketStats, built from COUNTERS by `rebuild_daily_stats`),
and `derive()` turns either into the published figures. Medians and the backlog are
not additive: they always come from raw tickets.
"""

from surveys.metrics.counters import (
    ANSWERED,
    COUNTERS,
    HAS_DUE,
    MET,
    MIN_ANSWERS_TO_RANK,
    PLACEMENTS,
    Counter,
    EpochMinutes,
    Filters,
    Median,
    _scoped,
    derive,
    is_rankable,
)
from surveys.metrics.dashboard import (
    AGE_BUCKETS,
    BREAKDOWNS,
    INTERVALS,
    LEVELS,
    backlog_by_age,
    breakdown,
    breakdown_counters,
    dashboard_summary,
    goal_among,
    goals_within,
    level_for,
    medians,
    recurring_categories,
    rollup_counters,
    rollup_refreshed_at,
    sla_by_priority,
    surveys_opened_unanswered,
    total_of,
    trend,
)
from surveys.metrics.ranges import (
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_RANGE_DAYS,
    default_range,
    goal_for,
    local_bounds,
    range_error,
    school_year_for,
    within_range,
)
from surveys.metrics.summary import (
    _python_median,
    summary,
)

__all__ = [
    "COUNTERS",
    "LEVELS",
    "AGE_BUCKETS",
    "ANSWERED",
    "BREAKDOWNS",
    "Counter",
    "EARLIEST_DAY",
    "EpochMinutes",
    "Filters",
    "HAS_DUE",
    "INTERVALS",
    "LATEST_DAY",
    "MAX_RANGE_DAYS",
    "MET",
    "MIN_ANSWERS_TO_RANK",
    "Median",
    "PLACEMENTS",
    "_python_median",
    "_scoped",
    "backlog_by_age",
    "breakdown",
    "breakdown_counters",
    "dashboard_summary",
    "default_range",
    "derive",
    "goal_among",
    "goal_for",
    "goals_within",
    "is_rankable",
    "level_for",
    "local_bounds",
    "medians",
    "range_error",
    "recurring_categories",
    "rollup_counters",
    "rollup_refreshed_at",
    "school_year_for",
    "sla_by_priority",
    "summary",
    "surveys_opened_unanswered",
    "total_of",
    "trend",
    "within_range",
]
