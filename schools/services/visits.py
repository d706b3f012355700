"""Rotations and the visits planned from them, checking in and completing a visit, calendar feeds."""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from schools.business_time import CalendarSpec
from schools.calendar import (
    district_calendar,
    get_calendar,
)
from schools.errors import DomainError, PermissionDenied
from schools.models import CalendarFeed, Rotation, School, Visit, new_feed_token
from schools.roles import is_director, is_staff_member
from schools.selectors import next_visit_for

ROTATION_FIELDS = ("technician", "school", "weekdays", "every_n_weeks", "start_date", "end_date")
MAX_EVERY_N_WEEKS = 8


def _require_director(actor: User) -> None:
    if not is_director(actor):
        raise PermissionDenied("Only the IT director can change rotations and schools.")


def _clean_rotation(rotation: Rotation) -> None:
    """The rules a rotation must keep; a DomainError names the fields at fault."""
    errors: dict[str, list[str]] = {}
    weekdays = rotation.weekdays
    if (
        not isinstance(weekdays, list)
        or not weekdays
        or not all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 7 for d in weekdays)
    ):
        errors["weekdays"] = ["Choose at least one weekday, as ISO numbers 1 (Monday) to 7 (Sunday)."]
    else:
        rotation.weekdays = sorted(set(weekdays))
    if not 1 <= int(rotation.every_n_weeks or 0) <= MAX_EVERY_N_WEEKS:
        errors["every_n_weeks"] = [f"Visit every 1 to {MAX_EVERY_N_WEEKS} weeks."]
    if rotation.end_date and rotation.start_date and rotation.end_date < rotation.start_date:
        errors["end_date"] = ["The rotation cannot end before it starts."]
    if rotation.technician_id and not is_staff_member(rotation.technician):
        errors["technician"] = ["Only technicians can be on a rotation."]
    if errors:
        raise DomainError(errors=errors)


def create_rotation(
    *,
    actor: User,
    technician: User,
    school: School,
    weekdays: list[int],
    every_n_weeks: int = 1,
    start_date: date,
    end_date: date | None = None,
    today: date | None = None,
) -> Rotation:
    """The director sets a technician's standard visit days at a school; visits are planned at once."""
    _require_director(actor)
    rotation = Rotation(
        technician=technician,
        school=school,
        weekdays=weekdays,
        every_n_weeks=every_n_weeks,
        start_date=start_date,
        end_date=end_date,
    )
    _clean_rotation(rotation)
    with transaction.atomic():
        rotation.save()
        plan_visits(rotation=rotation, today=today)
    return rotation


def update_rotation(*, actor: User, rotation: Rotation, changes: dict[str, Any], today: date | None = None) -> Rotation:
    """Change a rotation and re-plan its future planned visits (past and done visits stay)."""
    _require_director(actor)
    unknown = set(changes) - set(ROTATION_FIELDS)
    if unknown:
        raise DomainError(errors={name: ["This field cannot be changed."] for name in sorted(unknown)})
    with transaction.atomic():
        rotation = Rotation.objects.select_for_update().get(pk=rotation.pk)
        for name, value in changes.items():
            setattr(rotation, name, value)
        _clean_rotation(rotation)
        rotation.save()
        plan_visits(rotation=rotation, today=today)
    return rotation


def delete_rotation(*, actor: User, rotation: Rotation, today: date | None = None) -> None:
    """End a rotation: its future planned visits go, past ones stay as history."""
    _require_director(actor)
    today = today or timezone.localdate()
    with transaction.atomic():
        future = list(rotation.visits.filter(status=Visit.Status.PLANNED, date__gt=today))
        _retire_visits(future, school=rotation.school, today=today)
        rotation.delete()


def rotation_dates(rotation: Rotation, *, first: date, last: date, calendar: CalendarSpec) -> list[date]:
    """The dates a rotation visits between `first` and `last`, skipping days the district is closed.

    Weeks are counted from the Monday of the rotation's start week, so "every 2 weeks
    on Tuesday and Thursday" keeps both days in the same week.
    """
    first = max(first, rotation.start_date)
    if rotation.end_date:
        last = min(last, rotation.end_date)
    anchor = rotation.start_date - timedelta(days=rotation.start_date.isoweekday() - 1)
    weekdays = set(rotation.weekdays)
    dates = []
    day = first
    while day <= last:
        week = (day - anchor).days // 7
        if day.isoweekday() in weekdays and week % rotation.every_n_weeks == 0 and calendar.is_business_day(day):
            dates.append(day)
        day += timedelta(days=1)
    return dates


