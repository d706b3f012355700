"""Queries per request must not grow with the data (issue 8).

Every list and detail page and every API endpoint is requested twice: once when
the district holds one of everything (one ticket, one comment, one answer, one
article, one rotation), and again after many more rows of each were added. The two
counts must be equal, and at most MAX_QUERIES. Counts are compared, not hard-coded,
so a page may change what it shows without touching this file; an N+1 cannot hide.
No timing is asserted here: timing is the benchmark's job (bench/).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from devices import services as device_services
from devices.models import AssetImport
from schools import services as school_services
from surveys import services as survey_services
from tests import factories
from tickets import followers, merge, services
from tickets.kb import services as kb_services
from tickets.models import SavedReply

MAX_QUERIES = 15
# Pages allowed past MAX_QUERIES, each with its count and why. (None at present: the staff ticket
# page is at MAX_QUERIES: session, user with their groups, ticket, history, comments, past
# tickets, the people beside it (assign list, followers and who may follow, one query), email
# failures, attachments, saved replies (the composer's picker), articles, categories, schools,
# vendor cases, vendors. A ticket with no files, failed emails or vendor cases, most of them,
# is 12: the ticket's own query says so, tests/tickets/test_ticket_page_queries.py.)
OVER_MAX: dict[str, int] = {}
# Filing queues two emails (the requester's acknowledgement, the technician's assignment) and
# first reads both recipients' email choices (notifications.preferences.load_muted): one read
# on top of MAX_QUERIES.
FILING_MAX = MAX_QUERIES + 1
GROWTH = 8


@dataclass
class District:
    school: object
    teacher: AbstractUser
    technician: AbstractUser
    director: AbstractUser
    category: object
    ticket: object
    article: object
    response: object
    asset: object = None


def _closed_and_answered(ticket, technician) -> object:
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced the lamp.", self_help="")
    ticket = services.close_ticket(actor=technician, ticket=ticket)
    invitation = ticket.survey_invitation
    # Quality 2 puts the answer on the directors' follow-up list, so that list has rows too.
    return survey_services.record_answer(
        invitation=invitation, user=ticket.requester, timeliness=4, quality=2, comment="Slow"
    )


def _rotation(director, technician, school) -> None:
    school_services.create_rotation(
        actor=director,
        technician=technician,
        school=school,
        weekdays=[1, 3],
        start_date=timezone.localdate() - timedelta(days=7),
    )


@pytest.fixture
def district(db, school, teacher, technician, director, category, django_capture_on_commit_callbacks) -> District:
    """One of everything: the "1 row" state."""
    school.campus_contact = teacher
    school.save()
    asset = _device(technician, teacher, school)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = factories.TicketFactory(requester=teacher, category=category, asset_tag=asset.tag)
        services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
        services.add_comment(actor=technician, ticket=ticket, body="On my way.")
        answered = _closed_and_answered(factories.TicketFactory(requester=teacher, category=category), technician)
    article = kb_services.create_article(actor=technician, title="Projector shows no picture", body="Press *Input*.")
    _rotation(director, technician, school)
    device_services.save_plan(
        actor=director, changes={"title": "Clean filters", "school": school, "starts_on": timezone.localdate()}
    )
    SavedReply.objects.create(title="Lamp", body="Hi {first_name}", shared=True, owner=director)
    return District(school, teacher, technician, director, category, ticket, article, answered, asset)


def _device(technician, person, school) -> object:
    """A device someone has, a loaner lent to them, and a maintenance plan: one of each."""
    asset = device_services.save_asset(
        actor=technician, changes={"tag": f"Q-{person.pk}", "school": school, "assigned_to": person}
    )
    loaner = factories.AssetFactory(school=school, status="loaner")
    device_services.check_out_loaner(
        actor=technician, loaner=loaner, borrower=person, for_asset=asset, due_back=timezone.localdate()
    )
    return asset


def grow(d: District, capture: Callable) -> None:
    """Many more rows of everything the pages list, touching other people, schools and categories."""
    with capture(execute=True):
        for n in range(GROWTH):
            other_school = factories.SchoolFactory()
            requester = factories.UserFactory(profile__school=d.school if n % 2 else other_school)
            helper = factories.TechnicianFactory()
            category = factories.CategoryFactory()
            ticket = factories.TicketFactory(requester=requester, category=category)
            services.assign_ticket(actor=d.technician, ticket=ticket, assignee=helper)
            services.add_comment(actor=helper, ticket=ticket, body="Looking at it.")
            services.add_comment(actor=requester, ticket=ticket, body="Thanks.")
            # The teacher's own list and the campus contact's school list grow too.
            own = factories.TicketFactory(requester=d.teacher, category=category)
            services.add_comment(actor=helper, ticket=d.ticket, body=f"Update {n}", internal=n % 3 == 0)
            services.add_comment(actor=d.teacher, ticket=d.ticket, body=f"Reply {n}")
            if n % 3 == 0:
                _closed_and_answered(own, helper)
            kb_services.create_article(actor=helper, title=f"Projector tip {n}", body="Check the projector input.")
            _rotation(d.director, helper, other_school)
            # More devices, tickets on the district's device, holders, loans and maintenance.
            _device(d.technician, requester, other_school)
            factories.TicketFactory(requester=requester, category=category, asset_tag=d.asset.tag)
            device_services.save_asset(actor=d.technician, asset=d.asset, changes={"room": f"R{n}"})
            AssetImport.objects.create(
                filename=f"f{n}.csv", uploaded_by=d.director, applied_at=timezone.now(), created=n
            )
            device_services.save_plan(
                actor=d.director,
                changes={
                    "title": f"Plan {n}",
                    "school": other_school if n % 2 else None,
                    "every_n_weeks": 2,
                    "starts_on": timezone.localdate(),
                },
            )
            SavedReply.objects.create(title=f"Reply {n}", body="Hello", shared=n % 2 == 0, owner=d.technician)
            # The ticket page's followers, colleagues at the school who may follow, and a merged duplicate.
            followers.add_follower(actor=d.technician, ticket=d.ticket, follower=requester if n % 2 else helper)
            duplicate = factories.TicketFactory(requester=requester, category=category)
            merge.merge_ticket(actor=helper, source=duplicate, target_id=d.ticket.pk)


def _client(user: AbstractUser, api: bool) -> Client:
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


def _count(client: Client, path: str) -> tuple[int, int]:
    """Queries of a warm request: the first one may fill caches (the district calendar), as in production."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(captured.captured_queries)


