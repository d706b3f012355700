"""Tickets, comments and events for three school years, generated as plain rows.

A ticket's story is drawn first (when it was filed, where it stands now) and its
timestamps follow from it, so they are always ordered: created < first response
< resolved < closed, every one before `now`. Open tickets have neither resolved
nor closed times. Rows bypass the services on purpose (speed, and no email):
priority and routing use the same `priority_for` and queue rules the services use.
"""

import bisect
import itertools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from demo import names
from demo.district import CATEGORIES, LEVEL_WEIGHT, District
from demo.writers import Writer
from schools.business_time import add_business_days
from schools.calendar import district_calendar, school_year_bounds, school_year_span
from schools.models import School
from tickets.models import PRIORITY_RANK, Comment, SlaTarget, Ticket, TicketEvent, priority_for
from tickets.sla.clock import add_target

Status = Ticket.Status
CHUNK = 20_000
# A share of tickets lands in the last three weeks, so every demo has a live backlog.
RECENT_SHARE = 0.05
RECENT_DAYS = 21
MIN_AGE = timedelta(minutes=30)

TICKET_COLUMNS = (
    "id", "title", "description", "school_id", "queue_id", "category_id", "impact", "urgency", "priority",
    "priority_rank", "status", "requester_id", "assignee_id", "service_mode", "asset_tag", "needed_by",
    "visit_id", "resolution", "self_help", "version", "created_at", "updated_at", "first_response_at",
    "resolved_at", "closed_at", "response_due_at", "resolution_due_at", "device_owner",
)  # fmt: skip
COMMENT_COLUMNS = ("ticket_id", "author_id", "body", "internal", "created_at")
EVENT_COLUMNS = ("ticket_id", "actor_id", "kind", "data", "created_at")

STATUSES = [Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED]
# (max age in days, weights over STATUSES): young tickets are mostly open, old ones closed.
STATUS_BY_AGE: list[tuple[float, list[int]]] = [
    (1, [35, 20, 20, 8, 10, 7]),
    (7, [8, 17, 20, 15, 20, 20]),
    (RECENT_DAYS, [1, 5, 8, 10, 2, 74]),
    (60, [0, 0, 3, 4, 0, 993]),  # a few stragglers wait on parts or vendors
    (float("inf"), [0, 0, 0, 0, 0, 1]),
]
VERSION: dict[str, int] = {
    Status.NEW: 1, Status.ASSIGNED: 2, Status.IN_PROGRESS: 3, Status.WAITING: 4, Status.RESOLVED: 4, Status.CLOSED: 5,
}  # fmt: skip
# Mean minutes to first response and from response to resolution, by priority.
RESPONSE_MEAN = {"critical": 20, "high": 60, "normal": 180, "low": 480}
RESOLUTION_MEAN = {"critical": 120, "high": 480, "normal": 1440, "low": 2880}
REMOTE_SHARE = {
    "device": 0.6, "software": 0.95, "account": 0.98, "network": 0.75, "printer": 0.5, "av": 0.45, "phone": 0.6,
}  # fmt: skip
ASSET_PREFIX = {"device": "CB", "printer": "PR", "av": "AV", "phone": "PH"}
LEVELS = ["low", "medium", "high"]

