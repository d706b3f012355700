"""Pages: Today, rotations, coverage, the calendar editor, the visits feed, the partials."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from schools import services
from schools.models import CalendarFeed, Closure, Rotation, Visit
from tests import factories
from tickets import services as ticket_services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit_today(director, technician, school):
    """A rotation that visits the school every day, so there is a visit today whatever the date."""
    today = timezone.localdate()
    services.create_rotation(
        actor=director,
        technician=technician,
        school=school,
        weekdays=[1, 2, 3, 4, 5, 6, 7],
        start_date=today,
        today=today,
    )
    return Visit.objects.get(school=school, date=today)


def onsite(teacher, category, **kwargs):
    ticket = factories.TicketFactory(requester=teacher, category=category, service_mode="on_site", **kwargs)
    ticket.refresh_from_db()
    return ticket


def logged_in(client, user):
    client.force_login(user)
    return client


# --- Today ---


def test_today_is_404_for_requesters_and_asks_strangers_to_sign_in(client, teacher):
    assert client.get("/today/").status_code == 302
    assert logged_in(client, teacher).get("/today/").status_code == 404


def test_today_lists_the_visit_and_its_tickets_by_priority(client, technician, teacher, category, visit_today, school):
    school.campus_contact = teacher
    school.save()
    low = onsite(teacher, category, impact="low", urgency="low")
    high = onsite(teacher, category, impact="medium", urgency="high")
    assert low.visit == visit_today == high.visit
    page = logged_in(client, technician).get("/today/").content.decode()
    assert school.name in page and school.address in page
    assert teacher.email in page  # the campus contact
    assert page.index(high.title) < page.index(low.title)


def test_today_shows_critical_on_site_tickets_to_dispatch(client, technician, teacher, category, visit_today):
    critical = onsite(teacher, category, impact="high", urgency="high")
    page = logged_in(client, technician).get("/today/").content.decode()
    assert "Dispatch now" in page and critical.title in page


def test_start_and_resolve_from_today(client, technician, teacher, category, visit_today):
    ticket = onsite(teacher, category)
    client = logged_in(client, technician)
    assert client.post(f"/today/tickets/{ticket.pk}/start/").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS
    client.post(f"/today/tickets/{ticket.pk}/resolve/", {"resolution": ""})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.IN_PROGRESS  # a resolution is required
    client.post(f"/today/tickets/{ticket.pk}/resolve/", {"resolution": "Reseated the cable"})
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED


def test_requesters_cannot_post_today_actions(client, teacher, category, visit_today):
    ticket = onsite(teacher, category)
    client = logged_in(client, teacher)
    assert client.post(f"/today/tickets/{ticket.pk}/start/").status_code == 404
    assert client.post(f"/today/visits/{visit_today.pk}/complete/").status_code == 404


def test_check_in_then_complete_rolls_unfinished_tickets(client, technician, teacher, category, visit_today):
    ticket = onsite(teacher, category)
    client = logged_in(client, technician)
    client.post(f"/today/visits/{visit_today.pk}/check-in/")
    visit_today.refresh_from_db()
    assert visit_today.checked_in_at is not None
    client.post(f"/today/visits/{visit_today.pk}/complete/")
    visit_today.refresh_from_db()
    ticket.refresh_from_db()
    assert visit_today.status == Visit.Status.DONE
    # The school's next visit: tomorrow, or Monday from a Friday (visits fall on school days).
    next_visit = Visit.objects.filter(school=visit_today.school, date__gt=visit_today.date).order_by("date").first()
    assert next_visit is not None and ticket.visit == next_visit
    assert next_visit.date - visit_today.date <= timedelta(days=3)
    response = client.post(f"/today/visits/{visit_today.pk}/complete/", follow=True)
    assert "already finished" in response.content.decode()


def test_today_query_count_does_not_grow_with_tickets(
    client, technician, teacher, category, visit_today, django_assert_max_num_queries
):
    client = logged_in(client, technician)
    onsite(teacher, category)
    client.get("/today/")  # the feed row is created on first visit
    with django_assert_max_num_queries(12) as one:
        client.get("/today/")
    for _ in range(6):
        onsite(teacher, category)
        ticket_services.assign_ticket(
            actor=technician, ticket=factories.TicketFactory(requester=teacher), assignee=technician
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/today/")


def _my_school(director, technician):
    """A school this technician rotates to on Mondays only, so nothing files onto today's visit."""
    school = factories.SchoolFactory()
    today = timezone.localdate()
    services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[1], start_date=today, today=today
    )
    return school