# (id, role, path from the district, API?). Every list and detail page and API endpoint.
ENDPOINTS: list[tuple[str, str, Callable[[District], str], bool]] = [
    ("requester-start", "teacher", lambda d: "/", False),
    ("requester-list", "teacher", lambda d: "/tickets/", False),
    ("requester-ticket", "teacher", lambda d: f"/tickets/{d.ticket.pk}/", False),
    ("new-ticket-form", "teacher", lambda d: "/tickets/new/", False),
    ("support", "teacher", lambda d: "/support/", False),
    ("today", "technician", lambda d: "/today/", False),
    ("queue", "technician", lambda d: "/tickets/", False),
    (
        "queue-open-by-priority",
        "technician",
        lambda d: f"/tickets/?school={d.school.pk}&open=true&ordering=-priority",
        False,
    ),
    ("queue-search", "technician", lambda d: "/tickets/?search=projector", False),
    ("queue-export", "technician", lambda d: "/tickets/export.csv", False),
    ("queue-export-filtered", "technician", lambda d: f"/tickets/export.csv?school={d.school.pk}&open=true", False),
    ("technician-ticket", "technician", lambda d: f"/tickets/{d.ticket.pk}/", False),
    ("ticket-presence", "technician", lambda d: f"/tickets/{d.ticket.pk}/presence/?since=1&state=replying", False),
    ("ticket-presence-requester", "teacher", lambda d: f"/tickets/{d.ticket.pk}/presence/?since=1", False),
    ("kb-list", "teacher", lambda d: "/kb/", False),
    ("kb-search", "teacher", lambda d: "/kb/?q=projector", False),
    ("kb-article", "teacher", lambda d: f"/kb/{d.article.pk}/", False),
    ("kb-stats", "director", lambda d: "/kb/stats/", False),
    ("rotations", "director", lambda d: "/rotations/", False),
    ("coverage", "director", lambda d: "/rotations/coverage/", False),
    ("calendar", "director", lambda d: "/calendar/", False),
    ("survey-follow-up", "director", lambda d: "/surveys/follow-up/", False),
    ("survey-csv", "director", lambda d: "/surveys/responses.csv", False),
    ("api-tickets-requester", "teacher", lambda d: "/api/tickets/", True),
    ("api-tickets-staff", "technician", lambda d: "/api/tickets/?page_size=100", True),
    (
        "api-tickets-filtered",
        "technician",
        lambda d: f"/api/tickets/?school={d.school.pk}&status=assigned&ordering=-priority",
        True,
    ),
    ("api-tickets-search", "technician", lambda d: "/api/tickets/?search=projector", True),
    ("api-tickets-search-person", "technician", lambda d: f"/api/tickets/?search={d.teacher.last_name}", True),
    ("queue-search-person", "technician", lambda d: f"/tickets/?search={d.teacher.email}", False),
    ("api-replies", "technician", lambda d: "/api/replies/", True),
    ("api-ticket", "teacher", lambda d: f"/api/tickets/{d.ticket.pk}/", True),
    ("api-ticket-comments", "technician", lambda d: f"/api/tickets/{d.ticket.pk}/comments/", True),
    ("api-ticket-events", "teacher", lambda d: f"/api/tickets/{d.ticket.pk}/events/", True),
    ("api-schools", "teacher", lambda d: "/api/schools/", True),
    ("api-school", "teacher", lambda d: f"/api/schools/{d.school.pk}/", True),
    ("api-queues", "technician", lambda d: "/api/queues/", True),
    ("api-categories", "teacher", lambda d: "/api/categories/", True),
    ("api-rotations", "technician", lambda d: "/api/rotations/", True),
    ("api-visits", "technician", lambda d: "/api/visits/", True),
    ("api-closures", "technician", lambda d: "/api/closures/", True),
    ("api-sla-targets", "technician", lambda d: "/api/sla-targets/", True),
    ("api-articles", "teacher", lambda d: "/api/articles/", True),
    ("api-article", "teacher", lambda d: f"/api/articles/{d.article.pk}/", True),
    ("api-survey-responses", "director", lambda d: "/api/surveys/responses/", True),
    ("api-survey-response", "director", lambda d: f"/api/surveys/responses/{d.response.pk}/", True),
    ("api-metrics", "director", lambda d: "/api/metrics/summary/", True),
    ("api-metrics-breakdown", "director", lambda d: "/api/metrics/breakdown/?by=school", True),
    ("api-metrics-timeseries", "director", lambda d: "/api/metrics/timeseries/?interval=week", True),
    ("devices", "technician", lambda d: "/assets/", False),
    ("devices-search", "technician", lambda d: "/assets/?search=q&warranty=ending", False),
    ("device", "technician", lambda d: f"/assets/{d.asset.pk}/", False),
    ("loaners", "technician", lambda d: "/loaners/", False),
    ("maintenance", "director", lambda d: "/maintenance/", False),
    ("device-import", "director", lambda d: "/assets/import/", False),
    ("api-assets", "technician", lambda d: "/api/assets/?page_size=100", True),
    ("api-asset", "technician", lambda d: f"/api/assets/{d.asset.pk}/", True),
    ("api-asset-tickets", "technician", lambda d: f"/api/assets/{d.asset.pk}/tickets/", True),
    ("api-loans", "technician", lambda d: "/api/loans/", True),
    ("api-maintenance-plans", "technician", lambda d: "/api/maintenance-plans/", True),
    ("api-maintenance-tasks", "technician", lambda d: "/api/maintenance-tasks/", True),
]


