"""Business-day arithmetic for survey reminders and auto-close, behind one function.

`schools.business_time.add_business_days(start, days, calendar)` (with
`district_calendar()`) knows the district's holidays and summer. Until it exists
in this code base, weekdays stand in for business days: the same signature is
called when it is importable, so nothing here changes when it lands.
"""

from datetime import datetime, timedelta

from django.utils import timezone


def add_business_days(start: datetime, days: int) -> datetime:
    """The moment `days` business days after `start` (same local time of day)."""
    try:
        from schools import business_time  # type: ignore[attr-defined]
    except ImportError:
        return _add_weekdays(start, days)
    return business_time.add_business_days(start, days, business_time.district_calendar())


def _add_weekdays(start: datetime, days: int) -> datetime:
    # Count in the district's local time so a Friday-evening close is still Friday.
    local = timezone.localtime(start) if timezone.is_aware(start) else start
    current = local
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    if timezone.is_aware(start):
        # Re-resolve the wall-clock time so a daylight-saving change in between keeps 9:00 at 9:00.
        current = timezone.make_aware(current.replace(tzinfo=None), timezone.get_default_timezone())
    return current