def test_today_lists_every_open_on_site_ticket_of_my_schools_grouped_by_visit_and_priority(
    client, director, technician, category, visit_today, school
):
    mine = _my_school(director, technician)
    requester = factories.UserFactory(profile__school=mine)
    low = onsite(requester, category, impact="low", urgency="low")
    high = onsite(requester, category, impact="high", urgency="medium")
    later = onsite(requester, category)
    remote = factories.TicketFactory(requester=requester, category=category, service_mode="remote")
    done = onsite(requester, category)
    ticket_services.close_ticket(actor=technician, ticket=done)
    stranger = onsite(factories.UserFactory(profile__school=factories.SchoolFactory()), category)
    on_todays_visit = onsite(factories.UserFactory(profile__school=school), category)
    next_week = Visit.objects.create(technician=technician, school=mine, date=timezone.localdate() + timedelta(days=7))
    Ticket.objects.filter(pk__in=[low.pk, high.pk, stranger.pk]).update(visit=None)
    Ticket.objects.filter(pk=later.pk).update(visit=next_week)

    response = logged_in(client, technician).get("/today/")
    page = response.content.decode()

    groups = response.context["on_site_groups"]
    assert [group.visit for group in groups] == [None, next_week]
    assert [t.pk for t in groups[0].tickets] == [high.pk, low.pk]  # by priority
    assert [t.pk for t in groups[1].tickets] == [later.pk]
    assert "Not yet scheduled" in page
    assert page.index(high.title) < page.index(low.title) < page.index(later.title)
    listed = {t.pk for group in groups for t in group.tickets}
    assert not listed & {remote.pk, done.pk, stranger.pk, on_todays_visit.pk}
    assert stranger.title not in page and done.title not in page
    # A ticket on today's visit shows once, with its visit.
    assert page.count(f"#{on_todays_visit.pk} ") == 1
    assert on_todays_visit.visit == visit_today


def test_todays_quick_resolve_offers_the_next_time_tip_and_article(client, director, technician, category, visit_today):
    from tickets.kb import services as kb_services

    article = kb_services.create_article(actor=technician, title="Reset the projector lamp", body="Hold Menu.")
    draft = kb_services.create_article(actor=technician, title="Unfinished draft", body="x", status="draft")
    mine = _my_school(director, technician)
    ticket = onsite(factories.UserFactory(profile__school=mine), category)
    Ticket.objects.filter(pk=ticket.pk).update(visit=None)
    client = logged_in(client, technician)
    page = client.get("/today/").content.decode()
    assert f'id="self-help-{ticket.pk}" name="self_help"' in page
    assert f'id="self-help-article-{ticket.pk}" name="self_help_article"' in page
    assert f'<option value="{article.pk}">Reset the projector lamp</option>' in page
    assert draft.title not in page  # only what a requester may read, as on the ticket page

    client.post(
        f"/today/tickets/{ticket.pk}/resolve/",
        {"resolution": "New lamp.", "self_help": "Hold Menu for five seconds.", "self_help_article": article.pk},
    )
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED
    assert ticket.self_help == "Hold Menu for five seconds." and ticket.self_help_article == article


def test_today_queries_stay_flat_with_more_school_tickets_visits_and_articles(
    client, director, technician, category, visit_today, django_assert_num_queries
):
    from tickets.kb import services as kb_services

    mine = _my_school(director, technician)
    requester = factories.UserFactory(profile__school=mine)
    kb_services.create_article(actor=technician, title="Tip 0", body="x")
    Ticket.objects.filter(pk=onsite(requester, category).pk).update(visit=None)
    client = logged_in(client, technician)
    client.get("/today/")  # the feed row is created on first visit
    with CaptureQueriesContext(connection) as one:
        client.get("/today/")
    with_one = len(one)  # now: the next request empties the log it reads
    for n in range(1, 6):
        kb_services.create_article(actor=technician, title=f"Tip {n}", body="x")
        colleague = factories.TechnicianFactory()
        visit = Visit.objects.create(technician=colleague, school=mine, date=timezone.localdate() + timedelta(days=n))
        Ticket.objects.filter(pk=onsite(requester, category).pk).update(visit=visit)
        Ticket.objects.filter(pk=onsite(requester, category).pk).update(visit=None)
    response = client.get("/today/")
    assert len(response.context["on_site_groups"]) == 6
    with django_assert_num_queries(with_one):
        client.get("/today/")


# --- rotations, coverage ---