def test_queries_per_request_do_not_grow_with_rows(district, django_capture_on_commit_callbacks):
    """Every endpoint with one row of everything, then every endpoint again after the data grew:
    one growth for all of them (grown once per endpoint, the seeding took minutes of the suite).
    Each failure names its endpoint; all of them are listed at once."""
    urls = {name: path(district) for name, _role, path, _api in ENDPOINTS}
    with_one = {}
    for name, role, _path, api in ENDPOINTS:
        # A fresh client each time: nothing cached on a client object carries over.
        status, with_one[name] = _count(_client(getattr(district, role), api), urls[name])
        assert status == 200, f"{name}: {urls[name]} answered {status}"
    grow(district, django_capture_on_commit_callbacks)
    failures = []
    for name, role, _path, api in ENDPOINTS:
        status, with_many = _count(_client(getattr(district, role), api), urls[name])
        limit = OVER_MAX.get(name, MAX_QUERIES)
        if status != 200:
            failures.append(f"{name}: {urls[name]} answered {status} with many rows")
        elif with_many != with_one[name]:
            failures.append(f"{name}: {urls[name]}: {with_one[name]} queries with one row, {with_many} with many")
        if with_one[name] > limit:
            failures.append(f"{name}: {urls[name]}: {with_one[name]} queries, more than {limit}")
    assert len(with_one) == len(ENDPOINTS) > 50
    assert not failures, "\n".join(failures)


def test_ticket_list_count_stops_past_the_requested_page(district, django_capture_on_commit_callbacks, monkeypatch):
    """The API list counts up to the page asked for plus COUNT_AHEAD rows, and says when it stopped."""
    from schools import pagination

    grow(district, django_capture_on_commit_callbacks)
    client = _client(district.technician, api=True)
    exact = client.get("/api/tickets/", {"page_size": 5})
    assert exact["X-Count-Is-Exact"] == "true" and exact.json()["count"] > 10

    monkeypatch.setattr(pagination, "COUNT_AHEAD", 3)
    capped = client.get("/api/tickets/", {"page_size": 5})
    second = client.get("/api/tickets/", {"page_size": 5, "page": 2})
    assert capped["X-Count-Is-Exact"] == "false"
    assert capped.json()["count"] == 5 + 3 + 1  # at least one row past the cap
    assert capped.json()["next"] is not None
    assert second.json()["count"] == 10 + 3 + 1 and len(second.json()["results"]) == 5


