"""Reads about schools, rotations, visits and the calendar. Lists declare their joins here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from schools.calendar import get_calendar, parse_hours
from schools.models import Closure, Rotation, School, Visit
from schools.roles import DIRECTOR, TECHNICIAN
from schools.translated import in_reader_language

WEEKDAY_NAMES_PLURAL = {
    1: gettext_noop("Mondays"),
    2: gettext_noop("Tuesdays"),
    3: gettext_noop("Wednesdays"),
    4: gettext_noop("Thursdays"),
    5: gettext_noop("Fridays"),
    6: gettext_noop("Saturdays"),
    7: gettext_noop("Sundays"),
}
WEEKDAY_NAMES = {1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday", 7: "Sunday"}


def visit_list() -> QuerySet[Visit]:
    return Visit.objects.select_related("school", "technician").order_by("date", "school__name", "pk")


def rotation_list() -> QuerySet[Rotation]:
    return Rotation.objects.select_related("school", "technician").order_by("school__name", "start_date", "pk")


def active_rotations(*, on: date) -> QuerySet[Rotation]:
    return Rotation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


def rotation_for(school: School | int, *, on: date | None = None) -> Rotation | None:
    """The school's current rotation; with several, the one that started last wins."""
    on = on or timezone.localdate()
    return (
        active_rotations(on=on)
        .filter(school=school, technician__is_active=True)
        .select_related("technician")
        .order_by("-start_date", "-pk")
        .first()
    )


def rotation_technician_for(school: School, *, on: date | None = None) -> User | None:
    """Who keeps the relationship with the school: its rotation technician, if any."""
    rotation = rotation_for(school, on=on)
    return rotation.technician if rotation else None


def next_visit_for(school: School | int, *, today: date | None = None, exclude_ids: Iterable[int] = ()) -> Visit | None:
    """The school's next planned visit, today included (an on-site ticket goes there)."""
    today = today or timezone.localdate()
    visits = visit_list().filter(school=school, status=Visit.Status.PLANNED, date__gte=today)
    if exclude_ids:
        visits = visits.exclude(pk__in=list(exclude_ids))
    return visits.first()


def visit_after(visit: Visit, *, today: date | None = None) -> Visit | None:
    """The school's next planned visit after this one (where unfinished work rolls to)."""
    today = today or timezone.localdate()
    return (
        visit_list()
        .filter(school_id=visit.school_id, status=Visit.Status.PLANNED, date__gte=max(today, visit.date))
        .exclude(pk=visit.pk)
        .first()
    )


def todays_visits(technician: User, *, today: date | None = None) -> list[Visit]:
    today = today or timezone.localdate()
    return list(
        visit_list().filter(technician=technician, date=today).select_related("school__campus_contact__profile")
    )


def weekdays_phrase(weekdays: Iterable[int]) -> str:
    names = [_(WEEKDAY_NAMES_PLURAL[d]) for d in sorted(weekdays) if d in WEEKDAY_NAMES_PLURAL]
    if len(names) <= 1:
        return "".join(names)
    return _("%(days)s and %(last)s") % {"days": ", ".join(names[:-1]), "last": names[-1]}


def rotation_phrase(rotation: Rotation) -> str:
    days = weekdays_phrase(rotation.weekdays)
    if rotation.every_n_weeks == 1:
        return days
    return ngettext("%(days)s every week", "%(days)s every %(n)d weeks", rotation.every_n_weeks) % {
        "days": days,
        "n": rotation.every_n_weeks,
    }


@dataclass(frozen=True)
class NextVisit:
    """What a requester is told: who comes, on which days, and when next."""

    technician_name: str | None
    pattern: str | None
    visit: Visit | None


def next_visit_summary(school: School | int | None, *, today: date | None = None) -> NextVisit | None:
    """ "Your school's technician, Ana, visits on Tuesdays; next visit Tue 24 Nov." (two queries;
    `school` is a school or its id)."""
    if school is None:
        return None
    today = today or timezone.localdate()
    rotation = rotation_for(school, on=today)
    visit = next_visit_for(school, today=today)
    if rotation is None and visit is None:
        return None
    person = rotation.technician if rotation else visit.technician  # type: ignore[union-attr]
    return NextVisit(
        technician_name=person.get_full_name() or person.get_username(),
        pattern=rotation_phrase(rotation) if rotation else None,
        visit=visit,
    )


@dataclass
class CoverageRow:
    school: School
    weeks: list[list[Visit]]  # one list of visits per week column

    @property
    def uncovered(self) -> bool:
        return not any(self.weeks)

    @property
    def weeks_without_visit(self) -> int:
        return sum(1 for week in self.weeks if not week)


