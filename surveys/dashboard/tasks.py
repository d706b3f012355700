"""Keeps the dashboard's daily rollup fresh, and sends the monthly report (beat: CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from surveys import metrics
from surveys.dashboard import report, rollup, selectors
from surveys.dashboard.forms import default_interval


@shared_task(acks_late=True)
def refresh_recent_daily_stats() -> int:
    written = rollup.rebuild_recent()
    warm_default_view()
    return written


def warm_default_view() -> None:
    """Computes the director's landing view once, so the first visit after a refresh is fast too."""
    start, end = metrics.default_range()
    filters = metrics.Filters(date_from=start, date_to=end)
    selectors.dashboard_context(filters, interval=default_interval(start, end))


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def rebuild_all_daily_stats() -> int:
    """Catches what the frequent refresh cannot see: e.g. a ticket closed months ago and reopened."""
    written = rollup.rebuild_all()
    warm_default_view()
    return written


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def send_monthly_report() -> int:
    """Last month's report to each director who has not had it; safe to run again (see report.py)."""
    return len(report.send_monthly_report())
