"""Writes for schools and people: rotations and visits, the district calendar, profiles."""

from datetime import date, timedelta
from typing import Any

import holidays
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from schools.business_time import CalendarSpec
from schools.calendar import (
    CALENDAR_PK,
    district_calendar,
    format_hours,
    get_calendar,
    parse_hours,
    reference_data_changed,
    school_year_span,
)
from schools.errors import DomainError, PermissionDenied
from schools.models import CalendarFeed, Closure, DistrictCalendar, Profile, Rotation, School, Visit, new_feed_token
from schools.roles import is_director, is_staff_member
from schools.selectors import next_visit_for


def ensure_profile(sender: type, instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every user has a profile (API.md: `user.profile.school`)."""
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


# --- rotations and visits --------------------------------------------------------

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


# --- the district calendar ------------------------------------------------------


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
# The policies in Spanish: the director's calendar page writes them; the API's calendar keeps CALENDAR_FIELDS.
CALENDAR_SPANISH_FIELDS = ("after_hours_policy_es", "summer_policy_es")


def update_calendar(*, actor: User, changes: dict[str, Any]) -> DistrictCalendar:
    """The director edits hours, summer, policy texts and desk settings.

    Visits are re-planned afterwards only when closures change, not hours: a visit is
    about the school day, not the desk's opening hours.
    """
    _require_calendar_director(actor)
    unknown = set(changes) - set(CALENDAR_FIELDS) - set(CALENDAR_SPANISH_FIELDS)
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


def add_closure(
    *, actor: User, name: str, start_date: date, end_date: date | None = None, kind: str, name_es: str = ""
) -> Closure:
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
        closure = Closure.objects.create(
            name=name, name_es=(name_es or "").strip(), kind=kind, start_date=start_date, end_date=end_date
        )
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


# --- people -------------------------------------------------------------------------

SELF_SERVICE_FIELDS = ("role", "room", "phone", "preferred_contact", "tech_comfort", "language")


def update_own_profile(*, user: User, changes: dict[str, Any]) -> Profile:
    """What a person may say about themselves. The staff assessment is not among it."""
    unknown = set(changes) - set(SELF_SERVICE_FIELDS)
    if unknown:
        raise DomainError(errors={field: ["You cannot change this."] for field in sorted(unknown)})
    profile, _ = Profile.objects.get_or_create(user=user)
    for field, value in changes.items():
        setattr(profile, field, value.strip() if isinstance(value, str) else value)
    profile.save()
    return profile


def assess_requester(*, actor: User, person: User, comfort: str, note: str = "") -> Profile:
    """A technician records how comfortable the person really is, and how best to help them."""
    if not is_staff_member(actor):
        raise PermissionDenied("Only the help desk team can assess a requester.")
    if comfort and comfort not in Profile.Comfort.values:
        raise DomainError(errors={"staff_comfort": ["Choose one of the listed levels."]})
    profile, _ = Profile.objects.get_or_create(user=person)
    profile.staff_comfort = comfort
    profile.staff_note = (note or "").strip()[:300]
    profile.staff_assessed_at = timezone.now()
    profile.save(update_fields=["staff_comfort", "staff_note", "staff_assessed_at"])
    return profile


# --- schools ---------------------------------------------------------------------

SCHOOL_FIELDS = ("name", "code", "level", "address", "campus_contact")


def _check_school(school: School) -> None:
    """The rules a school's fields follow, on the page and in the API alike."""
    errors: dict[str, list[str]] = {}
    if not school.name:
        errors["name"] = [gettext("Give the school a name.")]
    if not school.code:
        errors["code"] = [gettext("Give the school a short code, e.g. JES.")]
    elif School.objects.exclude(pk=school.pk).filter(code__iexact=school.code).exists():
        errors["code"] = [gettext("Another school already uses this code.")]
    if school.level not in School.Level.values:
        errors["level"] = [gettext("Choose elementary, middle, high or other.")]
    if school.campus_contact is not None and not school.campus_contact.is_active:
        errors["campus_contact"] = [gettext("A deactivated person cannot be a campus contact.")]
    if errors:
        raise DomainError(errors=errors)


def _save_school(school: School) -> School:
    _check_school(school)
    try:
        # A savepoint: two directors saving the same code at once get a form error, not a 500.
        with transaction.atomic():
            school.save()
    except IntegrityError as exc:
        raise DomainError(errors={"code": [gettext("Another school already uses this code.")]}) from exc
    return school


def create_school(
    *,
    actor: User,
    name: str,
    code: str,
    level: str = School.Level.ELEMENTARY,
    address: str = "",
    campus_contact: User | None = None,
) -> School:
    """A new school; its queue comes with it (tickets' `school_created` post_save receiver)."""
    _require_director(actor)
    school = School(
        name=name.strip(), code=code.strip(), level=level, address=address.strip(), campus_contact=campus_contact
    )
    return _save_school(school)


def update_school(*, actor: User, school: School, changes: dict[str, Any]) -> School:
    """Change a school's name, code, level, address or campus contact."""
    _require_director(actor)
    unknown = set(changes) - set(SCHOOL_FIELDS)
    if unknown:
        raise DomainError(errors={name: [gettext("This field cannot be changed.")] for name in sorted(unknown)})
    for field, value in changes.items():
        setattr(school, field, value.strip() if isinstance(value, str) else value)
    return _save_school(school)
