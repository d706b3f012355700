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

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    Func,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from schools.calendar import school_year_bounds
from surveys.models import DailyStatsState, DailyTicketStats, Goal
from tickets.models import Ticket
from tickets.sla.breaches import SLA_MET

# A school (or technician, or category) needs this many survey answers in the range before
# it is ranked against the others: one unhappy answer at a small school would otherwise
# put it at the bottom. The dashboard's lowest schools and the monthly report both use it.
MIN_ANSWERS_TO_RANK = 5


def is_rankable(row: dict[str, Any]) -> bool:
    """Whether a breakdown row has answers enough to be ranked (`MIN_ANSWERS_TO_RANK`)."""
    return row["surveys_answered"] >= MIN_ANSWERS_TO_RANK


class EpochMinutes(Func):
    """Minutes in an interval (PostgreSQL), as double precision.

    date_part() rather than EXTRACT(): since PostgreSQL 14 EXTRACT returns numeric, and
    sorting 157,000 numerics for a median took 1.1 s where doubles take 0.66 s.
    """

    template = "(date_part('epoch', %(expressions)s) / 60.0)"
    output_field = FloatField()


class Median(Aggregate):
    """PostgreSQL's ordered-set aggregate: percentile_cont(0.5) WITHIN GROUP (ORDER BY x)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()
    allow_distinct = False


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date
    school: int | None = None
    technician: int | None = None
    category: int | None = None

    @classmethod
    def from_cleaned(cls, data: dict) -> "Filters":
        """From a validated form or serializer: dates, and school/technician/category objects."""

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return cls(
            date_from=data["date_from"],
            date_to=data["date_to"],
            school=pk("school"),
            technician=pk("technician"),
            category=pk("category"),
        )


# --- the counters: one definition each ------------------------------------------------------

HAS_DUE = Q(response_due_at__isnull=False, resolution_due_at__isnull=False)
MET = SLA_MET  # tickets.sla's one definition: the breach job's pauses count here too
ANSWERED = Q(survey_response__isnull=False)


@dataclass(frozen=True)
class Counter:
    placed_by: str  # the timestamp that puts a ticket on a day
    condition: Q
    summed: str | None = None  # a field to add up; None counts tickets

    @property
    def reads_surveys(self) -> bool:
        """Whether counting needs the survey tables joined (summary() counts those separately)."""

        def names(q: Q) -> list[str]:
            return [n for child in q.children for n in (names(child) if isinstance(child, Q) else [child[0]])]

        return any(name.startswith("survey_") for name in [self.summed or "", *names(self.condition)])


COUNTERS: dict[str, Counter] = {
    "opened": Counter("created_at", Q()),
    "closed": Counter("closed_at", Q()),
    "sla_due": Counter("closed_at", HAS_DUE),
    "sla_met": Counter("closed_at", HAS_DUE & MET),
    "with_mode": Counter("closed_at", Q(service_mode__isnull=False)),
    "remote": Counter("closed_at", Q(service_mode=Ticket.ServiceMode.REMOTE)),
    "surveys_sent": Counter("closed_at", Q(survey_invitation__sent_at__isnull=False)),
    "surveys_answered": Counter("closed_at", ANSWERED),
    "quality_sum": Counter("closed_at", ANSWERED, summed="survey_response__quality"),
    "quality_satisfied": Counter("closed_at", Q(survey_response__quality__gte=4)),
    "timeliness_sum": Counter("closed_at", ANSWERED, summed="survey_response__timeliness"),
    "timeliness_satisfied": Counter("closed_at", Q(survey_response__timeliness__gte=4)),
    "learned_answered": Counter("closed_at", Q(survey_response__learned__isnull=False)),
    "learned_yes": Counter("closed_at", Q(survey_response__learned=True)),
}
PLACEMENTS = ("created_at", "closed_at")


def _pct(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _mean(total: int | None, count: int | None) -> float | None:
    return None if not count else round((total or 0) / count, 2)


def derive(c: dict[str, int]) -> dict[str, Any]:
    """The published figures from counter totals (raw or rollup: the same arithmetic)."""
    return {
        "tickets_opened": c["opened"],
        "tickets_closed": c["closed"],
        "sla_met_pct": _pct(c["sla_met"], c["sla_due"]),
        "surveys_sent": c["surveys_sent"],
        "surveys_answered": c["surveys_answered"],
        "response_rate_pct": _pct(c["surveys_answered"], c["surveys_sent"]),
        "quality_mean": _mean(c["quality_sum"], c["surveys_answered"]),
        "quality_satisfaction_pct": _pct(c["quality_satisfied"], c["surveys_answered"]),
        "timeliness_mean": _mean(c["timeliness_sum"], c["surveys_answered"]),
        "timeliness_satisfaction_pct": _pct(c["timeliness_satisfied"], c["surveys_answered"]),
        "remote_pct": _pct(c["remote"], c["with_mode"]),
        "learned_pct": _pct(c["learned_yes"], c["learned_answered"]),
    }


# --- ranges -----------------------------------------------------------------------------------


def default_range(today: date | None = None) -> tuple[date, date]:
    """The current school year to date."""
    today = today or timezone.localdate()
    return school_year_for(today, goal_for(today))[0], today


def school_year_for(day: date, goal: Goal | None) -> tuple[date, date]:
    """The school year holding `day`: the goal's dates when the director set that year's goals
    (they default to schools.calendar's school year), else the calendar's, one query later."""
    if goal is not None and goal.start_date <= day <= goal.end_date:
        return goal.start_date, goal.end_date
    return school_year_bounds(day)


# Years of data fit in one view; anything longer is a typo, not a question.
MAX_RANGE_DAYS = 366 * 5


def range_error(date_from: date, date_to: date) -> str | None:
    """What is wrong with a requested date range (the page's form and the API both ask), or None."""
    if date_from > date_to:
        return gettext("The start must be on or before the end.")
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        return gettext("Choose a range of five years or less.")
    return None


# The days a date filter accepts. Python's dates run from year 1 to 9999, but a district
# midnight near either end is out of range once turned into UTC or moved a day on; no
# figure of the desk lies outside these years.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def within_range(day: date) -> None:
    """The validator of every date filter (API, dashboard, CSV): a field error, never a 500."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(
            gettext("Enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()}
        )


def local_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start, end) as aware datetimes: district-local midnights, read at call time."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), zone)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), zone)
    return start, end


def _scoped(filters: Filters) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    if filters.school is not None:
        tickets = tickets.filter(school_id=filters.school)
    if filters.technician is not None:
        tickets = tickets.filter(assignee_id=filters.technician)
    if filters.category is not None:
        tickets = tickets.filter(category_id=filters.category)
    return tickets


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
    by index instead of every one ever sent (500 ms -> 300 ms at a million tickets, loaded).
    """
    counters = {name: c for name, c in COUNTERS.items() if c.reads_surveys}
    answer = FilteredRelation("survey_response", condition=Q(survey_response__answered_at__gte=first_filed))
    aggregates = {name: _closed_counter(c, answers_as="answer") for name, c in counters.items()}
    surveyed = closed.filter(survey_invitation__created_at__gte=first_filed).alias(answer=answer)
    return surveyed.aggregate(**aggregates)


def _closed_counter(counter: Counter, *, answers_as: str | None = None) -> Aggregate:
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
        else:
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


def _median_aggregates(closed: Q) -> dict[str, Aggregate]:
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


def goal_for(day: date) -> Goal | None:
    """The goal of the school year containing `day`."""
    return Goal.objects.filter(start_date__lte=day, end_date__gte=day).order_by("-start_date").first()


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


def _rollup_sums() -> dict[str, Aggregate]:
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
