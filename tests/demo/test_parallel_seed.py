"""A big seed builds its ticket rows in worker processes (demo.parallel): the rows are the same
as one process builds, in the same order, and a worker can never reach the database."""

import os
import random
from datetime import datetime

import pytest
from django.db import connection
from django.utils import timezone

from demo import district as people
from demo import parallel, tickets
from demo.writers import writer_for_connection
from tickets.models import Comment, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 16, 10, 0))


def _district():
    rng = random.Random(5)
    schools = people.create_schools(rng, 3)
    school_queue, district_queues = people.create_queues(schools)
    categories = people.create_categories(district_queues)
    district = people.create_people(rng, schools)
    district.school_queue, district.district_queues, district.categories = school_queue, district_queues, categories
    people.assign_technicians(district)
    return district


def _seed(district, processes: int) -> tuple[list[tuple], list[tuple], list[tuple]]:
    loaded: list[int] = []
    tickets.seed_tickets(
        rng=random.Random(11),
        district=district,
        count=900,
        now=NOW,
        writer=writer_for_connection(),
        progress=loaded.append,
        processes=processes,
    )
    assert loaded == [250, 500, 750, 900]  # chunk by chunk, in order
    first = Ticket.objects.order_by("pk").values_list("pk", flat=True).first()
    # Ids differ between the two runs (the sequence moves on); everything else must not.
    shift = lambda pk: pk - first  # noqa: E731
    rows = (
        [(shift(t[0]), *t[1:]) for t in Ticket.objects.order_by("pk").values_list(*tickets.TICKET_COLUMNS)],
        [(shift(c[0]), *c[1:]) for c in Comment.objects.order_by("pk").values_list(*tickets.COMMENT_COLUMNS)],
        [(shift(e[0]), *e[1:]) for e in TicketEvent.objects.order_by("pk").values_list(*tickets.EVENT_COLUMNS)],
    )
    Ticket.objects.all().delete()
    return rows


def test_worker_processes_build_the_same_rows_as_one_process(monkeypatch):
    monkeypatch.setattr(tickets, "CHUNK", 250)
    district = _district()
    alone = _seed(district, processes=1)
    together = _seed(district, processes=2)
    assert len(alone[0]) == 900 and len(alone[1]) > 0 and len(alone[2]) >= 900
    assert together == alone
    # Each chunk has its own draws: the chunks are not copies of one another.
    titles = [row[1] for row in alone[0]]
    assert titles[:250] != titles[250:500]


def _touches_the_database(item: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return item


def _doubles(item: int) -> tuple[int, int]:
    return item * 2, os.getpid()


def test_results_come_back_in_order_and_a_worker_cannot_reach_the_database():
    answers = list(parallel.ordered_map(_doubles, range(20), processes=2))
    assert [doubled for doubled, _pid in answers] == [n * 2 for n in range(20)]
    assert os.getpid() not in {pid for _doubled, pid in answers}  # built by the workers
    assert {pid for _doubled, pid in parallel.ordered_map(_doubles, range(3), processes=1)} == {os.getpid()}
    with pytest.raises(RuntimeError, match="must not use the database"):
        list(parallel.ordered_map(_touches_the_database, [1], processes=2))
    # The parent's connection is untouched by the workers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_only_a_big_seed_starts_workers(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert parallel.default_processes(199_999) == 1
    assert parallel.default_processes(1_000_000) == 2