def test_rotations_page_for_each_role(client, teacher, technician, director, school):
    assert logged_in(client, teacher).get("/rotations/").status_code == 404
    page = logged_in(client, technician).get("/rotations/")
    assert page.status_code == 200 and b"Add a rotation" not in page.content
    client = logged_in(client, director)
    payload = {
        "technician": technician.pk,
        "school": school.pk,
        "weekdays": ["2"],
        "every_n_weeks": "2",
        "start_date": timezone.localdate().isoformat(),
    }
    assert client.post("/rotations/", payload).status_code == 302
    rotation = Rotation.objects.get()
    assert rotation.weekdays == [2] and rotation.every_n_weeks == 2
    assert b"Tuesdays every 2 weeks" in client.get("/rotations/").content


def test_rotation_form_errors_are_shown_not_500(client, director, technician, school):
    client = logged_in(client, director)
    response = client.post(
        "/rotations/",
        {"technician": technician.pk, "school": school.pk, "weekdays": [], "every_n_weeks": "0", "start_date": "x"},
    )
    assert response.status_code == 200 and not Rotation.objects.exists()


def test_technician_cannot_post_rotations(client, technician, school):
    response = logged_in(client, technician).post("/rotations/", {"technician": technician.pk})
    assert response.status_code == 404


def test_edit_and_end_a_rotation(client, director, technician, school):
    rotation = services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[2], start_date=timezone.localdate()
    )
    client = logged_in(client, director)
    payload = {
        "technician": technician.pk,
        "school": school.pk,
        "weekdays": ["5"],
        "every_n_weeks": "1",
        "start_date": rotation.start_date.isoformat(),
    }
    assert client.post(f"/rotations/{rotation.pk}/edit/", payload).status_code == 302
    future = Visit.objects.filter(school=school, date__gt=timezone.localdate())
    assert {v.date.isoweekday() for v in future} == {5}
    assert client.post(f"/rotations/{rotation.pk}/delete/").status_code == 302
    assert not Rotation.objects.exists()


def test_coverage_flags_schools_without_visits_in_words(
    client, director, technician, school, django_assert_num_queries
):
    factories.SchoolFactory(name="Forgotten Elementary")
    services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[1, 3], start_date=timezone.localdate()
    )
    client = logged_in(client, director)
    client.get("/rotations/coverage/")
    with django_assert_num_queries(4):  # 1 session, 2 user with their groups, 3 schools, 4 visits with technicians
        page = client.get("/rotations/coverage/").content.decode()
    assert "Forgotten Elementary" in page and "No visit planned" in page
    assert "1 school has no visit planned" in page


# --- calendar editor ---


def test_calendar_editor_is_the_directors(client, technician):
    assert logged_in(client, technician).get("/calendar/").status_code == 404


def test_director_saves_hours_and_policies(client, director):
    client = logged_in(client, director)
    assert client.get("/calendar/").status_code == 200
    data = {
        "action": "save",
        "weekly_hours_1_opens": "08:00",
        "weekly_hours_1_closes": "16:00",
        "summer_hours_2_opens": "09:00",
        "summer_hours_2_closes": "12:00",
        "summer_start": "2027-06-10",
        "summer_end": "2027-08-10",
        "after_hours_policy": "Call the office.",
        "summer_policy": "Short hours.",
        "sla_warning_minutes": "45",
        "visit_horizon_weeks": "10",
        "school_year_start_month": "7",
    }
    assert client.post("/calendar/", data).status_code == 302
    from schools.calendar import get_calendar

    row = get_calendar()
    assert row.weekly_hours == {"1": ["08:00", "16:00"]}
    assert row.summer_hours == {"2": ["09:00", "12:00"]}
    assert row.after_hours_policy == "Call the office." and row.sla_warning_minutes == 45
    assert row.school_year_start_month == 7  # the page door to the school year setting
    bad = client.post("/calendar/", {**data, "weekly_hours_1_closes": "07:00"})
    assert bad.status_code == 200 and "opening time before the closing time" in bad.content.decode()


def test_director_adds_closures_and_loads_federal_holidays(client, director):
    client = logged_in(client, director)
    client.post(
        "/calendar/",
        {
            "action": "closure",
            "name": "Spring break",
            "kind": "break",
            "start_date": "2027-03-15",
            "end_date": "2027-03-19",
        },
    )
    assert Closure.objects.filter(name="Spring break").exists()
    client.post("/calendar/", {"action": "federal"})
    assert Closure.objects.filter(federal=True).count() >= 10
    closure = Closure.objects.get(name="Spring break")
    client.post(f"/calendar/closures/{closure.pk}/delete/")
    assert not Closure.objects.filter(name="Spring break").exists()


# --- iCalendar feed ---


