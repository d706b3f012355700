"""The district calendar: reading it as a `CalendarSpec`, editing it, the holiday preset."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import holidays
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from schools.business_time import CalendarSpec
from schools.models import Closure, DistrictCalendar
from schools.roles import User, is_director

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
    """`{"1": ["07:30", "16:30"], ...}` -> `{1: (time, time)}`; ValidationError on bad shape."""
    if not isinstance(raw, dict):
        raise ValidationError({field: ['Give hours per ISO weekday, e.g. {"1": ["07:30", "16:30"]}.']})
    hours: dict[int, tuple[time, time]] = {}
    for key, value in raw.items():
        try:
            weekday = int(key)
            opens, closes = (_to_time(v) for v in value)
        except (TypeError, ValueError):
            raise ValidationError({field: [f'Weekday {key}: use ["HH:MM", "HH:MM"].']}) from None
        if not 1 <= weekday <= 7:
            raise ValidationError({field: [f"Weekday {key}: use 1 (Monday) to 7 (Sunday)."]})
        if not opens < closes:
            raise ValidationError({field: [f"Weekday {key}: opening must be before closing."]})
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


def _require_director(actor: User) -> None:
    if not is_director(actor):
        raise PermissionDenied("Only the IT director can change the district calendar.")


CALENDAR_FIELDS = (
    "weekly_hours",
    "summer_start",
    "summer_end",
    "summer_hours",
    "after_hours_policy",
    "summer_policy",
    "load_balanced_assignment",
    "sla_warning_minutes",
    "visit_horizon_weeks",
    "school_year_start_month",
)


def update_calendar(*, actor: User, changes: dict[str, Any]) -> DistrictCalendar:
    """The director edits hours, summer, policy texts and desk settings.

    Visits are re-planned afterwards only when closures change, not hours: a visit is
    about the school day, not the desk's opening hours.
    """
    _require_director(actor)
    unknown = set(changes) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValidationError({name: ["This setting cannot be changed."] for name in sorted(unknown)})
    with transaction.atomic():
        row = DistrictCalendar.objects.select_for_update().filter(pk=CALENDAR_PK).first() or get_calendar()
        for name, value in changes.items():
            if name in ("weekly_hours", "summer_hours"):
                value = format_hours(parse_hours(value, field=name))
            setattr(row, name, value)
        if (row.summer_start is None) != (row.summer_end is None):
            raise ValidationError({"summer_end": ["Give both the first and the last day of summer, or neither."]})
        if row.summer_start and row.summer_end and row.summer_end < row.summer_start:
            raise ValidationError({"summer_end": ["Summer cannot end before it starts."]})
        if not row.weekly_hours:
            raise ValidationError({"weekly_hours": ["The desk must be open at least one day a week."]})
        if not 1 <= int(row.visit_horizon_weeks) <= 52:
            raise ValidationError({"visit_horizon_weeks": ["Plan between 1 and 52 weeks ahead."]})
        if not 1 <= int(row.school_year_start_month) <= 12:
            raise ValidationError({"school_year_start_month": ["Give a month from 1 (January) to 12 (December)."]})
        row.save()
    return row


def add_closure(*, actor: User, name: str, start_date: date, end_date: date | None = None, kind: str) -> Closure:
    """Close the district for a day or a range; planned visits on those days are dropped."""
    _require_director(actor)
    end_date = end_date or start_date
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": ["Name the closure, e.g. Winter break."]})
    if end_date < start_date:
        raise ValidationError({"end_date": ["The last day cannot be before the first day."]})
    if kind not in Closure.Kind.values:
        raise ValidationError({"kind": ["Choose holiday, school break or closure."]})
    if Closure.objects.filter(name=name, start_date=start_date).exists():
        raise ValidationError({"name": ["This closure is already on the calendar."]})
    with transaction.atomic():
        closure = Closure.objects.create(name=name, kind=kind, start_date=start_date, end_date=end_date)
        _replan_after_closure_change()
    return closure


def remove_closure(*, actor: User, closure: Closure) -> None:
    _require_director(actor)
    with transaction.atomic():
        closure.delete()
        _replan_after_closure_change()


def _replan_after_closure_change() -> None:
    from schools.services import plan_all_visits

    plan_all_visits()


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


def load_federal_holidays(*, actor: User | None, school_year: int) -> int:
    """Add the US federal holidays of the school year starting in `school_year`.

    Idempotent: a holiday already on the calendar is left alone. `actor` None is the
    management command (run by someone with shell access). Returns how many were added.
    """
    if actor is not None:
        _require_director(actor)
    first, last = school_year_span(school_year)
    federal = holidays.US(years=[school_year, school_year + 1])
    existing = set(Closure.objects.filter(start_date__range=(first, last)).values_list("name", "start_date"))
    new = [
        Closure(name=name, kind=Closure.Kind.HOLIDAY, start_date=day, end_date=day, federal=True)
        for day, name in sorted(federal.items())
        if first <= day <= last and (name, day) not in existing
    ]
    with transaction.atomic():
        Closure.objects.bulk_create(new, ignore_conflicts=True)
        if new:
            reference_data_changed()  # bulk_create sends no post_save
            _replan_after_closure_change()
    return len(new)