def coverage_grid(*, start: date, weeks: int = 8) -> tuple[list[date], list[CoverageRow]]:
    """Schools × weeks from the Monday of `start`: who visits when (two queries)."""
    monday = start - timedelta(days=start.isoweekday() - 1)
    week_starts = [monday + timedelta(weeks=n) for n in range(weeks)]
    end = monday + timedelta(weeks=weeks) - timedelta(days=1)
    schools = list(School.objects.order_by("name"))
    by_school: dict[int, list[list[Visit]]] = {school.pk: [[] for _ in week_starts] for school in schools}
    visits = (
        Visit.objects.filter(date__range=(monday, end))
        .exclude(status=Visit.Status.MISSED)
        .select_related("technician")
        # `maintenance_tasks` is the devices app's relation to Visit (reached by name: schools never imports devices).
        .annotate(maintenance_due=Count("maintenance_tasks", filter=Q(maintenance_tasks__status="planned")))
        .order_by("date", "pk")
    )
    for visit in visits:
        by_school[visit.school_id][(visit.date - monday).days // 7].append(visit)
    return week_starts, [CoverageRow(school=school, weeks=by_school[school.pk]) for school in schools]


def technicians() -> QuerySet:
    """Active members of the technician group, by name (for choices and load balancing)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=TECHNICIAN)
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def directors_to_email() -> QuerySet:
    """Active directors with an address, by id; a superuser counts as one (schools.roles.is_director).
    Who the desk writes to about the whole district: low scores, missed targets, the monthly report."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=DIRECTOR) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def upcoming_closures(*, today: date | None = None, limit: int = 12) -> list[Closure]:
    today = today or timezone.localdate()
    return list(Closure.objects.filter(end_date__gte=today).order_by("start_date")[:limit])


def _hours_rows(raw: dict[str, list[str]]) -> list[dict[str, Any]]:
    hours = parse_hours(raw, field="hours")
    return [
        {"weekday": day, "name": _(WEEKDAY_NAMES[day]), "opens": opens, "closes": closes}
        for day, (opens, closes) in sorted(hours.items())
    ]


def _clock(moment: time) -> str:
    """ "7:30 AM" on US English pages, "7:30" in Spanish: the language's TIME_FORMAT (helpdesk/formats)."""
    return formats.time_format(moment)


def hours_phrase(rows: list[dict[str, Any]]) -> str:
    """ "Monday to Friday, 7:30 to 16:30" from `_hours_rows`: consecutive weekdays with the
    same hours share one phrase; different runs are joined by "; "."""
    runs: list[list[dict[str, Any]]] = []
    for row in rows:
        last = runs[-1][-1] if runs else None
        if (
            last
            and row["weekday"] == last["weekday"] + 1
            and (row["opens"], row["closes"]) == (last["opens"], last["closes"])
        ):
            runs[-1].append(row)
        else:
            runs.append([row])
    phrases = []
    for run in runs:
        times = {"opens": _clock(run[0]["opens"]), "closes": _clock(run[0]["closes"])}
        if len(run) == 1:
            phrases.append(_("%(day)s, %(opens)s to %(closes)s") % {"day": run[0]["name"], **times})
        else:
            phrases.append(
                _("%(first)s to %(last)s, %(opens)s to %(closes)s")
                % {"first": run[0]["name"], "last": run[-1]["name"], **times}
            )
    return "; ".join(phrases)


def support_policy(*, today: date | None = None) -> dict[str, Any]:
    """What the public support page shows about when help is available.

    Keys: `time_zone`, `hours` and `summer_hours` (rows of weekday, name, opens,
    closes) and the same as `hours_phrase` and `summer_hours_phrase`, `summer_start`, `summer_end`, `after_hours_policy`, `summer_policy`,
    `closures` (upcoming holidays and breaks), `in_summer_now`.
    """
    today = today or timezone.localdate()
    row = get_calendar()
    in_summer = bool(row.summer_start and row.summer_end and row.summer_start <= today <= row.summer_end)
    hours, summer_hours = _hours_rows(row.weekly_hours), _hours_rows(row.summer_hours)
    return {
        "time_zone": settings.TIME_ZONE,
        "hours": hours,
        "summer_hours": summer_hours,
        "hours_phrase": hours_phrase(hours),
        "summer_hours_phrase": hours_phrase(summer_hours),
        "summer_start": row.summer_start,
        "summer_end": row.summer_end,
        "in_summer_now": in_summer,
        "after_hours_policy": in_reader_language(row, "after_hours_policy"),
        "summer_policy": in_reader_language(row, "summer_policy"),
        "closures": upcoming_closures(today=today),
    }
