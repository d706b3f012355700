"""The demo district behind `manage.py seed_demo`.

Rows are written with bulk_create (or COPY on PostgreSQL), which bypasses the
services and their signals on purpose: seeding a million tickets must be fast,
and must never email anyone. The rules the services apply (priority from the
matrix, routing to the category's queue else the school's, the first public staff
reply as first response, one queue and one profile per school and user) are
applied here by hand instead.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from demo import district as people
from demo.bulk import bulk_load
from demo.devices import DeviceResult, flush_devices, seed_devices
from demo.parallel import default_processes
from demo.rotations import seed_rotations
from demo.tickets import seed_tickets
from demo.writers import writer_for_connection
from schools.models import School
from surveys.dashboard.rollup import rebuild_daily_stats
from surveys.models import DailyTicketStats, SurveyInvitation, SurveyResponse
from tickets.kb.starter import load_starter_articles
from tickets.models import Category, Comment, Queue, Ticket, TicketEvent


class AlreadySeeded(Exception):
    pass


@dataclass
class SeedResult:
    schools: int
    users: int
    tickets: int
    seconds: float
    sign_ins: dict[str, tuple[str, str]]
    campus_contact: str
    devices: DeviceResult | None = None


def is_seeded() -> bool:
    """A district exists once there is a school; seeding twice would collide on school codes and usernames."""
    return School.objects.exists()


def flush() -> None:
    """Delete every ticket (and what hangs off it, the dashboard rollup too), school, queue, category and demo user."""
    if connection.vendor == "postgresql":
        # TRUNCATE ... CASCADE also empties comments, events, outbox and any table that points at tickets;
        # deleting a million rows through the ORM collector would take longer than seeding them.
        # The rollup goes too: it only sums tickets, and deleting the demo users below would otherwise check
        # each one against every rollup row (technician has no index of its own): 27 s at 100k tickets.
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Ticket, DailyTicketStats))
        with connection.cursor() as cursor:
            # Inside an outer transaction, deferred foreign-key checks must fire before TRUNCATE may run.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        Ticket.objects.all().delete()
        DailyTicketStats.objects.all().delete()
    flush_devices()
    Category.objects.all().delete()
    Queue.objects.all().delete()
    School.objects.all().delete()
    User.objects.filter(email__endswith=f"@{people.DEMO_EMAIL_DOMAIN}").delete()


def seed_district(
    *,
    schools: int,
    tickets: int,
    seed: int,
    replace: bool = False,
    now: datetime | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedResult:
    """Seed a whole demo district; refuse (AlreadySeeded) if one exists unless `replace`."""
    started = time.monotonic()
    if is_seeded():
        if not replace:
            raise AlreadySeeded
        progress("Removing the existing district")
        flush()
    now = (now or timezone.now()).replace(microsecond=0)
    rng = random.Random(seed)
    with transaction.atomic():
        school_rows = people.create_schools(rng, schools)
        school_queue, district_queues = people.create_queues(school_rows)
        categories = people.create_categories(district_queues)
        district = people.create_people(rng, school_rows)
    district.school_queue, district.district_queues, district.categories = school_queue, district_queues, categories
    people.assign_technicians(district)
    # The calendar first: ticket due dates are counted in its business hours.
    technicians_by_pk = {t.pk: t for t in district.technicians}
    seed_rotations(
        technicians=district.technicians,
        schools=school_rows,
        today=timezone.localdate(now),
        rng=rng,
        home_technician={school: technicians_by_pk[pk] for school, pk in district.home_technician.items()},
    )
    progress(f"calendar, rotations and visits ({time.monotonic() - started:.1f}s)")
    progress(f"{load_starter_articles(actor=district.director)} starter self-help articles")
    users = len(district.technicians) + 1 + sum(len(v) for v in district.teachers_by_school.values())
    progress(f"{len(school_rows)} schools, {users} people")

    step = max(1, tickets // 10)

    def report(done: int) -> None:
        if done == tickets or done // step != (done - 1) // step or tickets < 50_000:
            progress(f"{done} tickets ({time.monotonic() - started:.1f}s)")

    writer = writer_for_connection()
    # Each step loads empty tables without their secondary indexes and foreign keys, rebuilt at its end.
    with bulk_load(Ticket, Comment, TicketEvent, SurveyInvitation, SurveyResponse):
        surveys = seed_tickets(
            rng=rng,
            district=district,
            count=tickets,
            now=now,
            writer=writer,
            progress=report,
            processes=default_processes(tickets),
        )
    progress(
        f"ticket indexes and foreign keys in place; survey answers for {surveys.invitations} closed tickets, "
        f"{surveys.answers} answered ({time.monotonic() - started:.1f}s)"
    )
    devices = seed_devices(rng=rng, district=district, now=now)
    progress(
        f"{devices.devices} devices, {devices.linked_tickets} tickets on them, {devices.loans_out} loaners out, "
        f"{devices.tasks} maintenance tasks ({time.monotonic() - started:.1f}s)"
    )
    first_day = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if first_day is not None:
        with bulk_load(DailyTicketStats):
            rebuild_daily_stats(timezone.localdate(first_day), timezone.localdate(now))
        progress(f"dashboard figures ({time.monotonic() - started:.1f}s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics, or the first page loads plan their queries for an empty table.
            for model in (Ticket, Comment, TicketEvent, SurveyInvitation, SurveyResponse, DailyTicketStats):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    contact = User.objects.get(pk=district.campus_contact[school_rows[0].pk]).username
    return SeedResult(
        schools=len(school_rows),
        users=users,
        tickets=tickets,
        seconds=time.monotonic() - started,
        sign_ins=dict(people.SIGN_IN),
        campus_contact=contact,
        devices=devices,
    )
