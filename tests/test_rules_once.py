"""Each rule that a page and the API both need lives once, and both doors obey it.

For every rule: the page refuses it with a form error, the API with a 400 naming the
field, and nothing is written.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from schools.roles import forget_roles
from tests import factories
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def page_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_form_token(client: Client) -> str:
    return client.get(reverse("ticket-new")).context["form"].initial["form_token"]


def filing(category, **overrides) -> dict:
    return {
        "title": "Projector will not turn on",
        "description": "Lamp blinks orange.",
        "category": category.pk,
        "impact": "medium",
        "urgency": "high",
        "needed_by": "",
        "asset_tag": "",
        **overrides,
    }


def api_filing(category, **overrides) -> dict:
    return {key: value for key, value in filing(category, **overrides).items() if value != ""}


@pytest.fixture
def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


@pytest.fixture
def gone(school):
    """A teacher who left: deactivated, never deleted."""
    return factories.UserFactory(profile__school=school, is_active=False)


@pytest.fixture
def retired_technician(db):
    return factories.TechnicianFactory(is_active=False)


# --- filing once: one mechanism (the IdempotencyKey table) for the page and the API -------------


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_double_submitted_form_files_once_even_with_the_cache_cleared_between(teacher, category):
    from django.core.cache import cache

    from tickets.models import IdempotencyKey

    client = page_as(teacher)
    data = filing(category, form_token=new_form_token(client))
    first = client.post(reverse("ticket-new"), data)
    cache.clear()  # a cache outage, or the second click landing on another worker
    second = client.post(reverse("ticket-new"), data, follow=True)
    ticket = Ticket.objects.get()
    assert first.url == reverse("ticket-detail", args=[ticket.pk])
    assert second.redirect_chain[-1][0] == reverse("ticket-detail", args=[ticket.pk])
    assert f"We already got this one — request #{ticket.pk}." in messages_of(second)
    assert IdempotencyKey.objects.get().ticket == ticket  # the API's table holds the form's key


def test_a_double_submit_files_once_with_a_new_session_too(teacher, category):
    """Nothing lives in the session: the second click may come on a fresh one (a second worker
    reading a session store that lost the first write, or a signed-in-again tab)."""
    client = page_as(teacher)
    data = filing(category, form_token=new_form_token(client))
    client.post(reverse("ticket-new"), data)
    again = page_as(teacher)
    response = again.post(reverse("ticket-new"), data)
    assert response.url == reverse("ticket-detail", args=[Ticket.objects.get().pk])


def test_both_doors_file_once_per_key_through_the_same_table(teacher, category):
    from tickets.models import IdempotencyKey

    api = api_as(teacher)
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-1"}
    first = api.post("/api/tickets/", api_filing(category), format="json", **headers)
    again = api.post("/api/tickets/", api_filing(category), format="json", **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    changed = api.post("/api/tickets/", api_filing(category, title="Other"), format="json", **headers)
    assert changed.status_code == 422 and list(changed.json()) == ["Idempotency-Key"]
    client = page_as(teacher)
    data = filing(category, form_token=new_form_token(client))
    client.post(reverse("ticket-new"), data)
    client.post(reverse("ticket-new"), data)
    assert Ticket.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_the_same_form_sent_again_with_other_words_is_refused_not_filed(teacher, category):
    client = page_as(teacher)
    token = new_form_token(client)
    client.post(reverse("ticket-new"), filing(category, form_token=token))
    response = client.post(reverse("ticket-new"), filing(category, form_token=token, title="Something else"))
    assert response.status_code == 200
    assert "This form was already sent." in response.content.decode()
    assert Ticket.objects.count() == 1
    fresh = response.context["form"].data["form_token"]
    assert fresh != token
    client.post(reverse("ticket-new"), filing(category, form_token=fresh, title="Something else"))
    assert Ticket.objects.count() == 2


def test_a_refused_form_keeps_its_key_and_files_once_corrected(teacher, category, yesterday):
    client = page_as(teacher)
    token = new_form_token(client)
    refused = client.post(reverse("ticket-new"), filing(category, form_token=token, needed_by=yesterday))
    assert "needed_by" in refused.context["form"].errors
    assert refused.context["form"].data["form_token"] == token
    assert client.post(reverse("ticket-new"), filing(category, form_token=token)).status_code == 302
    assert client.post(reverse("ticket-new"), filing(category, form_token=token)).status_code == 302
    assert Ticket.objects.count() == 1


def test_a_form_key_drawn_for_someone_else_does_not_file(teacher, other_teacher, category):
    token = new_form_token(page_as(other_teacher))
    response = page_as(teacher).post(reverse("ticket-new"), filing(category, form_token=token))
    assert response.status_code == 200
    assert "This form is out of date." in response.content.decode()
    assert not Ticket.objects.exists()


# --- needed_by is today or later -----------------------------------------------------------


def test_page_refuses_a_needed_by_date_in_the_past(teacher, category, yesterday):
    client = page_as(teacher)
    response = client.post(
        reverse("ticket-new"), filing(category, form_token=new_form_token(client), needed_by=yesterday)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["needed_by"] == ["Pick today or a later date."]
    assert not Ticket.objects.exists()


def test_api_refuses_a_needed_by_date_in_the_past(teacher, category, yesterday):
    response = api_as(teacher).post("/api/tickets/", api_filing(category, needed_by=yesterday), format="json")
    assert response.status_code == 400
    assert response.json() == {"needed_by": ["Pick today or a later date."]}
    assert not Ticket.objects.exists()


def test_api_accepts_needed_by_today(teacher, category):
    today = timezone.localdate().isoformat()
    response = api_as(teacher).post("/api/tickets/", api_filing(category, needed_by=today), format="json")
    assert response.status_code == 201 and response.json()["needed_by"] == today


def test_triage_refuses_moving_needed_by_into_the_past_on_both_doors(ticket, technician, yesterday):
    response = api_as(technician).patch(f"/api/tickets/{ticket.pk}/", {"needed_by": yesterday}, format="json")
    assert response.status_code == 400 and response.json() == {"needed_by": ["Pick today or a later date."]}
    form = {
        "category": ticket.category_id,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "service_mode": "",
        "asset_tag": "",
        "device_owner": "",
        "needed_by": yesterday,
        "school": ticket.school_id,
        "version": ticket.version,
    }
    response = page_as(technician).post(reverse("ticket-update", args=[ticket.pk]), form)
    assert response.status_code == 200
    assert response.context["triage_form"].errors["needed_by"] == ["Pick today or a later date."]
    ticket.refresh_from_db()
    assert ticket.needed_by is None and ticket.version == 1


def test_triage_keeps_an_old_needed_by_that_it_does_not_change(ticket, technician, yesterday):
    Ticket.objects.filter(pk=ticket.pk).update(needed_by=yesterday)
    response = api_as(technician).patch(
        f"/api/tickets/{ticket.pk}/", {"needed_by": yesterday, "urgency": "high"}, format="json"
    )
    assert response.status_code == 200 and response.json()["urgency"] == "high"


# --- the requester is an active person ---------------------------------------------------------


def test_page_refuses_filing_for_a_deactivated_person(technician, gone, category):
    client = page_as(technician)
    response = client.post(
        reverse("ticket-new"), filing(category, form_token=new_form_token(client), requester=gone.username)
    )
    assert response.status_code == 200
    assert "requester" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_api_refuses_filing_for_a_deactivated_person(technician, gone, category):
    response = api_as(technician).post("/api/tickets/", api_filing(category, requester=gone.pk), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["requester"]
    assert not Ticket.objects.exists()


# --- tickets go only to active technicians ------------------------------------------------------


def test_page_refuses_assigning_to_a_retired_technician(ticket, technician, retired_technician):
    response = page_as(technician).post(reverse("ticket-assign", args=[ticket.pk]), {"assignee": retired_technician.pk})
    assert response.status_code == 200
    assert "assignee" in response.context["assign_form"].errors
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.status == "new"


def test_api_refuses_assigning_to_a_retired_technician(ticket, technician, retired_technician):
    response = api_as(technician).post(
        f"/api/tickets/{ticket.pk}/assign/", {"assignee": retired_technician.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"assignee": ["Tickets can be assigned only to active technicians."]}
    ticket.refresh_from_db()
    assert ticket.assignee is None and ticket.status == "new"


def test_the_assign_list_and_the_service_agree_on_who_is_staff(ticket, technician, director, retired_technician):
    superuser = factories.UserFactory(is_superuser=True)
    offered = set(
        page_as(technician)
        .get(reverse("ticket-detail", args=[ticket.pk]))
        .context["assign_form"]
        .fields["assignee"]
        .queryset
    )
    assert offered == {technician, director, superuser}
    for person in offered:
        response = api_as(technician).post(f"/api/tickets/{ticket.pk}/assign/", {"assignee": person.pk}, format="json")
        assert response.status_code == 200, person


# --- "SLA met": one definition, pauses included ---------------------------------------------


def _finished(ticket: Ticket, *, responded, paused, resolved, due) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(
        status=Ticket.Status.CLOSED,
        first_response_at=responded,
        sla_paused_at=paused,
        resolved_at=resolved,
        closed_at=resolved,
        response_due_at=due,
        resolution_due_at=due,
    )
    ticket.refresh_from_db()
    return ticket


def test_the_breach_rule_and_both_dashboard_doors_agree_on_sla_met(teacher, category, director):
    from surveys import metrics
    from surveys.dashboard.rollup import rebuild_daily_stats
    from tickets import sla

    due = timezone.now() - timedelta(hours=6)
    hour = timedelta(hours=1)
    made = [factories.TicketFactory(requester=teacher, category=category) for _ in range(4)]
    tickets = [
        # in time
        _finished(made[0], responded=due - 3 * hour, paused=None, resolved=due - hour, due=due),
        # resolved late
        _finished(made[1], responded=due - 3 * hour, paused=None, resolved=due + hour, due=due),
        # waiting on the requester from before the due date, closed while still waiting: the
        # clock stopped when it started waiting (the breach job never flagged it)
        _finished(made[2], responded=due - 3 * hour, paused=due - 2 * hour, resolved=due + 3 * hour, due=due),
        # fixed in time without a public reply first: the fix is the response
        _finished(made[3], responded=None, paused=None, resolved=due - hour, due=due),
    ]
    assert [sla.sla_met(t) for t in tickets] == [True, False, True, True]

    today = timezone.localdate()
    filters = metrics.Filters(date_from=today - timedelta(days=2), date_to=today)
    assert metrics.summary(filters)["sla_met_pct"] == 75.0  # the API's figure
    response = api_as(director).get(
        "/api/metrics/summary/", {"date_from": filters.date_from.isoformat(), "date_to": today.isoformat()}
    )
    assert response.json()["sla_met_pct"] == 75.0
    rebuild_daily_stats(filters.date_from, today)
    rolled = metrics.rollup_counters(filters)  # the dashboard page's figure
    assert (rolled["sla_met"], rolled["sla_due"]) == (3, 4)
    assert metrics.dashboard_summary(filters)["sla_met_pct"] == 75.0


# --- the school year: the district's choice, August 1 by default -----------------------------


def test_the_school_year_starts_august_first_by_default_everywhere(db):
    from datetime import date

    from demo.timelines import school_year_start
    from schools.calendar import school_year_bounds, school_year_of
    from schools.models import Closure
    from schools.services import load_federal_holidays
    from surveys.dashboard.selectors import term_bounds
    from surveys.models import Goal

    july = date(2026, 7, 15)
    assert school_year_bounds(july) == (date(2025, 8, 1), date(2026, 7, 31))
    assert school_year_of(july) == 2025 and school_year_start(july) == date(2025, 8, 1)
    assert term_bounds(july) == (date(2026, 1, 1), date(2026, 7, 31))
    assert term_bounds(date(2026, 8, 3)) == (date(2026, 8, 1), date(2026, 12, 31))
    goal = Goal.objects.create(school_year="2026-2027", quality_satisfaction_pct=94)
    assert (goal.start_date, goal.end_date) == (date(2026, 8, 1), date(2027, 7, 31))
    load_federal_holidays(actor=None, school_year=2026)
    days = set(Closure.objects.values_list("start_date", flat=True))
    assert date(2026, 7, 3) not in days  # Independence Day (observed) 2026 belongs to the year before
    assert {date(2026, 9, 7), date(2027, 7, 5)} <= days  # Labor Day; Independence Day (observed) 2027


def test_a_district_that_starts_in_july_moves_every_school_year_with_it(director):
    from datetime import date

    from schools.services import update_calendar
    from surveys import metrics
    from surveys.models import Goal

    update_calendar(actor=director, changes={"school_year_start_month": 7})
    goal = Goal.objects.create(school_year="2026-2027", quality_satisfaction_pct=94)
    assert (goal.start_date, goal.end_date) == (date(2026, 7, 1), date(2027, 6, 30))
    assert metrics.default_range(date(2025, 7, 2)) == (date(2025, 7, 1), date(2025, 7, 2))


def test_both_doors_default_to_the_same_school_year(director):
    from schools.calendar import school_year_bounds
    from schools.services import update_calendar

    today = timezone.localdate()
    for month in (8, today.month):  # the default, then a district whose year started this month
        update_calendar(actor=director, changes={"school_year_start_month": month})
        start = school_year_bounds(today)[0]
        api = api_as(director).get("/api/metrics/summary/").json()
        page = page_as(director).get(reverse("dashboard")).context["form"].cleaned_data
        assert api["date_from"] == start.isoformat() and page["date_from"] == start


def test_calendar_refuses_a_month_that_does_not_exist(director):
    response = api_as(director).patch("/api/calendar/1/", {"school_year_start_month": 13}, format="json")
    assert response.status_code == 400 and "school_year_start_month" in response.json()


# --- the dashboard's date range: one cap ---------------------------------------------------


def test_both_doors_refuse_a_range_over_five_years(director):
    params = {"date_from": "2015-01-01", "date_to": "2025-01-01"}
    response = api_as(director).get("/api/metrics/summary/", params)
    assert response.status_code == 400
    assert response.json() == {"date_from": ["Choose a range of five years or less."]}
    page = page_as(director).get(reverse("dashboard"), {"period": "custom", **params})
    assert page.status_code == 400  # the page shows the form with its error
    assert page.context["form"].errors["date_from"] == ["Choose a range of five years or less."]


# --- resolving from Today goes through the resolve form ------------------------------------


def test_today_and_the_api_refuse_the_same_over_long_resolution(ticket, technician):
    too_long = "x" * 20001
    response = page_as(technician).post(reverse("today_resolve", args=[ticket.pk]), {"resolution": too_long})
    assert response.status_code == 302
    response = api_as(technician).post(f"/api/tickets/{ticket.pk}/resolve/", {"resolution": too_long}, format="json")
    assert response.status_code == 400 and "resolution" in response.json()
    ticket.refresh_from_db()
    assert ticket.status == "new"


def test_today_resolves_with_a_self_help_article(ticket, technician):
    from tickets.models import Article

    article = Article.objects.create(title="Projector lamp", body="Open the lamp door.")
    data = {"resolution": "Reseated the lamp.", "self_help": "Check the lamp door.", "self_help_article": article.pk}
    response = page_as(technician).post(reverse("today_resolve", args=[ticket.pk]), data)
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.self_help == "Check the lamp door."
    assert ticket.self_help_article == article


# --- SLA target bounds: the service checks, the form and serializer only shape ----------------


@pytest.mark.parametrize("value", [0, 100001])
def test_both_doors_refuse_an_sla_target_out_of_bounds_with_the_services_words(director, value):
    from tickets.models import SlaTarget

    high = SlaTarget.objects.get(priority="high")
    before = (high.response_value, high.resolution_value)
    words = ["A target must be a whole number from 1 to 100000."]
    response = api_as(director).patch(f"/api/sla-targets/{high.pk}/", {"resolution_value": value}, format="json")
    assert response.status_code == 400 and response.json() == {"resolution_value": words}
    data = {"priority": "high", "high-response_value": "2", "high-response_unit": "hours",
            "high-resolution_value": str(value), "high-resolution_unit": "days"}  # fmt: skip
    page = page_as(director).post(reverse("sla_targets"), data)
    assert page.status_code == 200
    form = next(form for target, form in page.context["forms"] if target.priority == "high")
    assert form.errors == {"resolution_value": words}
    high.refresh_from_db()
    assert (high.response_value, high.resolution_value) == before


def test_the_sla_target_service_itself_refuses_out_of_bounds(director):
    from tickets.errors import DomainError
    from tickets.models import SlaTarget
    from tickets.sla import update_sla_target

    high = SlaTarget.objects.get(priority="high")
    for value in (0, 100001):
        with pytest.raises(DomainError) as refused:
            update_sla_target(actor=director, target=high, changes={"response_value": value})
        assert refused.value.field == "response_value"
    assert update_sla_target(actor=director, target=high, changes={"response_value": 100000}).response_value == 100000


# --- open statuses: one constant on the model ------------------------------------------------


def test_every_open_status_list_is_the_models():
    from tickets import services
    from tickets.sla.breaches import RUNNING

    open_statuses = set(Ticket.OPEN_STATUSES)
    assert open_statuses == {"new", "assigned", "in_progress", "waiting"}
    assert services.TRANSITIONS["assign"][0] == open_statuses
    assert services.TRANSITIONS["resolve"][0] == open_statuses
    assert services.TRANSITIONS["close"][0] == open_statuses | {"resolved"}
    # The model's partial indexes are declared before the class exists, so they spell the
    # statuses out: they must still be the open ones (and the SLA clock's running ones).
    conditions = {index.name: dict(index.condition.children) for index in Ticket._meta.indexes if index.condition}
    assert set(conditions["ticket_open_by_priority"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_due"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_mine_first"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_oldest_first"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_unassigned"]["status__in"]) == open_statuses
    assert set(conditions["ticket_open_resolution_due"]["status__in"]) == set(RUNNING)
    assert set(conditions["ticket_awaiting_response_due"]["status__in"]) == set(RUNNING)


# --- the ranking threshold: one constant in surveys.metrics -----------------------------------


def test_the_dashboard_and_the_monthly_report_rank_from_the_same_number_of_answers():
    from surveys import metrics
    from surveys.dashboard import report

    def row(name: str, answered: int, quality: float) -> dict:
        return {
            "id": name,
            "name": name,
            "surveys_answered": answered,
            "tickets_closed": answered + 1,
            "quality_satisfaction_pct": quality,
            "timeliness_satisfaction_pct": quality,
        }

    enough = metrics.MIN_ANSWERS_TO_RANK
    rows = [row("Short", enough - 1, 10.0), row("Counted", enough, 50.0), row("Best", enough + 3, 90.0)]
    assert [r["name"] for r in rows if metrics.is_rankable(r)] == ["Counted", "Best"]
    ranked = report.rank_schools(rows)
    assert ranked["ranked_count"] == 2 and ranked["unranked_count"] == 1
    assert not hasattr(report, "MIN_ANSWERS_TO_RANK")
    from surveys.dashboard import selectors

    assert not hasattr(selectors, "MIN_ANSWERS_FOR_RANKING")


# --- the metrics' covering index holds every column SLA_MET reads ---------------------------


def _columns_read_by(condition) -> set[str]:
    from django.db.models import F, Q

    columns: set[str] = set()
    for child in condition.children:
        if isinstance(child, Q):
            columns |= _columns_read_by(child)
            continue
        lookup, value = child
        columns.add(lookup.split("__")[0])
        if isinstance(value, F):
            columns.add(value.name)
    return columns


def test_the_closed_metrics_index_covers_every_column_sla_met_reads():
    from tickets.sla.breaches import SLA_FIELDS, SLA_MET

    index = next(index for index in Ticket._meta.indexes if index.name == "ticket_closed_metrics")
    covered = {*index.fields, *index.include}
    read = _columns_read_by(SLA_MET)
    assert "sla_paused_at" in read and read == set(SLA_FIELDS)
    assert read <= covered, read - covered


# --- "an article this requester can read": one definition in tickets.kb.selectors -----------


@pytest.mark.parametrize("kind", ["draft", "staff_only"])
def test_an_article_a_requester_cannot_read_is_hidden_and_never_sent_on_any_door(kind, ticket, teacher, technician):
    from tickets.kb.selectors import articles_for_requesters, is_readable_by_requesters
    from tickets.models import Article

    hidden = Article.objects.create(
        title="Reset the switch stack",
        body="Console cable first.",
        status=Article.Status.DRAFT if kind == "draft" else Article.Status.PUBLISHED,
        audience=Article.Audience.STAFF if kind == "staff_only" else Article.Audience.EVERYONE,
    )
    readable = Article.objects.create(title="Projector lamp", body="Open the lamp door.")
    assert list(articles_for_requesters()) == [readable]
    assert [is_readable_by_requesters(a) for a in (hidden, readable)] == [False, True]
    # the knowledge base, page and API
    assert page_as(teacher).get(reverse("kb:detail", args=[hidden.pk])).status_code == 404
    assert api_as(teacher).get(f"/api/articles/{hidden.pk}/").status_code == 404
    assert [a["id"] for a in api_as(teacher).get("/api/articles/").json()["results"]] == [readable.pk]
    # resolving with it, from the ticket page, Today and the API
    data = {"resolution": "Reseated the lamp.", "self_help_article": hidden.pk}
    page = page_as(technician).post(reverse("ticket-resolve", args=[ticket.pk]), data)
    assert page.status_code == 200 and "self_help_article" in page.context["resolve_form"].errors
    page_as(technician).post(reverse("today_resolve", args=[ticket.pk]), data)
    response = api_as(technician).post(f"/api/tickets/{ticket.pk}/resolve/", data, format="json")
    assert response.status_code == 400 and list(response.json()) == ["self_help_article"]
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.self_help_article is None
    response = api_as(technician).post(
        f"/api/tickets/{ticket.pk}/resolve/", {**data, "self_help_article": readable.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["self_help_article"] == readable.pk


# --- a campus contact acts for their school: one rule (schools.roles.is_campus_contact) -------------


def test_the_campus_contact_rule_and_its_query_agree(school, teacher, other_teacher):
    from schools.roles import is_campus_contact, schools_contacted_by

    other_school = factories.SchoolFactory(campus_contact=teacher)
    school.campus_contact = other_teacher
    school.save()
    for user in (teacher, other_teacher):
        for each in (school, other_school):
            assert is_campus_contact(user, each) == schools_contacted_by(user).filter(pk=each.pk).exists()


def test_page_and_api_let_the_campus_contact_see_and_answer_their_schools_tickets_and_nobody_else(
    ticket, other_teacher
):
    """`other_teacher` teaches at the ticket's school but filed nothing: only as its campus
    contact may they read and answer the ticket, on the page and through the API alike."""
    page, api = page_as(other_teacher), api_as(other_teacher)
    detail, reply = reverse("ticket-detail", args=[ticket.pk]), reverse("ticket-comment", args=[ticket.pk])

    assert page.get(detail).status_code == 404
    assert api.get(f"/api/tickets/{ticket.pk}/").status_code == 404
    assert ticket.pk not in [row["id"] for row in api.get("/api/tickets/").json()["results"]]

    ticket.school.campus_contact = other_teacher
    ticket.school.save()
    # Each request reads its user's roles afresh (a signed-in session or a token loads the user);
    # the API test client hands over one object, so it is told to read them again.
    forget_roles(other_teacher)
    assert page.get(detail).status_code == 200
    assert api.get(f"/api/tickets/{ticket.pk}/").status_code == 200
    assert ticket.pk in [row["id"] for row in api.get("/api/tickets/").json()["results"]]
    page.post(reply, {"body": "The lamp light is orange."})
    api.post(f"/api/tickets/{ticket.pk}/comments/", {"body": "Still orange."}, format="json")
    assert list(ticket.comments.values_list("body", flat=True).order_by("pk")) == [
        "The lamp light is orange.",
        "Still orange.",
    ]


def test_a_campus_contact_files_for_their_school_and_nobody_else_for_a_school_not_theirs(teacher, category):
    elsewhere = factories.SchoolFactory()
    response = api_as(teacher).post("/api/tickets/", api_filing(category, school=elsewhere.pk), format="json")
    assert response.status_code == 400 and list(response.json()) == ["school"]
    elsewhere.campus_contact = teacher
    elsewhere.save()
    response = api_as(teacher).post("/api/tickets/", api_filing(category, school=elsewhere.pk), format="json")
    assert response.status_code == 201
    assert Ticket.objects.get().school == elsewhere
