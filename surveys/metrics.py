"""The director's numbers, computed in one place and in SQL.

`summary()` answers /api/metrics/summary/ (and the dashboard): one aggregate
query over tickets (joined one-to-one to their invitation and answer), plus one
query per median on SQLite only. Semantics, from API.md:

- the range is `date_from`..`date_to` inclusive, as dates in the district's time
  zone, i.e. [local midnight of date_from, local midnight after date_to);
- `tickets_opened` counts tickets created in the range; every other figure is over
  the tickets closed in the range (`closed_at`), except `backlog`: tickets created
  before the end of the range and not yet resolved at its end (by timestamps, so a
  past range is answered as it was then, not as statuses stand now);
- times are wall-clock minutes; percentages 0-100 with one decimal; no data -> null.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Avg, Count, DurationField, ExpressionWrapper, F, FloatField, Func, Q, QuerySet
from django.utils import timezone

from surveys.models import Goal, school_year_bounds
from tickets.models import Ticket


class EpochMinutes(Func):
    """Minutes in an interval (PostgreSQL): EXTRACT(EPOCH FROM a - b) / 60."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) / 60.0)"
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


def default_range(today: date | None = None) -> tuple[date, date]:
    """The current school year to date."""
    today = today or timezone.localdate()
    goal = Goal.objects.filter(start_date__lte=today, end_date__gte=today).order_by("-start_date").first()
    start = goal.start_date if goal else school_year_bounds(today)[0]
    return start, today


def local_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start, end) as aware datetimes: district-local midnights, read at call time."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), zone)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), zone)
    return start, end


def _pct(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100.0 * (part or 0) / whole, 1)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def _scoped(filters: Filters) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    if filters.school is not None:
        tickets = tickets.filter(school_id=filters.school)
    if filters.technician is not None:
        tickets = tickets.filter(assignee_id=filters.technician)
    if filters.category is not None:
        tickets = tickets.filter(category_id=filters.category)
    return tickets


def summary(filters: Filters) -> dict[str, Any]:
    start, end = local_bounds(filters.date_from, filters.date_to)
    # Every figure concerns tickets created before the end of the range, which
    # lets the one scan use the created_at index.
    tickets = _scoped(filters).filter(created_at__lt=end)
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    has_due = Q(response_due_at__isnull=False, resolution_due_at__isnull=False)
    met = Q(first_response_at__lte=F("response_due_at"), resolved_at__lte=F("resolution_due_at"))
    answered = closed & Q(survey_response__isnull=False)

    aggregates: dict[str, Any] = {
        "tickets_opened": Count("pk", filter=Q(created_at__gte=start)),
        "tickets_closed": Count("pk", filter=closed),
        "backlog": Count("pk", filter=Q(resolved_at__isnull=True) | Q(resolved_at__gte=end)),
        "sla_due": Count("pk", filter=closed & has_due),
        "sla_met": Count("pk", filter=closed & has_due & met),
        "with_mode": Count("pk", filter=closed & Q(service_mode__isnull=False)),
        "remote": Count("pk", filter=closed & Q(service_mode=Ticket.ServiceMode.REMOTE)),
        "surveys_sent": Count("pk", filter=closed & Q(survey_invitation__sent_at__isnull=False)),
        "surveys_answered": Count("pk", filter=answered),
        "quality_mean": Avg("survey_response__quality", filter=answered),
        "quality_satisfied": Count("pk", filter=answered & Q(survey_response__quality__gte=4)),
        "timeliness_mean": Avg("survey_response__timeliness", filter=answered),
        "timeliness_satisfied": Count("pk", filter=answered & Q(survey_response__timeliness__gte=4)),
    }
    first_response = closed & Q(first_response_at__isnull=False)
    resolution = closed & Q(resolved_at__isnull=False)
    if connection.vendor == "postgresql":
        aggregates["median_first_response"] = Median(
            EpochMinutes(F("first_response_at") - F("created_at")), filter=first_response
        )
        aggregates["median_resolution"] = Median(EpochMinutes(F("resolved_at") - F("created_at")), filter=resolution)
    row = tickets.aggregate(**aggregates)
    if connection.vendor != "postgresql":
        row["median_first_response"] = _python_median(tickets.filter(first_response), "first_response_at")
        row["median_resolution"] = _python_median(tickets.filter(resolution), "resolved_at")

    return {
        "date_from": filters.date_from.isoformat(),
        "date_to": filters.date_to.isoformat(),
        "tickets_opened": row["tickets_opened"],
        "tickets_closed": row["tickets_closed"],
        "backlog": row["backlog"],
        "median_first_response_minutes": _round(row["median_first_response"], 1),
        "median_resolution_minutes": _round(row["median_resolution"], 1),
        "sla_met_pct": _pct(row["sla_met"], row["sla_due"]),
        "surveys_sent": row["surveys_sent"],
        "surveys_answered": row["surveys_answered"],
        "response_rate_pct": _pct(row["surveys_answered"], row["surveys_sent"]),
        "quality_mean": _round(row["quality_mean"], 2),
        "quality_satisfaction_pct": _pct(row["quality_satisfied"], row["surveys_answered"]),
        "timeliness_mean": _round(row["timeliness_mean"], 2),
        "timeliness_satisfaction_pct": _pct(row["timeliness_satisfied"], row["surveys_answered"]),
        "remote_pct": _pct(row["remote"], row["with_mode"]),
        "goal_quality_satisfaction_pct": goal_quality_satisfaction_pct(filters.date_to),
    }


def _python_median(tickets: QuerySet[Ticket], field: str) -> float | None:
    """SQLite has no percentile_cont: the median of durations only, never ticket objects."""
    durations = tickets.values_list(
        ExpressionWrapper(F(field) - F("created_at"), output_field=DurationField()), flat=True
    )
    minutes = [d.total_seconds() / 60 for d in durations if d is not None]
    return statistics.median(minutes) if minutes else None


def goal_quality_satisfaction_pct(day: date) -> float | None:
    """The goal of the school year containing `day`."""
    goal = Goal.objects.filter(start_date__lte=day, end_date__gte=day).order_by("-start_date").first()
    return None if goal is None else float(goal.quality_satisfaction_pct)
