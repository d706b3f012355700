"""Demo data for rotations and the calendar; `seed_demo` calls `seed_rotations`."""

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from schools.calendar import school_year_of, school_year_span
from schools.models import Closure, DistrictCalendar, Rotation, School
from schools.services import load_federal_holidays, plan_all_visits

SCHOOLS_PER_TECHNICIAN = 5


def _school_closures(year: int) -> list[Closure]:
    """A typical US district: Thanksgiving week's end, winter and spring break."""
    thanksgiving = max(d for d in (date(year, 11, 22) + timedelta(days=n) for n in range(7)) if d.isoweekday() == 4)
    spring = date(year + 1, 3, 15)
    spring -= timedelta(days=spring.isoweekday() - 1)
    return [
        Closure(
            name="Thanksgiving break",
            kind=Closure.Kind.BREAK,
            start_date=thanksgiving - timedelta(days=1),
            end_date=thanksgiving + timedelta(days=1),
        ),
        Closure(
            name="Winter break", kind=Closure.Kind.BREAK, start_date=date(year, 12, 21), end_date=date(year + 1, 1, 1)
        ),
        Closure(name="Spring break", kind=Closure.Kind.BREAK, start_date=spring, end_date=spring + timedelta(days=4)),
        Closure(
            name="Teacher work day",
            kind=Closure.Kind.CLOSURE,
            start_date=date(year, 10, 16),
            end_date=date(year, 10, 16),
        ),
    ]


def seed_rotations(
    *,
    technicians: Sequence[User],
    schools: Sequence[School],
    today: date,
    rng: random.Random,
    home_technician: Mapping[int, User] | None = None,
) -> None:
    """Give every school a rotation and the district a realistic calendar, then plan visits.

    Technicians take about five schools each on fixed weekdays; roughly a third of the
    schools (usually the small ones) are visited every two weeks. Loads the federal
    holidays of the previous, current and next school year, the usual breaks and a
    summer with shorter hours. Runs in bulk; safe to call once on an empty demo.
    `home_technician` (school id → technician) keeps the rotation with the person who
    has been working the school's tickets.
    """
    if not technicians or not schools:
        return
    year = school_year_of(today)
    with transaction.atomic():
        for school_year in (year - 1, year, year + 1):
            load_federal_holidays(actor=None, school_year=school_year)
            Closure.objects.bulk_create(_school_closures(school_year), ignore_conflicts=True)
        calendar, _ = DistrictCalendar.objects.get_or_create(pk=1)
        calendar.summer_start, calendar.summer_end = date(year + 1, 6, 10), date(year + 1, 8, 10)
        calendar.save()

        start = school_year_span(year - 1)[0]  # rotations began last school year; visits are planned from today
        rotations = []
        shuffled = list(schools)
        rng.shuffle(shuffled)
        for index, school in enumerate(shuffled):
            technician = (home_technician or {}).get(school.pk) or technicians[
                (index // SCHOOLS_PER_TECHNICIAN) % len(technicians)
            ]
            # Spread a technician's schools over the week: one school per weekday.
            weekday = index % SCHOOLS_PER_TECHNICIAN + 1
            biweekly = rng.random() < 0.35
            weekdays = [weekday] if biweekly or rng.random() < 0.7 else sorted({weekday, (weekday + 1) % 5 + 1})
            rotations.append(
                Rotation(
                    technician=technician,
                    school=school,
                    weekdays=weekdays,
                    every_n_weeks=2 if biweekly else 1,
                    start_date=start,
                )
            )
        _visits_today_and_next(rotations, technicians[0], schools[0], today)
        Rotation.objects.bulk_create(rotations)
    plan_all_visits(today=today)


def _visits_today_and_next(rotations: list[Rotation], documented: User, school: School, today: date) -> None:
    """The documented technician (`tech`, the first) visits the sign-in teacher's school (the first)
    every week on the seeding day's weekday and the next school day's, so Today shows a visit
    the day the demo is seeded and the day after (a weekend counts from Monday)."""
    day = today
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    following = day + timedelta(days=3 if day.isoweekday() == 5 else 1)
    for rotation in rotations:
        if rotation.school_id == school.pk:
            rotation.technician = documented
            rotation.weekdays = sorted({day.isoweekday(), following.isoweekday()})
            rotation.every_n_weeks = 1
