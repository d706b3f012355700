"""The district calendar: reading it as a `CalendarSpec` (kept per process while its
version holds) and the school year. Every write is in `schools.services`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.conf import settings

from schools.business_time import CalendarSpec
from schools.errors import DomainError
from schools.models import Closure, DistrictCalendar

CALENDAR_PK = 1


def get_calendar() -> DistrictCalendar:
    """The stored calendar, or the defaults (unsaved) before the director first saves one."""
    return DistrictCalendar.objects.filter(pk=CALENDAR_PK).first() or DistrictCalendar(pk=CALENDAR_PK)


def _to_time(value: Any) -> time:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = str(value).strip()
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        return time.fromisoformat(text).replace(second=0, microsecond=0)


def parse_hours(raw: Any, *, field: str) -> dict[int, tuple[time, time]]:
    """`{"1": ["07:30", "16:30"], ...}` -> `{1: (time, time)}`; DomainError on bad shape."""
    if not isinstance(raw, dict):
        raise DomainError(errors={field: ['Give hours per ISO weekday, e.g. {"1": ["07:30", "16:30"]}.']})
    hours: dict[int, tuple[time, time]] = {}
    for key, value in raw.items():
        try:
            weekday = int(key)
            opens, closes = (_to_time(v) for v in value)
        except (TypeError, ValueError):
            raise DomainError(errors={field: [f'Weekday {key}: use ["HH:MM", "HH:MM"].']}) from None
        if not 1 <= weekday <= 7:
            raise DomainError(errors={field: [f"Weekday {key}: use 1 (Monday) to 7 (Sunday)."]})
        if not opens < closes:
            raise DomainError(errors={field: [f"Weekday {key}: opening must be before closing."]})
        hours[weekday] = (opens, closes)
    return hours


def format_hours(hours: dict[int, tuple[time, time]]) -> dict[str, list[str]]:
    return {str(day): [o.strftime("%H:%M"), c.strftime("%H:%M")] for day, (o, c) in sorted(hours.items())}


def closed_dates(closures: list[Closure]) -> set[date]:
    dates: set[date] = set()
    for closure in closures:
        day = closure.start_date
        while day <= closure.end_date:
            dates.add(day)
            day += timedelta(days=1)
    return dates


def load_calendar_spec(row: DistrictCalendar | None = None) -> CalendarSpec:
    """The calendar as stored now: the row (read unless given) and every closure."""
    row = row or get_calendar()
    return CalendarSpec.build(
        time_zone=settings.TIME_ZONE,
        weekly_hours=parse_hours(row.weekly_hours, field="weekly_hours"),
        closed_dates=closed_dates(list(Closure.objects.all())),
        summer_start=row.summer_start if row.summer_end else None,
        summer_end=row.summer_end if row.summer_start else None,
        summer_hours=parse_hours(row.summer_hours, field="summer_hours"),
    )


# --- the reference data every new ticket reads ---------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class _Loaded:
    key: tuple[uuid.UUID, str]
    calendar: CalendarSpec
    derived: dict[str, Any] = field(default_factory=dict)


# This process's copy; a gunicorn or Celery worker each keep their own. Always replaced
# whole, never changed in place, so a thread reading it sees one consistent version.
_loaded: _Loaded | None = None


@dataclass(frozen=True)
class DistrictReference:
    """The calendar row as read just now, and what its `reference_version` vouches for.

    `settings` is fresh from the database. `calendar` (the row's hours with every
    closure) and what `derived` returns (the SLA targets) are reused by this process
    for as long as the version is unchanged. Read-only: edit through the services.
    """

    settings: DistrictCalendar
    calendar: CalendarSpec
    _derived: dict[str, Any] | None

    def derived(self, name: str, load: Callable[[], T]) -> T:
        """`load()`, run once per version and process. For data that changes only with
        the version: another app's rows whose edits call `reference_data_changed`."""
        if self._derived is None:
            return load()
        if name not in self._derived:
            self._derived[name] = load()
        return self._derived[name]


def district_reference() -> DistrictReference:
    """One query (the calendar row) while nothing changed; more only after an edit.

    Correct across processes without a shared cache: the version is read from the
    database on every call, in the same transaction as whatever the caller writes,
    and every edit changes it in its own transaction (`reference_data_changed`).
    """
    global _loaded
    row = get_calendar()
    if row._state.adding:  # no stored row (before the data migration): nothing to vouch for
        return DistrictReference(settings=row, calendar=load_calendar_spec(row), _derived=None)
    key = (row.reference_version, settings.TIME_ZONE)
    loaded = _loaded
    if loaded is None or loaded.key != key:
        # Read after the version: data newer than the version only makes the next call reload.
        loaded = _Loaded(key=key, calendar=load_calendar_spec(row))
        _loaded = loaded
    return DistrictReference(settings=row, calendar=loaded.calendar, _derived=loaded.derived)


def district_calendar() -> CalendarSpec:
    """The district's calendar as stored by the director.

    One query while nothing changed (`district_reference` checks the version on every
    call, so the director's edits apply at once in every process). Code that needs it
    many times (a task over many tickets) still loads it once.
    """
    return district_reference().calendar


def reference_data_changed(**kwargs: Any) -> None:
    """A closure or an SLA target was saved or deleted: every process reloads on its next
    read. Connected to their post_save and post_delete (SchoolsConfig, TicketsConfig);
    bulk writes, which send no signals, call it themselves. The calendar row changes its
    own version when saved."""
    DistrictCalendar.objects.filter(pk=CALENDAR_PK).update(reference_version=uuid.uuid4())


def forget_district_reference() -> None:
    """Drop this process's copy (tests start each from the database)."""
    global _loaded
    _loaded = None


# --- the school year: one definition, the district's choice ----------------------------------


def school_year_start_month() -> int:
    """The month (1-12) whose 1st starts the district's school year: the calendar row's
    setting, August by default (one primary-key read)."""
    return get_calendar().school_year_start_month


def school_year_of(day: date, *, start_month: int | None = None) -> int:
    """The calendar year the school year holding `day` starts in."""
    start_month = start_month or school_year_start_month()
    return day.year if day.month >= start_month else day.year - 1


def school_year_span(first_year: int, *, start_month: int | None = None) -> tuple[date, date]:
    """First and last day of the school year starting in `first_year` (both inclusive)."""
    start_month = start_month or school_year_start_month()
    start = date(first_year, start_month, 1)
    return start, date(first_year + 1, start_month, 1) - timedelta(days=1)


def school_year_bounds(day: date, *, start_month: int | None = None) -> tuple[date, date]:
    """First and last day of the school year holding `day`. Every module that needs a
    school year (goals, the dashboard, the holiday preset, the demo) asks here."""
    start_month = start_month or school_year_start_month()
    return school_year_span(school_year_of(day, start_month=start_month), start_month=start_month)
