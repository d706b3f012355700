"""The director's calendar editor, and each technician's iCalendar feed of visits."""

from datetime import date

import pytest

from schools import services
from schools.models import CalendarFeed, Closure
from tests import factories
from tests.schools.views_helpers import logged_in

pytestmark = pytest.mark.django_db


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
