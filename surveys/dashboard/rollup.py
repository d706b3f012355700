"""Building the dashboard's daily rollup from tickets, with the counters surveys.metrics defines.

The rows are written by INSERT ... SELECT (no ticket passes through Python), then
summed into the coarser grains of metrics.LEVELS.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Func, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from surveys.metrics import COUNTERS, LEVELS, PLACEMENTS, local_bounds
from surveys.models import DailyStatsState, DailyTicketStats
from tickets.models import Ticket

# Survey answers arrive up to SURVEY_EXPIRY_DAYS (30) after a close and land on the
# close's day, so the frequent refresh rewrites that window; the nightly one rewrites all.
RECENT_DAYS = 35


def _grouped_sql(placement: str, start: datetime, end: datetime) -> tuple[str, tuple[Any, ...]]:
    """The SQL of the rollup rows for one placement: COUNTERS placed by `placement`, grouped per day and key."""
    zone = timezone.get_default_timezone()
    aggregates: dict[str, Func] = {}
    for name, counter in COUNTERS.items():
        if counter.placed_by != placement:
            continue
        condition = counter.condition if counter.condition else None
        if counter.summed:
            aggregates[name] = Coalesce(Sum(counter.summed, filter=condition), 0)
        else:
            aggregates[name] = Count("pk", filter=condition)
    return (
        Ticket.objects.filter(**{f"{placement}__gte": start, f"{placement}__lt": end})
        .annotate(stat_day=TruncDate(placement, tzinfo=zone))
        .values("stat_day", "school_id", "assignee_id", "category_id", "priority")
        .annotate(**aggregates)
        .order_by()
        .query.sql_with_params()
    )


def rebuild_daily_stats(date_from: date, date_to: date) -> int:
    """Recompute the rollup for the district days date_from..date_to; returns the rows written.

    Serialised on the state row, so two rebuilds never both insert the same days.
    """
    start, end = local_bounds(date_from, date_to)
    table = DailyTicketStats._meta.db_table
    written = 0
    with transaction.atomic():
        state, _created = DailyStatsState.objects.select_for_update().get_or_create(pk=1)
        DailyTicketStats.objects.filter(day__gte=date_from, day__lte=date_to).delete()
        with connection.cursor() as cursor:
            for placement in PLACEMENTS:
                names = [n for n, c in COUNTERS.items() if c.placed_by == placement]
                sql, params = _grouped_sql(placement, start, end)
                columns = ["day", "school_id", "technician_id", "category_id", "priority", *names]
                selected = ["stat_day", "school_id", "assignee_id", "category_id", "priority", *names]
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names come from COUNTERS
                    f"SELECT {', '.join(f'grouped.{c}' for c in selected)} FROM ({sql}) grouped",
                    params,
                )
                written += cursor.rowcount
            sums = ", ".join(f"SUM({name})" for name in COUNTERS)
            for level, keys in LEVELS.items():
                if level == "full":
                    continue
                key_list = "".join(f"{k}, " for k in keys)
                group = ", ".join(["day", *keys])
                cursor.execute(
                    f"INSERT INTO {table} (level, day, {key_list}{', '.join(COUNTERS)}) "  # noqa: S608 - fixed names
                    f"SELECT %s, day, {key_list}{sums} FROM {table} "
                    f"WHERE level = 'full' AND day >= %s AND day <= %s GROUP BY {group}",
                    [level, date_from, date_to],
                )
                written += cursor.rowcount
        state.refreshed_at = timezone.now()
        if state.rebuilt_from is None or date_from <= state.rebuilt_from:
            state.rebuilt_from = date_from
        state.save()
    return written


def rebuild_recent() -> int:
    """The window the frequent refresh rewrites: the last RECENT_DAYS days to today."""
    today = timezone.localdate()
    return rebuild_daily_stats(today - timedelta(days=RECENT_DAYS), today)


def rebuild_all() -> int:
    """Every day from the first ticket filed to today (just today with no tickets yet)."""
    first = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
    today = timezone.localdate()
    return rebuild_daily_stats(timezone.localdate(first) if first else today, today)
