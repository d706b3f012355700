"""Tickets, comments and events for three school years, generated as plain rows.

Each ticket's story and timestamps come from demo.timelines. Rows bypass the services
on purpose (speed, and no email): priority and routing use the same `priority_for` and
queue rules the services use.
"""

import bisect
import functools
import itertools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from demo import names, parallel
from demo.answers import ANSWER_COLUMNS, INVITATION_COLUMNS, SeededSurveys, seed_goals, survey_rows
from demo.district import CATEGORIES, LEVEL_WEIGHT, District
from demo.names import RESOLUTION_FOR_TITLE
from demo.timelines import STATUSES, Status, creation_times, status_for, timeline_for
from demo.writers import Writer
from schools.calendar import district_calendar
from schools.models import School
from surveys.models import SurveyInvitation, SurveyResponse
from tickets.models import PRIORITY_RANK, Comment, SlaTarget, Ticket, TicketEvent, priority_for
from tickets.sla.clock import add_target

CHUNK = 20_000

TICKET_COLUMNS = (
    "id", "title", "description", "school_id", "queue_id", "category_id", "impact", "urgency", "priority",
    "priority_rank", "status", "requester_id", "assignee_id", "service_mode", "asset_tag", "needed_by",
    "visit_id", "resolution", "self_help", "version", "created_at", "updated_at", "first_response_at",
    "resolved_at", "closed_at", "response_due_at", "resolution_due_at", "device_owner",
)  # fmt: skip
COMMENT_COLUMNS = ("ticket_id", "author_id", "body", "internal", "created_at")
EVENT_COLUMNS = ("ticket_id", "actor_id", "kind", "data", "created_at")

VERSION: dict[str, int] = {
    Status.NEW: 1, Status.ASSIGNED: 2, Status.IN_PROGRESS: 3, Status.WAITING: 4, Status.RESOLVED: 4, Status.CLOSED: 5,
}  # fmt: skip
REMOTE_SHARE = {
    "device": 0.6, "software": 0.95, "account": 0.98, "network": 0.75, "printer": 0.5, "av": 0.45, "phone": 0.6,
}  # fmt: skip
ASSET_PREFIX = {"device": "CB", "printer": "PR", "av": "AV", "phone": "PH"}
LEVELS = ["low", "medium", "high"]


@dataclass
class Generated:
    tickets: list[tuple]
    comments: list[tuple]
    events: list[tuple]
    # (ticket id, closed at, requester's email) of each closed ticket: its survey is seeded with it
    closed: list[tuple[int, datetime, str]] = field(default_factory=list)


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
        self.emails = {u.pk: u.email for people in district.teachers_by_school.values() for u in people}
        self.emails[district.sign_in_teacher.pk] = district.sign_in_teacher.email

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
            if status == Status.CLOSED and line.closed and self.emails.get(requester):
                out.closed.append((ticket_id, line.closed, self.emails[requester]))
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
    processes: int = 1,
) -> SeededSurveys:
    """Write `count` tickets in chunks, so memory stays flat at any size; each chunk commits unless
    the caller holds a transaction. Each closed ticket's survey invitation (its id the ticket's)
    and most answers are written with it (demo.answers); returns how many.

    Each chunk draws from its own generator, seeded from `rng` in order, so the rows are the same
    whether the chunks are built here or by `processes` worker processes (demo.parallel) while
    this one, the only one with a database connection, loads them.
    """
    created = creation_times(rng, count, now)
    # The sign-in teacher gets one ticket in every status among the newest ones, so the demo shows them all.
    recent = [i for i, moment in enumerate(created) if now - moment < timedelta(days=7)]
    chosen = (
        recent[-len(STATUSES) :] if len(recent) >= len(STATUSES) else list(range(max(0, count - len(STATUSES)), count))
    )
    forced = dict(zip(chosen, reversed(STATUSES), strict=False))
    first_id = writer.reserve_block(Ticket, count) if count else 0
    chunks = [
        _Chunk(
            start=start,
            stop=min(count, start + CHUNK),
            first_id=first_id + start,
            seed=rng.getrandbits(64),
            forced={p - start: s for p, s in forced.items() if start <= p < start + CHUNK},
        )
        for start in range(0, count, CHUNK)
    ]
    build = functools.partial(_build_chunk, TicketGenerator(random.Random(), district, now), created, writer)
    surveys = SeededSurveys(invitations=0, answers=0)
    for chunk, (batches, invitations, answers) in zip(
        chunks, parallel.ordered_map(build, chunks, processes=processes), strict=True
    ):
        # Its own transaction, or no savepoint inside the caller's (bulk_load): all or nothing there anyway.
        with transaction.atomic(savepoint=False):
            for batch in batches:
                writer.load(batch)
        surveys.invitations += invitations
        surveys.answers += answers
        progress(chunk.stop)
    writer.after_explicit_ids(SurveyInvitation)
    seed_goals()
    return surveys


@dataclass(frozen=True)
class _Chunk:
    start: int
    stop: int
    first_id: int
    seed: int
    forced: dict[int, str]


def _build_chunk(
    generator: TicketGenerator, created: list[datetime], writer: Writer, chunk: _Chunk
) -> tuple[list[Any], int, int]:
    """One chunk's rows, encoded for the writer (in a worker process, or here), and its survey counts."""
    generator.rng = random.Random(chunk.seed)
    ids = list(range(chunk.first_id, chunk.first_id + chunk.stop - chunk.start))
    rows = generator.generate(ids, created[chunk.start : chunk.stop], chunk.forced)
    invitations, answers = survey_rows(
        rows.closed, [ticket_id for ticket_id, *_ in rows.closed], generator.rng, generator.now
    )
    batches = [
        writer.encode(Ticket, TICKET_COLUMNS, rows.tickets),
        writer.encode(Comment, COMMENT_COLUMNS, rows.comments),
        writer.encode(TicketEvent, EVENT_COLUMNS, rows.events),
        writer.encode(SurveyInvitation, INVITATION_COLUMNS, invitations),
        writer.encode(SurveyResponse, ANSWER_COLUMNS, answers),
    ]
    return batches, len(invitations), len(answers)
