"""The odd inputs the probe found answering 500 (issue 15, item 7), each now a clean 400/404
or a normal page. `test_hostile_values_everywhere.py` sends the same kinds of values into
every route; these name each case the issue lists.
"""

import pytest
from django.test import Client

from schools.models import CalendarFeed
from tests import factories
from tickets import services, vendors
from tickets.models import Ticket, Vendor

pytestmark = pytest.mark.django_db

HUGE_PAGE = "9223372036854775807"
API_LISTS = [
    "/api/tickets/",
    "/api/schools/",
    "/api/queues/",
    "/api/categories/",
    "/api/rotations/",
    "/api/visits/",
    "/api/closures/",
    "/api/articles/",
    "/api/sla-targets/",
    "/api/surveys/responses/",
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_nul_byte_in_a_calendar_feed_url_is_404_for_anyone(technician):
    CalendarFeed.objects.create(user=technician)
    assert Client().get("/calendar/abc%00def.ics").status_code == 404


@pytest.mark.parametrize("path", ["/tickets/", *API_LISTS])
def test_a_page_number_past_64_bits_is_404_or_an_empty_page(path, director, ticket):
    response = signed_in(director).get(path, {"page": HUGE_PAGE})
    assert response.status_code in (200, 404), response.status_code


def test_the_queue_page_past_its_end_shows_the_last_page(director, ticket):
    response = signed_in(director).get("/tickets/", {"page": HUGE_PAGE})
    assert response.status_code == 200
    assert ticket.title in response.content.decode()


@pytest.mark.parametrize("path", ["/tickets/", "/api/tickets/", "/api/articles/", "/kb/"])
def test_a_superscript_digit_in_search_is_searched_not_a_500(path, director, ticket):
    assert signed_in(director).get(path, {"search": "²", "q": "²"}).status_code == 200
    assert signed_in(director).get(path, {"search": "#99999999999999999999"}).status_code == 200


def test_a_300_character_username_for_a_token_is_400():
    response = Client().post(
        "/api/auth/token/", {"username": "u" * 300, "password": "x"}, content_type="application/json"
    )
    assert response.status_code == 400


def test_deeply_nested_json_is_400(teacher):
    body = "[" * 100_000 + "]" * 100_000
    response = signed_in(teacher).post("/api/tickets/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]
    assert Client().post("/api/auth/token/", body, content_type="application/json").status_code == 400


def test_an_infinite_number_where_an_integer_is_expected_is_400(teacher, category):
    body = '{"title": "Wi-Fi", "description": "Drops", "category": 1e999999, "impact": "low", "urgency": "low"}'
    response = signed_in(teacher).post("/api/tickets/", body, content_type="application/json")
    assert response.status_code == 400
    assert not Ticket.objects.filter(title="Wi-Fi").exists()


DATE_FILTERS = [
    "/api/metrics/summary/",
    "/api/metrics/breakdown/?by=school",
    "/api/metrics/trend/?interval=month",
    "/api/metrics/timeseries/?interval=week",
    "/api/surveys/responses/",
    "/dashboard/",
    "/dashboard/export.csv?breakdown=school",
    "/surveys/responses.csv",
]


@pytest.mark.parametrize("path", DATE_FILTERS)
@pytest.mark.parametrize(
    "dates",
    [
        {"date_from": "2020-01-01", "date_to": "9999-12-31"},
        {"date_from": "0001-01-01", "date_to": "2020-01-01"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"period": "custom", "date_from": "0001-01-01", "date_to": "9999-12-31"},
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_a_400_in_every_date_filter(path, dates, director):
    client = signed_in(director)
    client.raise_request_exception = True
    separator = "&" if "?" in path else "?"
    query = "&".join(f"{key}={value}" for key, value in dates.items())
    response = client.get(f"{path}{separator}{query}")
    if response.streaming:  # the CSV export used to break off mid-download
        b"".join(response.streaming_content)
    assert response.status_code == 400, response.status_code


def test_deleting_a_school_queue_or_category_that_tickets_name_is_400(director, ticket):
    client = signed_in(director)
    assert client.delete(f"/api/schools/{ticket.school_id}/").status_code == 400
    assert client.delete(f"/api/categories/{ticket.category_id}/").status_code in (400, 405)
    assert client.delete(f"/api/queues/{ticket.queue_id}/").status_code in (400, 405)
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_a_nul_byte_in_the_vendor_return_note_is_a_message(technician, ticket):
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.start_ticket(actor=technician, ticket=ticket)
    case = vendors.escalate_to_vendor(
        actor=technician, ticket=ticket, vendor=Vendor.objects.create(name="Acme"), case_number="RMA-9"
    )
    client = signed_in(technician)
    response = client.post(f"/vendor-cases/{case.pk}/returned/", {"note": "back\x00today"}, follow=True)
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    case.refresh_from_db()
    assert case.returned_at is None


def test_a_nul_byte_in_the_today_resolve_box_is_a_message(technician, teacher, category):
    ticket = factories.TicketFactory(requester=teacher, category=category)
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    response = signed_in(technician).post(
        f"/today/tickets/{ticket.pk}/resolve/", {"resolution": "Swapped\x00the cable"}, follow=True
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status != Ticket.Status.RESOLVED