# --- filing a ticket -------------------------------------------------------------------------


def _executed_sql(client: Client, send: Callable[[Client], object]) -> tuple[object, list[str]]:
    """The statements one request sends to PostgreSQL, counted as the benchmark's
    X-Query-Count header counts them (an execute wrapper: SAVEPOINTs included, the
    BEGIN/COMMIT the driver issues not)."""
    statements: list[str] = []

    def record(execute: Callable, sql: str, params: object, many: bool, context: dict) -> object:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = send(client)
    return response, statements


def _file_by_form(client: Client, category_pk: int) -> Callable[[Client], object]:
    token = client.get("/tickets/new/").context["form"].initial["form_token"]
    data = {
        "title": "Projector will not turn on",
        "description": "Lamp blinks orange.",
        "category": category_pk,
        "impact": "medium",
        "urgency": "high",
        "needed_by": "",
        "asset_tag": "",
        "device_owner": "",
        "form_token": token,
    }
    return lambda c: c.post("/tickets/new/", data)


def _file_by_api(category_pk: int, key: str | None) -> Callable[[Client], object]:
    body = {"title": "Projector", "description": "Lamp blinks.", "category": category_pk, "impact": "medium"}
    body["urgency"] = "high"
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return lambda c: c.post("/api/tickets/", body, format="json", **headers)


def _filing_queries(d: District, how: str, n: int) -> tuple[int, list[str]]:
    if how == "form":
        client = _client(d.teacher, api=False)
        send = _file_by_form(client, d.category.pk)
    else:
        from rest_framework.authtoken.models import Token

        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=d.teacher)[0].key}")
        send = _file_by_api(d.category.pk, f"retry-safe-{n}" if how == "api-idempotent" else None)
    response, statements = _executed_sql(client, send)
    assert response.status_code in (201, 302), getattr(response, "content", b"")[:500]
    return len(statements), statements


# What a filing costs in production (counted as `_executed_sql` counts), the teacher filing
# for their own school. With the rotation technician (the usual case):
#   form (14): session; user with their groups; category; the form's key lookup (IdempotencyKey,
#       the API's table: nothing in the session or the cache); profile+school+queue;
#       SAVEPOINT; calendar row (its version vouches for the closures and SLA targets this
#       process keeps); rotation; INSERT ticket (technician already chosen); INSERT
#       created+assigned events; INSERT 2 outbox emails (technician, acknowledgement);
#       RELEASE SAVEPOINT; INSERT key. (It was 12 with a session token and the cache,
#       which held in one process only: the session UPDATE went, the key's 4 came.)
#   api (10): token+user; category; groups; profile+school+queue; calendar row; rotation;
#       INSERT ticket; INSERT events; INSERT 2 emails.
#   api-idempotent (14): api, plus the key lookup, SAVEPOINT/RELEASE around the filing
#       and INSERT key.
#   api-idempotent-without-rotation (15): the rotation finds nobody, then the requester's
#       previous technician (one query with their still-a-technician check).
# Behind the redirect (form) or in the body (API) nothing else is read.
FILINGS = [("form", True), ("api", True), ("api-idempotent", True), ("api-idempotent", False)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("how", "rotation"), FILINGS, ids=["form", "api", "api-idempotent", "api-idempotent-without-rotation"]
)
def test_filing_a_ticket_costs_the_same_few_queries_at_any_size(
    district, how, rotation, monkeypatch, django_capture_on_commit_callbacks
):
    """Filing is the hot write (issue 8: >= 100 tickets/s on 2 cores). Counted on a real
    transaction (transaction=True), as production runs it: in a rolled-back test every
    atomic block would add a SAVEPOINT pair that production does not send."""
    from schools.models import Rotation

    if not rotation:
        Rotation.objects.all().delete()
    # Sending the email is the worker's job after commit, not the request's.
    monkeypatch.setattr("notifications.delivery.enqueue_on_commit", lambda task, *args: None)
    _filing_queries(district, how, 0)  # the first ticket loads the calendar and targets, as after a restart
    with_one, statements = _filing_queries(district, how, 1)
    grow(district, django_capture_on_commit_callbacks)
    with_many, _ = _filing_queries(district, how, 2)
    listing = "\n".join(f"{i:2d}. {sql[:120]}" for i, sql in enumerate(statements, 1))
    assert with_many == with_one, f"{how}: {with_one} queries with one row, {with_many} with many\n{listing}"
    assert with_one <= FILING_MAX, listing