# What fixed each kind of request (demo.names.TICKET_TEXTS titles): the resolution and the
# "next time" tip a technician writes for it, so a history's fix answers its title.
RESOLUTION_FOR_TITLE: dict[str, tuple[str, str]] = {
    "Chromebook will not charge": (
        "Replaced the charging port.",
        "If a charger shows no light, try another outlet first, then send a ticket.",
    ),
    "Laptop screen is cracked": (
        "Replaced the screen and checked the hinges.",
        "Carry laptops closed and with both hands; the cart's top shelf is the safest.",
    ),
    "Classroom computer is very slow": (
        "Reimaged the computer and removed old profiles.",
        "Restart once a week; it clears updates that pile up.",
    ),
    "Keyboard keys not working": ("Replaced the keyboard.", "Keep drinks off the station desks."),
    "iPad stuck on the Apple logo": (
        "Restored the iPad and put it back in the class profile.",
        "Hold the top and home buttons for ten seconds to restart a frozen iPad.",
    ),
    "Cart of Chromebooks missing chargers": (
        "Brought eight chargers from the spare pool and labeled them for Cart B.",
        "Label chargers with the cart letter so they come back to it.",
    ),
    "Mouse stopped working": ("Replaced the mouse.", "Try another USB port first; a loose plug is common."),
    "Computer shuts off by itself": (
        "Cleaned the dust from the fan and replaced the power supply.",
        "Keep the vents clear of papers and the wall.",
    ),
    "Need reading program installed": (
        "Installed the program on the requested computers.",
        "You can install approved apps from the Software Center.",
    ),
    "Browser keeps crashing": (
        "Cleared the browser profile and updated Chrome.",
        "Clearing cache in Settings > Privacy fixes most of this.",
    ),
    "Update message will not go away": (
        "Ran the pending updates and restarted the computer.",
        "Let updates finish before shutting down at the end of the day.",
    ),
    "Math app shows an error": (
        "Reinstalled the math app and signed it in again.",
        "Sign out and back in to the app before reporting an error.",
    ),
    "Cannot open PDF files": (
        "Set the PDF reader as the default program again.",
        "Right-click the file, choose Open with, and pick the PDF reader.",
    ),
    "Need the science simulation software": (
        "Installed the simulation software in the science lab.",
        "You can install approved apps from the Software Center.",
    ),
    "Locked out of my account": (
        "Unlocked the account and reset the password.",
        "Use the self-service reset page with your phone number.",
    ),
    "Student cannot sign in": (
        "Created the account and added it to the class.",
        "New students appear the day after enrollment is entered.",
    ),
    "Password reset for substitute": (
        "Reset the substitute account's password for the week.",
        "The front office can print the substitute sign-in sheet.",
    ),
    "Cannot access the grade book": (
        "Added the teacher to the course section in the grade book.",
        "Section changes reach the grade book overnight.",
    ),
    "Email not syncing on phone": (
        "Removed and added the school account on the phone.",
        "After a password change, update it on your phone too.",
    ),
    "Shared drive folder missing": (
        "Restored the folder and its sharing from the drive's trash.",
        "Deleted shared items stay in the owner's trash for 30 days.",
    ),
    "Wi-Fi drops in my classroom": (
        "Replaced the access point in the room.",
        "Forget the network and join it again if a device keeps dropping.",
    ),
    "No internet in the library": (
        "Restarted the library switch and replaced a failed cable.",
        "Check whether other rooms are affected and say so in the request.",
    ),
    "Website blocked that we need": (
        "Unblocked the site after review.",
        "Send the full address of the site and what the class uses it for.",
    ),
    "Very slow internet during testing": (
        "Limited video streaming during testing hours.",
        "Tell us testing dates a week ahead so we can plan bandwidth.",
    ),
    "Network port not working": (
        "Patched the wall port to the switch.",
        "The port number is on the wall plate; include it in the request.",
    ),
    "Printer says paper jam but none": (
        "Cleared a scrap of paper from the rear tray.",
        "Open the rear door too; small scraps hide there.",
    ),
    "Cannot print from my laptop": (
        "Re-added the printer to the laptop.",
        "Add printers from the Software Center's printer list.",
    ),
    "Copier prints streaks": ("The copier vendor cleaned the drum.", "Streaks are a vendor call; we place it for you."),
    "Printer out of toner": ("Replaced the toner cartridge.", "Spare toner is in the front office supply closet."),
    "Color printer printing blank pages": (
        "Removed the tape from the new cartridges and ran a cleaning cycle.",
        "Pull the orange tape off new cartridges before installing them.",
    ),
    "Projector will not turn on": (
        "Replaced the projector lamp.",
        "If the lamp light blinks, turn it off for ten minutes, then try again.",
    ),
    "No sound from the smart board": (
        "Selected the board's speakers as the audio output.",
        "Check the volume on the board and on the computer.",
    ),
    "Document camera not showing": (
        "Selected the right input on the display.",
        "Press Input or Source on the remote until the camera shows.",
    ),
    "Interactive board touch is off": (
        "Calibrated the board's touch.",
        "Run Calibrate from the board's menu when the touch is off.",
    ),
    "Microphone for assembly not working": (
        "Replaced the microphone batteries and paired it to the receiver.",
        "Keep spare AA batteries with the microphone.",
    ),
    "HDMI cable not detected": (
        "Replaced the HDMI cable.",
        "Seat both ends firmly and choose the HDMI input on the display.",
    ),
    "Classroom phone has no dial tone": (
        "Reset the handset and re-registered the line.",
        "Unplug the phone for ten seconds before reporting it.",
    ),
    "Voicemail password reset": ("Reset the voicemail code.", "The default code is your extension; change it after."),
    "Intercom not reaching my room": (
        "Replaced the room's intercom speaker.",
        "Tell the office which rooms did not hear the announcement.",
    ),
    "Phone shows wrong extension": (
        "Assigned the right extension to the phone.",
        "Say the room number and the extension you expect in the request.",
    ),
}


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