def test_visits_feed_is_valid_icalendar(client, director, technician):
    school = factories.SchoolFactory(name="St. Mary's, North; Campus")
    services.create_rotation(
        actor=director,
        technician=technician,
        school=school,
        weekdays=[2],
        start_date=date(2026, 11, 2),
        today=date(2026, 11, 2),
    )
    token = services.feed_for(technician).token
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20261103\r\n" in body
    assert "SUMMARY:Visit: St. Mary's\\, North\\; Campus\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_feed_tokens_are_long_and_unknown_ones_are_404(client, technician):
    assert len(services.feed_for(technician).token) >= 43  # 256 bits, base64url
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_resetting_the_feed_breaks_the_old_link(client, technician):
    old = services.feed_for(technician).token
    logged_in(client, technician).post("/calendar/feed/reset/", {"next": "https://evil.example/"})
    assert CalendarFeed.objects.get(user=technician).token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404


# --- partials for other pages ---


def test_next_visit_line_for_requesters(director, technician, school):
    technician.first_name, technician.last_name = "Ana", "Ruiz"
    technician.save()
    services.create_rotation(
        actor=director, technician=technician, school=school, weekdays=[2], start_date=timezone.localdate()
    )
    html = Template("{% load schools_tags %}{% next_visit school %}").render(Context({"school": school}))
    assert "Your school's technician, Ana Ruiz, visits on Tuesdays." in html
    assert "Next visit Tue" in html


def test_next_visit_line_is_empty_without_a_rotation(school):
    assert Template("{% load schools_tags %}{% next_visit school %}").render(Context({"school": school})).strip() == ""


@pytest.mark.parametrize(
    ("status", "due_in", "expected"),
    [
        ("assigned", timedelta(hours=-1), "Reply overdue"),
        ("assigned", timedelta(minutes=30), "Reply due"),
        ("assigned", timedelta(days=2), "Reply by"),
        ("waiting", timedelta(hours=-1), "Clock paused"),
        ("resolved", timedelta(hours=-1), ""),
    ],
)
def test_sla_badge_states(status, due_in, expected):
    ticket = Ticket(status=status, response_due_at=timezone.now() + due_in)
    html = Template("{% load sla_tags %}{% sla_badge ticket %}").render(Context({"ticket": ticket})).strip()
    assert (expected in html) if expected else html == ""


# 15:30 UTC on Tuesday 24 Nov 2026 is 09:30 in the district (America/Chicago).
DUE = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fields", "now", "expected"),
    [
        (
            {"status": "assigned", "response_due_at": DUE},
            DUE + timedelta(minutes=1),
            '<span class="badge text-bg-danger" title="Tue Nov 24, 9:30 AM">Reply overdue</span>',
        ),
        (
            {"status": "in_progress", "first_response_at": DUE, "resolution_due_at": DUE},
            DUE + timedelta(minutes=1),
            '<span class="badge text-bg-danger" title="Tue Nov 24, 9:30 AM">Overdue</span>',
        ),
        (
            {"status": "assigned", "response_due_at": DUE},
            DUE - timedelta(hours=1),
            '<span class="badge text-bg-warning" title="Tue Nov 24, 9:30 AM">Reply due 9:30 AM</span>',
        ),
        (
            {"status": "in_progress", "first_response_at": DUE, "resolution_due_at": DUE},
            DUE - timedelta(hours=1),
            '<span class="badge text-bg-warning" title="Tue Nov 24, 9:30 AM">Due 9:30 AM</span>',
        ),
        (
            {"status": "new", "response_due_at": DUE},
            DUE - timedelta(days=2),
            '<span class="badge text-bg-light border" title="Tue Nov 24, 9:30 AM">Reply by Tue Nov 24 9:30 AM</span>',
        ),
        (
            {"status": "in_progress", "first_response_at": DUE, "resolution_due_at": DUE},
            DUE - timedelta(days=2),
            '<span class="badge text-bg-light border" title="Tue Nov 24, 9:30 AM">Due Tue Nov 24 9:30 AM</span>',
        ),
        (
            {"status": "waiting", "response_due_at": DUE},
            DUE,
            '<span class="badge text-bg-secondary">Clock paused</span>',
        ),
        ({"status": "new"}, DUE, ""),
    ],
)
def test_sla_badge_markup_in_district_time(fields, now, expected, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: now)
    html = Template("{% load sla_tags %}{% sla_badge ticket %}").render(Context({"ticket": Ticket(**fields)}))
    assert html == expected


def test_sla_badge_speaks_spanish(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: DUE - timedelta(days=2))
    ticket = Ticket(status="new", response_due_at=DUE)
    with translation.override("es"):
        html = Template("{% load sla_tags %}{% sla_badge ticket %}").render(Context({"ticket": ticket}))
    assert (
        html
        == '<span class="badge text-bg-light border" title="mar 24 nov., 9:30">Responder antes del mar 24 nov. 9:30</span>'
    )
