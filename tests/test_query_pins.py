# ruff: noqa: F811 - the district fixture of test_query_counts is imported by name, then requested as an argument
"""The exact queries of the hot pages, each one named.

The pages people open all day (the start pages, the queue, the ticket page, Today, the
dashboard) are pinned to their query count, with a comment naming every query in the
order it runs, so a change that adds one fails here and says which page grew. That the
counts do not grow with the data is tests/test_query_counts.py's job, on the same
district; the API's list and detail are pinned in tests/tickets/test_list_api.py.

Each page is requested once before counting: the first request of a process also reads
the district calendar and the SLA targets, which are then kept. The cache is in memory,
so only the database's queries are counted whatever backend the settings choose.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from schools.models import Visit
from tests.test_query_counts import District, district  # noqa: F401 - the fixture
from tickets.models import Ticket


@pytest.fixture(autouse=True)
def _cache_in_memory(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _warm_client(user, url: str) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(url).status_code == 200
    return client


def test_requester_start_page(district: District, django_assert_num_queries):
    client = _warm_client(district.teacher, reverse("home"))
    # 1 session, 2 user with their groups (role check), 3 the tickets they follow (read first, so
    # the list's condition is one the planner can estimate), 4 the newest requests (one more than
    # shown), 5 profile, 6 its school's rotations with technicians, 7 the next visit.
    with django_assert_num_queries(7):
        client.get(reverse("home"))


def test_new_ticket_form_for_a_requester(district: District, django_assert_num_queries):
    client = _warm_client(district.teacher, reverse("ticket-new"))
    # 1 session, 2 user with their groups, 3 profile, 4 its school's rotations with
    # technicians, 5 the next visit, 6 the categories (the select's and who handles the rest).
    with django_assert_num_queries(6):
        client.get(reverse("ticket-new"))


def test_new_ticket_form_for_staff(district: District, django_assert_num_queries):
    client = _warm_client(district.technician, reverse("ticket-new"))
    # 1 session, 2 user with their groups, 3 the categories (the select's and who handles
    # the rest), 4 the schools to file for.
    with django_assert_num_queries(4):
        client.get(reverse("ticket-new"))


def test_staff_queue_page(district: District, django_assert_num_queries):
    client = _warm_client(district.technician, reverse("ticket-list"))
    # 1 session, 2 user with their groups, 3 count, 4 the workbench's counts (mine,
    # unassigned...), 5 saved views (mine and shared), 6 7 8 the filter form's schools, queues
    # and categories (their label columns), 9 the staff, read once for the filter's assignee
    # select and the bulk form, 10 the page of tickets, mine first, with everything a row shows.
    with django_assert_num_queries(10):
        client.get(reverse("ticket-list"))


def test_requester_list_page(district: District, django_assert_num_queries):
    client = _warm_client(district.teacher, reverse("ticket-list"))
    # 1 session, 2 user with their groups, 3 the tickets they follow, 4 count (own, followed and
    # campus-contact school tickets), 5 the page.
    with django_assert_num_queries(5):
        client.get(reverse("ticket-list"))


def test_staff_ticket_page(district: District, django_assert_num_queries):
    url = reverse("ticket-detail", args=[district.ticket.pk])
    client = _warm_client(district.technician, url)
    # 1 session, 2 user with their groups, 3 the ticket with school, queue, category, people
    # joined, and whether it has files, failed emails or vendor cases (none here, so none of
    # those three is read), 4 its device (read after it, not joined: see selectors.ticket_page),
    # 5 history with actors, 6 comments with authors, 7 related tickets (same requester or
    # device), 8 staff for the assign form with the followers and who may follow (one query),
    # 9 the saved replies for the composer's picker, 10 11 12 the resolve and triage forms' and
    # the composer's articles (one read), categories and schools, 13 vendors for the repair form.
    with django_assert_num_queries(13):
        client.get(url)


def test_requester_ticket_page(district: District, django_assert_num_queries):
    url = reverse("ticket-detail", args=[district.ticket.pk])
    client = _warm_client(district.teacher, url)
    # 1 session, 2 user with their groups, 3 the tickets they follow, 4 the ticket with what it
    # shows joined (and that it has no files), 5 its device (read after it, not joined), 6 public
    # comments, 7 history, 8 the loaner lent for the device.
    with django_assert_num_queries(8):
        client.get(url)


def test_today(district: District, django_assert_num_queries):
    # A visit today whatever the weekday the suite runs on, with the ticket on it.
    visit, _ = Visit.objects.get_or_create(
        technician=district.technician, school=district.school, date=timezone.localdate()
    )
    Ticket.objects.filter(pk=district.ticket.pk).update(service_mode=Ticket.ServiceMode.ON_SITE, visit=visit)
    client = _warm_client(district.technician, reverse("today"))
    # 1 session, 2 user with their groups, 3 today's visits with schools and contacts, 4 their
    # tickets, 5 other on-site work at my schools, 6 critical on-site dispatches, 7 my remote
    # work, 8 articles for the resolve form, 9 my calendar feed, 10 the visits' maintenance tasks.
    with django_assert_num_queries(10):
        client.get(reverse("today"))


def test_dashboard(district: District, django_assert_num_queries):
    client = _warm_client(district.director, reverse("dashboard"))
    # 1 session, 2 user with their groups, 3 today's goal, 4 the district calendar (no goal
    # covers today, so the school year's bounds), 5 when the daily stats were refreshed, 6 the
    # goal of the range, 7 per school, 8 per technician, 9 per category, 10 the calendar again
    # (the term's bounds), 11 each school's top categories, 12 the trend by month, 13 by
    # priority, 14 the same period last year from the daily counters (its medians and backlog
    # are cached once warm), 15 16 17 the filter form's schools, technicians and categories,
    # 18 the follow-up list.
    with django_assert_num_queries(18):
        client.get(reverse("dashboard"))
