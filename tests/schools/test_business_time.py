"""Business-time arithmetic: hand-checked dates of the 2026-27 school year, then properties."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schools.business_time import (
    CalendarSpec,
    add_business_days,
    add_business_minutes,
    business_minutes_between,
    next_open_moment,
)

CHICAGO = ZoneInfo("America/Chicago")
SCHOOL_DAY = {day: (time(7, 30), time(16, 30)) for day in range(1, 6)}  # 540 minutes


def winter_break() -> set[date]:
    return {date(2026, 12, 21) + timedelta(days=n) for n in range(12)}  # Dec 21 - Jan 1


CALENDAR = CalendarSpec.build(
    time_zone="America/Chicago",
    weekly_hours=SCHOOL_DAY,
    closed_dates={date(2026, 11, 26), date(2026, 11, 27), *winter_break()},
    summer_start=date(2026, 6, 10),
    summer_end=date(2026, 8, 10),
    summer_hours={day: (time(8), time(15)) for day in range(1, 5)},
)
# Open around the clock every day, to see DST days as they really are (23 or 25 hours).
ALWAYS_OPEN = CalendarSpec.build(
    time_zone="America/Chicago", weekly_hours={d: (time(0), time(23, 59)) for d in range(1, 8)}
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


# --- hand-checked cases ----------------------------------------------------------


def test_minutes_left_on_wednesday_carry_over_thanksgiving_to_monday():
    due = add_business_minutes(local(2026, 11, 25, 15, 30), 120, CALENDAR)
    assert due == local(2026, 11, 30, 8, 30)
    assert due.tzinfo == CHICAGO


def test_thanksgiving_and_the_weekend_count_nothing_between():
    assert business_minutes_between(local(2026, 11, 25, 16, 0), local(2026, 11, 30, 8, 0), CALENDAR) == 60


def test_winter_break_is_skipped_entirely():
    assert add_business_minutes(local(2026, 12, 18, 16, 0), 60, CALENDAR) == local(2027, 1, 4, 8, 0)
    assert business_minutes_between(local(2026, 12, 18, 7, 30), local(2027, 1, 4, 16, 30), CALENDAR) == 2 * 540


def test_dst_start_weekend_keeps_business_minutes_exact():
    # March 8 2026: clocks spring forward overnight; Friday 16:00 CST to Monday 08:00 CDT.
    start = local(2026, 3, 6, 16, 0)
    due = add_business_minutes(start, 60, CALENDAR)
    assert due == local(2026, 3, 9, 8, 0)
    assert due.utcoffset() == timedelta(hours=-5)
    assert business_minutes_between(start, due, CALENDAR) == 60


def test_dst_days_are_23_and_25_hours_long():
    assert business_minutes_between(local(2026, 3, 8, 0, 0), local(2026, 3, 8, 12, 0), ALWAYS_OPEN) == 11 * 60
    assert business_minutes_between(local(2026, 11, 1, 0, 0), local(2026, 11, 1, 12, 0), ALWAYS_OPEN) == 13 * 60


def test_dst_end_weekend_keeps_business_minutes_exact():
    start = local(2026, 10, 30, 16, 0)
    due = add_business_minutes(start, 90, CALENDAR)
    assert due == local(2026, 11, 2, 8, 30)
    assert due.utcoffset() == timedelta(hours=-6)


def test_a_full_target_ends_at_closing_time_not_next_morning():
    assert add_business_minutes(local(2026, 11, 23, 7, 30), 540, CALENDAR) == local(2026, 11, 23, 16, 30)


def test_time_filed_at_night_starts_counting_at_opening():
    assert add_business_minutes(local(2026, 11, 23, 22, 0), 30, CALENDAR) == local(2026, 11, 24, 8, 0)


def test_summer_has_shorter_hours_and_fridays_off():
    assert CALENDAR.hours_on(date(2026, 6, 12)) is None  # a Friday in summer
    assert add_business_minutes(local(2026, 6, 11, 14, 30), 60, CALENDAR) == local(2026, 6, 15, 8, 30)


def test_business_days_skip_thanksgiving():
    assert add_business_days(local(2026, 11, 25, 10, 0), 2, CALENDAR) == local(2026, 12, 1, 10, 0)


def test_business_days_from_a_weekend_start_on_monday_morning():
    assert add_business_days(local(2026, 11, 21, 11, 0), 1, CALENDAR) == local(2026, 11, 24, 7, 30)


def test_business_days_clamp_to_a_shorter_summer_day():
    assert add_business_days(local(2026, 6, 8, 16, 0), 3, CALENDAR) == local(2026, 6, 11, 15, 0)


def test_next_open_moment():
    assert next_open_moment(local(2026, 11, 26, 9, 0), CALENDAR) == local(2026, 11, 30, 7, 30)


def test_between_is_negative_when_reversed():
    a, b = local(2026, 11, 23, 8, 0), local(2026, 11, 23, 9, 0)
    assert business_minutes_between(b, a, CALENDAR) == -60


def test_naive_datetimes_and_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="aware"):
        add_business_minutes(datetime(2026, 11, 23, 8, 0), 10, CALENDAR)
    with pytest.raises(ValueError):
        add_business_minutes(local(2026, 11, 23, 8, 0), -1, CALENDAR)


def test_a_calendar_without_hours_fails_loudly_instead_of_looping():
    closed = CalendarSpec.build(time_zone="America/Chicago", weekly_hours={})
    with pytest.raises(ValueError, match="no open hours"):
        add_business_minutes(local(2026, 11, 23, 8, 0), 10, closed)


def test_bad_hours_are_refused():
    with pytest.raises(ValueError):
        CalendarSpec.build(time_zone="America/Chicago", weekly_hours={1: (time(17), time(8))})
    with pytest.raises(ValueError):
        CalendarSpec.build(time_zone="America/Chicago", weekly_hours={8: (time(8), time(9))})


# --- properties ---------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda naive: naive.replace(second=0, microsecond=0, tzinfo=UTC).astimezone(CHICAGO)
)
amounts = st.integers(min_value=0, max_value=20 * 540)


@settings(max_examples=150, deadline=None)
@given(start=moments, a=amounts, b=amounts)
def test_adding_is_monotonic(start, a, b):
    low, high = sorted((a, b))
    assert add_business_minutes(start, low, CALENDAR) <= add_business_minutes(start, high, CALENDAR)


@settings(max_examples=150, deadline=None)
@given(start=moments, a=amounts, b=amounts)
def test_adding_is_additive(start, a, b):
    stepwise = add_business_minutes(add_business_minutes(start, a, CALENDAR), b, CALENDAR)
    assert stepwise == add_business_minutes(start, a + b, CALENDAR)


@settings(max_examples=150, deadline=None)
@given(start=moments, minutes=amounts)
def test_between_undoes_adding(start, minutes):
    assert business_minutes_between(start, add_business_minutes(start, minutes, CALENDAR), CALENDAR) == minutes


@settings(max_examples=150, deadline=None)
@given(a=moments, b=moments, c=moments)
def test_between_adds_up_over_consecutive_spans(a, b, c):
    first, middle, last = sorted((a, b, c))
    assert business_minutes_between(first, last, CALENDAR) == business_minutes_between(
        first, middle, CALENDAR
    ) + business_minutes_between(middle, last, CALENDAR)


@settings(max_examples=150, deadline=None)
@given(a=moments, b=moments, holiday_offset=st.integers(min_value=0, max_value=800))
def test_a_holiday_contributes_nothing(a, b, holiday_offset):
    first, last = sorted((a, b))
    holiday = date(2026, 1, 1) + timedelta(days=holiday_offset)
    with_holiday = CalendarSpec.build(
        time_zone=CALENDAR.time_zone,
        weekly_hours={wd: (o, c) for wd, o, c in CALENDAR.weekly_hours},
        closed_dates=CALENDAR.closed_dates | {holiday},
        summer_start=CALENDAR.summer_start,
        summer_end=CALENDAR.summer_end,
        summer_hours={wd: (o, c) for wd, o, c in CALENDAR.summer_hours},
    )
    day_start = datetime.combine(holiday, time(0), tzinfo=CHICAGO)
    day_end = datetime.combine(holiday + timedelta(days=1), time(0), tzinfo=CHICAGO)
    inside = max(first, day_start), min(last, day_end)
    lost = business_minutes_between(*inside, CALENDAR) if inside[0] < inside[1] else 0
    assert business_minutes_between(first, last, with_holiday) == business_minutes_between(first, last, CALENDAR) - lost
    assert business_minutes_between(day_start, day_end, with_holiday) == 0