@dataclass
class Generated:
    tickets: list[tuple]
    comments: list[tuple]
    events: list[tuple]


class TicketGenerator:
    """Turns a seeded RNG and the district into rows, chunk by chunk."""

    def __init__(self, rng: random.Random, district: District, now: datetime) -> None:
        self.rng = rng
        self.district = district
        self.now = now
        slugs = [slug for slug, spec in CATEGORIES.items() if spec[1]]
        self.category_slugs = slugs
        self.category_cum = list(itertools.accumulate(CATEGORIES[slug][5] for slug in slugs))
        self.schools = district.schools
        self.school_cum = list(itertools.accumulate(LEVEL_WEIGHT[s.level] for s in district.schools))
        self.technician_ids = [t.pk for t in district.technicians]
        self.queue_names = {district.school_queue[s.pk]: s.name for s in district.schools}
        self.queue_names.update({q.pk: q.name for q in district.district_queues.values()})
        # Due dates as the services would set them: the district calendar and SLA targets.
        self.calendar = district_calendar()
        self.auto_close_days = settings.HELPDESK_AUTO_CLOSE_BUSINESS_DAYS
        self.targets = {target.priority: target for target in SlaTarget.objects.all()}
        self.teacher_ids = {
            school_id: [u.pk for u in people] for school_id, people in district.teachers_by_school.items()
        }

    def _pick_school(self) -> School:
        return self.schools[bisect.bisect(self.school_cum, self.rng.random() * self.school_cum[-1])]

    def _assignee(self, school_id: int, queue_id: int) -> int:
        team = self.district.queue_technicians.get(queue_id)
        if team:
            return self.rng.choice(team)
        roll = self.rng.random()
        if roll < 0.8:
            return self.district.home_technician[school_id]
        if roll < 0.97:
            return self.rng.choice(self.technician_ids)
        return self.district.director.pk

    def generate(self, ids: list[int], created: list[datetime], forced: Mapping[int, str]) -> Generated:
        """Rows for tickets ids[i] filed at created[i]; `forced` maps positions to a status for the sign-in teacher."""
        rng, now = self.rng, self.now
        out = Generated([], [], [])
        for position, (ticket_id, filed) in enumerate(zip(ids, created, strict=True)):
            slug = self.category_slugs[bisect.bisect(self.category_cum, rng.random() * self.category_cum[-1])]
            category = self.district.categories[slug]
            status = forced.get(position)
            if status is None:
                school = self._pick_school()
                requester = rng.choice(self.teacher_ids[school.pk])
                status = status_for(rng, now - filed)
            else:
                requester = self.district.sign_in_teacher.pk
                school = self.district.sign_in_school
            impact = rng.choices(LEVELS, weights=[45, 40, 15])[0]
            urgency = rng.choices(LEVELS, weights=[35, 45, 20])[0]
            priority = priority_for(impact, urgency)
            queue_id = category.queue_id or self.district.school_queue[school.pk]
            assignee = None if status == Status.NEW else self._assignee(school.pk, queue_id)
            line = timeline_for(
                rng,
                created=filed,
                status=status,
                priority=priority,
                now=now,
                auto_close_days=self.auto_close_days,
                calendar=self.calendar,
            )
            title, description = rng.choice(names.TICKET_TEXTS[slug])
            resolution = self_help = ""
            if line.resolved:
                resolution, self_help = RESOLUTION_FOR_TITLE.get(title) or rng.choice(names.RESOLUTIONS[slug])
            service_mode = None
            if status != Status.NEW:
                service_mode = "remote" if rng.random() < REMOTE_SHARE[slug] else "on_site"
            asset_tag = ""
            if slug in ASSET_PREFIX and rng.random() < 0.7:
                asset_tag = f"{ASSET_PREFIX[slug]}-{rng.randrange(10000, 99999)}"
            needed_by = (filed.date() + timedelta(days=rng.randrange(1, 15))) if rng.random() < 0.25 else None
            last = line.closed or line.resolved or line.first_response or filed
            response_due = resolution_due = None
            if target := self.targets.get(priority):
                response_due = add_target(filed, target.response_value, target.response_unit, self.calendar)
                resolution_due = add_target(filed, target.resolution_value, target.resolution_unit, self.calendar)
            out.tickets.append(
                (
                    ticket_id,
                    title,
                    description,
                    school.pk,
                    queue_id,
                    category.pk,
                    impact,
                    urgency,
                    priority,
                    PRIORITY_RANK[priority],
                    status,
                    requester,
                    assignee,
                    service_mode,
                    asset_tag,
                    needed_by,
                    None,
                    resolution,
                    self_help,
                    VERSION[status],
                    filed,
                    last,
                    line.first_response,
                    line.resolved,
                    line.closed,
                    response_due,
                    resolution_due,
                    "district" if asset_tag else "",
                )  # fmt: skip
            )
            out.events.append(
                (
                    ticket_id,
                    requester,
                    TicketEvent.Kind.CREATED,
                    {"priority": priority, "queue": self.queue_names[queue_id]},
                    filed,
                )
            )
            if line.resolved:
                # Every resolved or closed ticket has its resolve step, with the resolution.
                data: dict[str, str | bool] = {
                    "from": Status.IN_PROGRESS.value,
                    "to": Status.RESOLVED.value,
                    "resolution": resolution,
                }
                out.events.append((ticket_id, assignee, TicketEvent.Kind.RESOLVED, data, line.resolved))
            if line.closed:
                actor = {"confirmed": requester, "automatic": None, "staff": assignee}[line.close_kind]
                data = {
                    "from": Status.RESOLVED.value,
                    "to": Status.CLOSED.value,
                    "confirmed_by_requester": line.close_kind == "confirmed",
                    "automatic": line.close_kind == "automatic",
                }
                out.events.append((ticket_id, actor, TicketEvent.Kind.CLOSED, data, line.closed))
            if line.first_response:
                self._comments(out.comments, ticket_id, requester, assignee, line.first_response, line.resolved)
        return out

    def _comments(
        self,
        rows: list[tuple],
        ticket_id: int,
        requester: int,
        assignee: int | None,
        first_response: datetime,
        resolved: datetime | None,
    ) -> None:
        """The first public staff reply is the first response; sometimes a requester reply and an internal note."""
        rng = self.rng
        rows.append((ticket_id, assignee, rng.choice(names.STAFF_REPLIES), False, first_response))
        end = resolved or self.now
        span = int((end - first_response).total_seconds())
        if span < 4:
            return
        if rng.random() < 0.35:
            at = first_response + timedelta(seconds=rng.randrange(1, span))
            rows.append((ticket_id, requester, rng.choice(names.REQUESTER_REPLIES), False, at))
        if rng.random() < 0.15:
            at = first_response + timedelta(seconds=rng.randrange(1, span))
            rows.append((ticket_id, assignee, rng.choice(names.INTERNAL_NOTES), True, at))


