"""The floor: each row's main query timed as raw SQL through psycopg2, and EXPLAIN ANALYZE of the slowest.

The main query of a row is found, not hand-written: the row's request is made three
times in this process through Django's test client while the queries are captured,
and the query at the position with the largest median time is the main one. Its
exact SQL (as psycopg2 sent it) is then timed on a plain psycopg2 connection, each
run inside a transaction that is rolled back, so an INSERT leaves nothing behind.
"""

import statistics
import time
from dataclasses import dataclass
from typing import Any

import psycopg2

from bench.client import FORM_TOKEN_FIELD
from bench.scenarios import Fixture, Row, ticket_payload

CAPTURES = 3


@dataclass
class MainQuery:
    sql: str
    queries: int  # per request, as captured in-process


def _client_for(row: Row, fixture: Fixture) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    if row.api:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {fixture.tokens[row.role]}"
    else:
        client.force_login(get_user_model().objects.get(username=fixture.users[row.role][0]))
    return client


def _request(client: Any, row: Row, fixture: Fixture, n: int) -> Any:
    if row.method == "GET":
        return client.get(row.path)
    payload = ticket_payload(fixture, 10**6 + n)
    if row.api:
        return client.post(row.path, payload, content_type="application/json")
    token = FORM_TOKEN_FIELD.search(client.get("/tickets/new/").content.decode()).group(1)
    return client.post(row.path, {**payload, "form_token": token})


def find_main_query(row: Row, fixture: Fixture) -> MainQuery | None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client_for(row, fixture)
    _request(client, row, fixture, 0)  # warm caches, as the HTTP rows are warmed
    captures = []
    for n in range(CAPTURES):
        if row.method == "POST" and not row.api:
            # The untimed GET of the form is not part of the POST's queries.
            token = FORM_TOKEN_FIELD.search(client.get("/tickets/new/").content.decode()).group(1)
            with CaptureQueriesContext(connection) as captured:
                response = client.post(row.path, {**ticket_payload(fixture, 2 * 10**6 + n), "form_token": token})
        else:
            with CaptureQueriesContext(connection) as captured:
                response = _request(client, row, fixture, n + 1)
        if response.status_code not in row.expect:
            return None
        captures.append(list(captured.captured_queries))
    positions = min(len(c) for c in captures)
    if positions == 0:
        return None
    medians = [statistics.median(float(c[i]["time"]) for c in captures) for i in range(positions)]
    slowest = max(range(positions), key=medians.__getitem__)
    return MainQuery(sql=captures[0][slowest]["sql"], queries=len(captures[0]))


def _dsn() -> dict[str, Any]:
    from django.db import connection

    settings = connection.settings_dict
    return {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"] or 5432,
    }


def time_raw(sql: str, runs: int, budget: float = 20.0) -> float:
    """Median seconds of `sql` on a plain psycopg2 connection, each run rolled back.

    `runs` timed runs after 3 warm-ups, but no more than `budget` seconds once 5 are in,
    so a slow query cannot stretch the benchmark without bound.
    """
    connection = psycopg2.connect(**_dsn())
    try:
        seconds: list[float] = []
        deadline = time.monotonic() + budget
        with connection.cursor() as cursor:
            for n in range(runs + 3):
                if n >= 8 and time.monotonic() > deadline:
                    break
                started = time.perf_counter()
                cursor.execute(sql)
                if cursor.description is not None:
                    cursor.fetchall()
                seconds.append(time.perf_counter() - started)
                connection.rollback()
        return statistics.median(seconds[3:])
    finally:
        connection.close()


def explain(sql: str) -> str:
    connection = psycopg2.connect(**_dsn())
    try:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(line for (line,) in cursor.fetchall())
        connection.rollback()
        return plan
    finally:
        connection.close()
