"""When demo tickets were filed and how each one's story runs: the timestamps of a ticket.

A ticket's story is drawn first (when it was filed, where it stands now) and its
timestamps follow from it, so they are always ordered: created < first response
< resolved < closed, every one before `now`. Open tickets have neither resolved
nor closed times.
"""

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from schools.business_time import add_business_days
from schools.calendar import district_calendar, school_year_bounds, school_year_span
from tickets.models import Ticket

Status = Ticket.Status
# A share of tickets lands in the last three weeks, so every demo has a live backlog.
RECENT_SHARE = 0.05
RECENT_DAYS = 21
MIN_AGE = timedelta(minutes=30)

STATUSES = [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED]
# (max age in days, weights over STATUSES): young tickets are mostly open, old ones closed.
STATUS_BY_AGE: list[tuple[float, list[int]]] = [
    (1, [35, 20, 20, 8, 10, 7]),
    (7, [8, 17, 20, 15, 20, 20]),
    (RECENT_DAYS, [1, 5, 8, 10, 2, 74]),
    (60, [0, 0, 3, 4, 0, 993]),  # a few stragglers wait on parts or vendors
    (float("inf"), [0, 0, 0, 0, 0, 1]),
]
# Mean minutes to first response and from response to resolution, by priority.
RESPONSE_MEAN = {"critical": 20, "high": 60, "normal": 180, "low": 480}
RESOLUTION_MEAN = {"critical": 120, "high": 480, "normal": 1440, "low": 2880}


def school_year_start(day: date) -> date:
    """The first day of the district's school year holding `day` (schools.calendar)."""
    return school_year_bounds(day)[0]


def _day_weight(day: date) -> float:
    if day.weekday() >= 5:
        return 0.03
    if (day.month, day.day) >= (6, 15) and (day.month, day.day) < (8, 10):
        return 0.15  # summer: staff only
    if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2):
        return 0.05  # winter break
    return 1.0


# Hour of day (local) -> relative weight: the school day, a little before and after.
HOUR_WEIGHTS = {6: 1, 7: 6, 8: 10, 9: 9, 10: 8, 11: 7, 12: 6, 13: 7, 14: 7, 15: 6, 16: 3, 17: 1, 18: 1, 19: 1, 20: 1}


@dataclass
class Timeline:
    created: datetime
    first_response: datetime | None = None
    resolved: datetime | None = None
    closed: datetime | None = None
    close_kind: str = ""  # confirmed | automatic | staff


def creation_times(rng: random.Random, count: int, now: datetime) -> list[datetime]:
    """`count` filing times across three school years (the current one up to `now`), oldest first."""
    tz = ZoneInfo(settings.TIME_ZONE)
    today = now.astimezone(tz).date()
    first = school_year_span(school_year_start(today).year - 2)[0]
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    # UTC instant of each local midnight, so a time of day is one addition.
    midnight = [datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC) for day in days]
    hours, hour_weights = zip(*HOUR_WEIGHTS.items(), strict=True)
    hour_cum = list(itertools.accumulate(hour_weights))

    recent_from = max(0, len(days) - RECENT_DAYS)
    recent = min(count, max(12, round(count * RECENT_SHARE)))
    day_cum = list(itertools.accumulate(_day_weight(day) for day in days))
    recent_cum = list(itertools.accumulate(_day_weight(day) + 0.2 for day in days[recent_from:]))
    picks = rng.choices(range(len(days)), cum_weights=day_cum, k=count - recent)
    picks += [recent_from + i for i in rng.choices(range(len(days) - recent_from), cum_weights=recent_cum, k=recent)]

    latest = now - MIN_AGE
    times = []
    for index in picks:
        hour = hours[bisect.bisect(hour_cum, rng.random() * hour_cum[-1])]
        moment = midnight[index] + timedelta(hours=hour, seconds=rng.randrange(3600))
        if moment > latest:
            # Today, later than now: somewhere between midnight and half an hour ago.
            span = max(0, int((latest - midnight[index]).total_seconds()))
            moment = midnight[index] + timedelta(seconds=rng.randrange(span + 1)) if span else latest
        times.append(moment)
    times.sort()
    return times


def status_for(rng: random.Random, age: timedelta) -> str:
    days = age.total_seconds() / 86400
    for limit, weights in STATUS_BY_AGE:
        if days < limit:
            return rng.choices(STATUSES, weights=weights)[0]
    raise AssertionError("unreachable")


def timeline_for(
    rng: random.Random,
    *,
    created: datetime,
    status: str,
    priority: str,
    now: datetime,
    auto_close_days: int = 5,
    calendar: Any = None,
) -> Timeline:
    """Timestamps that fit the status, squeezed proportionally when the story would run past `now`.

    An automatic close is `auto_close_days` business days (`calendar`) after the resolve,
    as the auto-close sweep does it; such a ticket is filed early enough for that."""
    line = Timeline(created=created)
    responded = status in (Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED) or (
        status == Status.ASSIGNED and rng.random() < 0.5
    )
    if not responded:
        return line
    steps = [max(120.0, rng.expovariate(1 / (RESPONSE_MEAN[priority] * 60)))]
    if status in (Status.RESOLVED, Status.CLOSED):
        steps.append(max(600.0, rng.expovariate(1 / (RESOLUTION_MEAN[priority] * 60))))
    available = (now - created).total_seconds() - 60
    if status == Status.CLOSED:
        roll = rng.random()
        if roll < 0.6:
            line.close_kind, delay = "confirmed", max(300.0, rng.expovariate(1 / (8 * 3600)))
        elif roll < 0.9:
            line.close_kind, delay = "automatic", 0.0  # set from the resolve time below
        else:
            line.close_kind, delay = "staff", max(300.0, rng.expovariate(1 / 86400))
        if line.close_kind == "automatic":
            # An automatic close comes the configured business days after resolving, never
            # sooner: when that would run past `now`, the requester confirmed instead.
            room = available - (auto_close_days + 4) * 86400
            if sum(steps) > room * 0.95:
                line.close_kind, delay = "confirmed", max(300.0, rng.expovariate(1 / (8 * 3600)))
            else:
                available = room
        steps.append(delay)
    total = sum(steps)
    if total > available * 0.95:
        scale = available * rng.uniform(0.3, 0.9) / total
        steps = [step * scale for step in steps]
    moment = created
    stamps = []
    for step in steps:
        moment = moment + timedelta(seconds=max(1, int(step)))
        stamps.append(moment)
    line.first_response = stamps[0]
    if len(stamps) > 1:
        line.resolved = stamps[1]
    if len(stamps) > 2:
        line.closed = stamps[2]
    if line.close_kind == "automatic" and line.resolved is not None:
        # The hourly sweep's first run after the deadline (tickets.auto_close).
        due = add_business_days(line.resolved, auto_close_days, calendar or district_calendar())
        line.closed = due + timedelta(seconds=rng.randrange(60, 3600))
        if line.closed >= now:  # a long break in between: the requester confirmed it instead
            line.close_kind = "confirmed"
            line.closed = line.resolved + (now - line.resolved) * rng.uniform(0.1, 0.9)
    return line