def seed_tickets(
    *,
    rng: random.Random,
    district: District,
    count: int,
    now: datetime,
    writer: Writer,
    progress: Callable[[int], None],
) -> int:
    """Write `count` tickets in chunks, so memory stays flat at any size; each chunk commits unless the caller holds a transaction."""
    created = creation_times(rng, count, now)
    # The sign-in teacher gets one ticket in every status among the newest ones, so the demo shows them all.
    recent = [i for i, moment in enumerate(created) if now - moment < timedelta(days=7)]
    chosen = (
        recent[-len(STATUSES) :] if len(recent) >= len(STATUSES) else list(range(max(0, count - len(STATUSES)), count))
    )
    forced = dict(zip(chosen, reversed(STATUSES), strict=False))
    generator = TicketGenerator(rng, district, now)
    for start in range(0, count, CHUNK):
        stop = min(count, start + CHUNK)
        ids = writer.reserve_ids(Ticket, stop - start)
        chunk_forced = {p - start: s for p, s in forced.items() if start <= p < stop}
        rows = generator.generate(ids, created[start:stop], chunk_forced)
        # Its own transaction, or no savepoint inside the caller's (bulk_load): all or nothing there anyway.
        with transaction.atomic(savepoint=False):
            writer.write(Ticket, TICKET_COLUMNS, rows.tickets)
            writer.write(Comment, COMMENT_COLUMNS, rows.comments)
            writer.write(TicketEvent, EVENT_COLUMNS, rows.events)
        progress(stop)
    return count
