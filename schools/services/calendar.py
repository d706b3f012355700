"""Every write to the district calendar: hours, terms, closures, federal holidays."""

from datetime import date
from typing import Any

import holidays
from django.contrib.auth.models import User
from django.db import transaction

from schools.calendar import (
    CALENDAR_PK,
    format_hours,
    get_calendar,
    parse_hours,
    reference_data_changed,
    school_year_span,
)
from schools.errors import DomainError, PermissionDenied
from schools.models import Closure, DistrictCalendar
from schools.roles import is_director
from schools.services.visits import (
    plan_all_visits,
)


def _require_calendar_director(actor: User) -> None:
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
    _require_calendar_director(actor)
    unknown = set(changes) - set(CALENDAR_FIELDS)
    if unknown:
        raise DomainError(errors={name: ["This setting cannot be changed."] for name in sorted(unknown)})
    with transaction.atomic():
        row = DistrictCalendar.objects.select_for_update().filter(pk=CALENDAR_PK).first() or get_calendar()
        for name, value in changes.items():
            if name in ("weekly_hours", "summer_hours"):
                value = format_hours(parse_hours(value, field=name))
            setattr(row, name, value)
        if (row.summer_start is None) != (row.summer_end is None):
            raise DomainError(errors={"summer_end": ["Give both the first and the last day of summer, or neither."]})
        if row.summer_start and row.summer_end and row.summer_end < row.summer_start:
            raise DomainError(errors={"summer_end": ["Summer cannot end before it starts."]})
        if not row.weekly_hours:
            raise DomainError(errors={"weekly_hours": ["The desk must be open at least one day a week."]})
        if not 1 <= int(row.visit_horizon_weeks) <= 52:
            raise DomainError(errors={"visit_horizon_weeks": ["Plan between 1 and 52 weeks ahead."]})
        if not 1 <= int(row.school_year_start_month) <= 12:
            raise DomainError(errors={"school_year_start_month": ["Give a month from 1 (January) to 12 (December)."]})
        row.save()
    return row


def add_closure(*, actor: User, name: str, start_date: date, end_date: date | None = None, kind: str) -> Closure:
    """Close the district for a day or a range; planned visits on those days are dropped."""
    _require_calendar_director(actor)
    end_date = end_date or start_date
    name = (name or "").strip()
    if not name:
        raise DomainError(errors={"name": ["Name the closure, e.g. Winter break."]})
    if end_date < start_date:
        raise DomainError(errors={"end_date": ["The last day cannot be before the first day."]})
    if kind not in Closure.Kind.values:
        raise DomainError(errors={"kind": ["Choose holiday, school break or closure."]})
    if Closure.objects.filter(name=name, start_date=start_date).exists():
        raise DomainError(errors={"name": ["This closure is already on the calendar."]})
    with transaction.atomic():
        closure = Closure.objects.create(name=name, kind=kind, start_date=start_date, end_date=end_date)
        plan_all_visits()
    return closure


def remove_closure(*, actor: User, closure: Closure) -> None:
    _require_calendar_director(actor)
    with transaction.atomic():
        closure.delete()
        plan_all_visits()


def load_federal_holidays(*, actor: User | None, school_year: int) -> int:
    """Add the US federal holidays of the school year starting in `school_year`.

    Idempotent: a holiday already on the calendar is left alone. `actor` None is the
    management command (run by someone with shell access). Returns how many were added.
    """
    if actor is not None:
        _require_calendar_director(actor)
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
            plan_all_visits()
    return len(new)
