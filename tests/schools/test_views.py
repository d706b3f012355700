"""Pages: Today, rotations, coverage, the calendar editor, the visits feed, the partials."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from schools import services
from schools.models import Visit
from tests import factories
from tests.schools.views_helpers import logged_in
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