def plan_visits(
    *,
    rotation: Rotation,
    today: date | None = None,
    horizon_weeks: int | None = None,
    calendar: CalendarSpec | None = None,
) -> int:
    """Make a rotation's planned visits match its pattern from tomorrow to the horizon.

    Today's visit and everything before it are never touched (a technician may be on
    site); a visit that is done or missed is never touched. Planned future visits that
    no longer fit are removed and any on-site tickets in them move to the school's next
    visit. Idempotent: running it twice plans nothing new. Returns visits created.
    """
    today = today or timezone.localdate()
    calendar = calendar or district_calendar()
    if horizon_weeks is None:
        horizon_weeks = get_calendar().visit_horizon_weeks
    last = today + timedelta(weeks=horizon_weeks)
    wanted = set(rotation_dates(rotation, first=today, last=last, calendar=calendar))
    future = rotation.visits.filter(status=Visit.Status.PLANNED, date__gt=today)
    stale = [visit for visit in future if visit.date not in wanted or visit.technician_id != rotation.technician_id]
    with transaction.atomic():
        taken = set(
            Visit.objects.filter(
                technician_id=rotation.technician_id, school_id=rotation.school_id, date__in=wanted
            ).values_list("date", flat=True)
        )
        created = Visit.objects.bulk_create(
            [
                Visit(technician_id=rotation.technician_id, school_id=rotation.school_id, rotation=rotation, date=day)
                for day in sorted(wanted - taken)
            ],
            ignore_conflicts=True,  # another rotation of the same pair, or a concurrent run
        )
        _retire_visits(stale, school=rotation.school, today=today)
    return len(created)


def plan_all_visits(*, today: date | None = None) -> int:
    """Extend every rotation's visits to the horizon and drop visits on new closures (the nightly job)."""
    today = today or timezone.localdate()
    calendar = district_calendar()
    horizon_weeks = get_calendar().visit_horizon_weeks
    created = 0
    active = Rotation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=today)).select_related(
        "school", "technician"
    )
    for rotation in active:
        created += plan_visits(rotation=rotation, today=today, horizon_weeks=horizon_weeks, calendar=calendar)
    return created


def _retire_visits(stale: list[Visit], *, school: School, today: date) -> None:
    """Delete visits that no longer fit; their on-site tickets move to the school's next visit.

    Uses the reverse relation `visit.tickets`, so schools still never imports tickets.
    Call after the replacement visits exist, so "next visit" can be one of them.
    """
    if not stale:
        return
    stale_ids = {visit.pk for visit in stale}
    target = next_visit_for(school, today=today + timedelta(days=1), exclude_ids=stale_ids)
    for visit in stale:
        visit.tickets.all().update(visit=target)
    Visit.objects.filter(pk__in=stale_ids).delete()


def _check_own_visit(actor: User, visit: Visit, *, doing: str) -> None:
    """A visit is its technician's to check in to and complete (a director may act for them),
    and not before its day: the times recorded are the school's record of who came when."""
    if not is_staff_member(actor):
        raise PermissionDenied(f"Only the help desk team can {doing}.")
    if visit.technician_id != actor.pk and not is_director(actor):
        raise PermissionDenied(f"Only the technician on this visit can {doing}.")
    if visit.date > timezone.localdate():
        raise DomainError(errors={"date": [f"This visit is on {visit.date:%B %-d}; you can {doing} on the day."]})


def complete_visit(*, actor: User, visit: Visit) -> Visit:
    """The technician finishes a visit. Unfinished tickets are moved on by the caller (tickets app)."""
    _check_own_visit(actor, visit, doing="complete a visit")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.status != Visit.Status.PLANNED:
            raise DomainError(errors={"status": ["This visit is already finished."]})
        visit.status = Visit.Status.DONE
        visit.completed_at = timezone.now()
        visit.checked_in_at = visit.checked_in_at or visit.completed_at
        visit.save(update_fields=["status", "completed_at", "checked_in_at"])
    return visit


def check_in_visit(*, actor: User, visit: Visit) -> Visit:
    """The technician arrives at the school, on the visit's day; the time is recorded once."""
    _check_own_visit(actor, visit, doing="check in")
    if visit.date != timezone.localdate():
        raise DomainError(errors={"date": ["You can check in only on the day of the visit."]})
    updated = Visit.objects.filter(pk=visit.pk, checked_in_at__isnull=True, status=Visit.Status.PLANNED).update(
        checked_in_at=timezone.now()
    )
    if not updated and visit.status != Visit.Status.PLANNED:
        raise DomainError(errors={"status": ["This visit is already finished."]})
    visit.refresh_from_db()
    return visit


def feed_for(user: User) -> CalendarFeed:
    """The technician's calendar feed, created on first use."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def reset_feed_token(*, user: User) -> CalendarFeed:
    """A leaked link stops working: a new token replaces the old one."""
    feed = feed_for(user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token"])
    return feed
