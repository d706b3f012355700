"""Business-time arithmetic over the district calendar.

Pure functions over a frozen `CalendarSpec`: no database, no settings, no "now".
The stored calendar is read by `schools.calendar.district_calendar()`; callers that
loop (a task checking many tickets) load it once and pass it along.

Every duration is measured on real elapsed time (UTC), never on wall-clock
differences, so a business day that contains a DST change is as long as it really
was. Business hours never span midnight: each local date has at most one open
interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# ISO weekday (1 = Monday) -> (opens, closes) in local wall time.
WeeklyHours = Mapping[int, tuple[time, time]]

# A calendar with no open hours at all would make "add N minutes" loop forever;
# searching further than this for the next open day means the calendar is broken.
MAX_SEARCH_DAYS = 3 * 366


def _freeze_hours(hours: WeeklyHours | Iterable[tuple[int, tuple[time, time]]]) -> tuple[tuple[int, time, time], ...]:
    items = hours.items() if isinstance(hours, Mapping) else hours
    frozen = []
    for weekday, (opens, closes) in items:
        weekday = int(weekday)
        if not 1 <= weekday <= 7:
            raise ValueError(f"ISO weekday must be 1..7, got {weekday}")
        if not opens < closes:
            raise ValueError(f"Opening time must be before closing time on weekday {weekday}")
        frozen.append((weekday, opens, closes))
    return tuple(sorted(frozen))


@dataclass(frozen=True)
class CalendarSpec:
    """When the district is open: weekly hours, closed dates and a summer season.

    Build it with `CalendarSpec.build(...)`, which accepts plain dicts and sets.
    """

    time_zone: str = "America/Chicago"
    weekly_hours: tuple[tuple[int, time, time], ...] = ()
    closed_dates: frozenset[date] = field(default_factory=frozenset)
    summer_start: date | None = None
    summer_end: date | None = None
    summer_hours: tuple[tuple[int, time, time], ...] = ()

    @classmethod
    def build(
        cls,
        *,
        time_zone: str,
        weekly_hours: WeeklyHours,
        closed_dates: Iterable[date] = (),
        summer_start: date | None = None,
        summer_end: date | None = None,
        summer_hours: WeeklyHours | None = None,
    ) -> CalendarSpec:
        ZoneInfo(time_zone)  # fail loudly on a misspelt zone
        if (summer_start is None) != (summer_end is None):
            raise ValueError("Summer needs both a start and an end date")
        if summer_start and summer_end and summer_end < summer_start:
            raise ValueError("Summer ends before it starts")
        return cls(
            time_zone=time_zone,
            weekly_hours=_freeze_hours(weekly_hours),
            closed_dates=frozenset(closed_dates),
            summer_start=summer_start,
            summer_end=summer_end,
            summer_hours=_freeze_hours(summer_hours or {}),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def in_summer(self, day: date) -> bool:
        return self.summer_start is not None and self.summer_start <= day <= self.summer_end  # type: ignore[operator]

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """Local opening and closing time on `day`, or None when closed all day."""
        if day in self.closed_dates:
            return None
        table = self.summer_hours if self.in_summer(day) else self.weekly_hours
        weekday = day.isoweekday()
        for wd, opens, closes in table:
            if wd == weekday:
                return opens, closes
        return None

    def is_business_day(self, day: date) -> bool:
        return self.hours_on(day) is not None

    def interval_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The open interval of `day` as UTC datetimes (real elapsed time)."""
        hours = self.hours_on(day)
        if hours is None:
            return None
        zone = self.zone
        opens = datetime.combine(day, hours[0], tzinfo=zone).astimezone(UTC)
        closes = datetime.combine(day, hours[1], tzinfo=zone).astimezone(UTC)
        if closes <= opens:  # only possible if a DST jump swallows the whole interval
            return None
        return opens, closes


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Business-time arithmetic needs time-zone-aware datetimes")
    return moment.astimezone(UTC)


def _local_date(moment_utc: datetime, calendar: CalendarSpec) -> date:
    return moment_utc.astimezone(calendar.zone).date()


def add_business_minutes(start: datetime, minutes: int, calendar: CalendarSpec) -> datetime:
    """The moment `minutes` of open time after `start`, in the district's time zone.

    Time outside business hours (nights, weekends, closed dates) does not count. Adding
    0 returns `start` unchanged; a positive amount that ends exactly at closing time
    returns the closing time, not the next opening.
    """
    if minutes < 0:
        raise ValueError("Cannot add a negative number of business minutes")
    current = _require_aware(start)
    if minutes == 0:
        return current.astimezone(calendar.zone)
    remaining = timedelta(minutes=minutes)
    day = _local_date(current, calendar)
    for _ in range(MAX_SEARCH_DAYS + minutes // 60 + 1):
        interval = calendar.interval_on(day)
        if interval is not None:
            begin = max(current, interval[0])
            available = interval[1] - begin
            if available > timedelta(0):
                if remaining <= available:
                    return (begin + remaining).astimezone(calendar.zone)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("The district calendar has no open hours ahead; check the weekly hours")


def business_minutes_between(a: datetime, b: datetime, calendar: CalendarSpec) -> int:
    """Whole minutes of open time from `a` to `b` (negative when `b` is before `a`)."""
    first, last = _require_aware(a), _require_aware(b)
    if last < first:
        return -business_minutes_between(b, a, calendar)
    total = timedelta(0)
    day, last_day = _local_date(first, calendar), _local_date(last, calendar)
    while day <= last_day:
        interval = calendar.interval_on(day)
        if interval is not None:
            overlap = min(last, interval[1]) - max(first, interval[0])
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


def next_open_moment(moment: datetime, calendar: CalendarSpec) -> datetime:
    """`moment` if the district is open then, else the next opening time."""
    current = _require_aware(moment)
    day = _local_date(current, calendar)
    for _ in range(MAX_SEARCH_DAYS):
        interval = calendar.interval_on(day)
        if interval is not None and current < interval[1]:
            return max(current, interval[0]).astimezone(calendar.zone)
        day += timedelta(days=1)
    raise ValueError("The district calendar has no open hours ahead; check the weekly hours")


def add_business_days(start: datetime, days: int, calendar: CalendarSpec) -> datetime:
    """The same local time of day, `days` business days later.

    A start outside business hours first moves to the next opening (a ticket filed on
    Saturday starts counting on Monday morning). The result is kept inside the target
    day's hours, so a shorter summer day ends the count at its closing time.
    """
    if days < 0:
        raise ValueError("Cannot add a negative number of business days")
    begin = next_open_moment(start, calendar)
    if days == 0:
        return begin
    wall = begin.astimezone(calendar.zone).time().replace(tzinfo=None)
    day = begin.astimezone(calendar.zone).date()
    counted = 0
    for _ in range(MAX_SEARCH_DAYS + days * 7):
        day += timedelta(days=1)
        hours = calendar.hours_on(day)
        if hours is None:
            continue
        counted += 1
        if counted == days:
            clamped = min(max(wall, hours[0]), hours[1])
            return datetime.combine(day, clamped, tzinfo=calendar.zone)
    raise ValueError("The district calendar has no open hours ahead; check the weekly hours")
