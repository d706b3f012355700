"""What the benchmark measures: one row per page or API call, and the data each needs.

`prepare()` runs in the benchmark process (Django set up against the same database
as the server): it finds the demo sign-ins, files the ticket with 20 comments
through the services, and hands out API tokens. The rows then run over HTTP.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bench.client import Answer, Session, form_token

SEARCH_WORD = "projector"
NEWCOMER = ("bench-newcomer", "bench-newcomer-password-2026")
COMMENTS_ON_DETAIL = 20


@dataclass
class Fixture:
    school_id: int
    category_id: int
    detail_id: int
    year_from: date
    year_to: date
    users: dict[str, tuple[str, str]]  # role -> (username, password)
    tokens: dict[str, str]  # role -> API token


@dataclass
class Row:
    """One benchmark row. `call` makes the timed request; `setup` (untimed) runs before each one."""

    name: str
    role: str
    path: str
    method: str = "GET"
    expect: tuple[int, ...] = (200,)
    api: bool = False
    call: Callable[[Session, "Row"], Answer] | None = None
    setup: Callable[[Session, "Row"], dict[str, Any]] | None = None
    # Rows whose page may not exist yet in this build: a 404 reports "not built" instead of failing.
    optional: bool = False
    state: dict[str, Any] = field(default_factory=dict)


def prepare() -> Fixture:
    """Sign-ins, a school, a category, tokens and the ticket with 20 comments (Django must be set up)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from rest_framework.authtoken.models import Token

    from demo.district import SIGN_IN
    from demo.timelines import school_year_start
    from schools.models import Profile, School
    from tickets import services
    from tickets.models import Category, Ticket

    users = get_user_model().objects
    teacher = users.get(username=SIGN_IN["teacher"][0])
    technician = users.get(username=SIGN_IN["technician"][0])
    director = users.get(username=SIGN_IN["director"][0])
    # The school with the most open tickets: the busiest queue a technician opens.
    school = (
        School.objects.annotate(open=Count("tickets", filter=Q(tickets__status__in=Ticket.OPEN_STATUSES)))
        .order_by("-open", "pk")
        .first()
    )
    category = Category.objects.filter(in_scope=True, queue__isnull=True).order_by("pk").first()
    ticket = services.create_ticket(
        actor=teacher,
        title=f"Benchmark: a {SEARCH_WORD} that needs {COMMENTS_ON_DETAIL} replies",
        description="Filed by bench/ to time the ticket page with a long conversation.",
        category=category,
        impact="medium",
        urgency="medium",
    )
    for n in range(COMMENTS_ON_DETAIL):
        actor = technician if n % 2 == 0 else teacher
        services.add_comment(actor=actor, ticket=ticket, body=f"Reply {n + 1} in a long conversation.")
    from django.utils import timezone

    start = school_year_start(timezone.localdate())
    # A teacher with no requests yet, as most are on their first day: their start page must not
    # depend on how many tickets other people filed (it once walked the whole table).
    newcomer, _created = users.get_or_create(
        username=NEWCOMER[0], defaults={"first_name": "New", "last_name": "Teacher"}
    )
    newcomer.set_password(NEWCOMER[1])
    newcomer.save()
    Profile.objects.update_or_create(user=newcomer, defaults={"school_id": teacher.profile.school_id})
    return Fixture(
        school_id=school.pk,
        category_id=category.pk,
        detail_id=ticket.pk,
        year_from=start,
        year_to=date(start.year + 1, 7, 31),
        users={
            "teacher": SIGN_IN["teacher"],
            "technician": SIGN_IN["technician"],
            "director": SIGN_IN["director"],
            "newcomer": NEWCOMER,
        },
        tokens={
            role: Token.objects.get_or_create(user=user)[0].key
            for role, user in (("teacher", teacher), ("technician", technician), ("director", director))
        },
    )


def _new_ticket_form(session: Session, row: Row) -> dict[str, Any]:
    page = session.get("/tickets/new/")
    return {"form_token": form_token(page)}


def ticket_payload(fixture: Fixture, n: int) -> dict[str, Any]:
    return {
        "title": f"Benchmark ticket {n}: the {SEARCH_WORD} flickers",
        "description": "The picture flickers every few minutes during lessons.",
        "category": fixture.category_id,
        "impact": "medium",
        "urgency": "low",
    }


def rows(fixture: Fixture) -> list[Row]:
    counter = iter(range(1, 10**9))

    def post_form(session: Session, row: Row) -> Answer:
        data = {**ticket_payload(fixture, next(counter)), **row.state.pop("form")}
        return session.post_form(row.path, data)

    def post_api(session: Session, row: Row) -> Answer:
        return session.post_json(row.path, ticket_payload(fixture, next(counter)))

    year = f"date_from={fixture.year_from.isoformat()}&date_to={fixture.year_to.isoformat()}"
    return [
        Row(
            "Queue: one school, open, by priority (page 1)",
            "technician",
            f"/tickets/?school={fixture.school_id}&open=true&ordering=-priority",
        ),
        Row("Queue: every ticket, newest first, page 50", "technician", "/tickets/?page=50"),
        Row(f"Queue: search “{SEARCH_WORD}”", "technician", f"/tickets/?search={SEARCH_WORD}"),
        Row(f"Ticket page ({COMMENTS_ON_DETAIL} comments), technician", "technician", f"/tickets/{fixture.detail_id}/"),
        Row("Requester start page", "teacher", "/"),
        Row("Requester start page, no requests yet", "newcomer", "/"),
        Row(
            "Ticket create: form POST",
            "teacher",
            "/tickets/new/",
            method="POST",
            expect=(302,),
            call=post_form,
            setup=_new_ticket_form,
        ),
        Row(
            "Ticket create: API POST", "teacher", "/api/tickets/", method="POST", expect=(201,), api=True, call=post_api
        ),
        Row("API ticket list (staff, page 1)", "technician", "/api/tickets/", api=True),
        Row("API metrics summary (school year)", "director", f"/api/metrics/summary/?{year}", api=True),
        Row("Dashboard (school year)", "director", f"/dashboard/?{year}", optional=True),
    ]
