"""Signing in, each role's start page, the navigation, the support page and the admin."""

from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from tests.tickets.pages import (
    JARGON,
    client_for,
    visible_text,
)
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


# --- home ------------------------------------------------------------------------


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_has_labelled_fields(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label" for="id_username">' in html
    assert '<label class="form-label" for="id_password">' in html


def test_signing_in_lands_on_home(client, teacher):
    response = client.post(reverse("login"), {"username": teacher.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_logout_is_a_post(client, teacher):
    client.force_login(teacher)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_requester_home_lists_their_requests_in_plain_words(teacher, ticket, other_teacher, category):
    someone_elses = factories.TicketFactory(requester=other_teacher, category=category, title="Not mine")
    response = client_for(teacher).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert ticket.title in html
    assert someone_elses.title not in html
    assert "Received" in html
    assert reverse("ticket-new") in html
    for word in JARGON:
        assert word not in visible_text(response)


def test_campus_contact_home_shows_the_schools_requests(campus_contact, ticket):
    response = client_for(campus_contact).get(reverse("home"))
    assert ticket.title in response.content.decode()


def test_technicians_start_on_today(technician):
    response = client_for(technician).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("today")


def test_the_director_starts_on_the_dashboard(director):
    response = client_for(director).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_nav_links_by_role(teacher, technician):
    teacher_html = client_for(teacher).get(reverse("home")).content.decode()
    assert "My requests" in teacher_html and "New request" in teacher_html
    assert ">Tickets<" not in teacher_html
    staff_html = client_for(technician).get(reverse("ticket-list")).content.decode()
    assert ">Tickets<" in staff_html and "My requests" not in staff_html


# --- support and admin -------------------------------------------------------------


def test_support_page_is_public_and_complete(client):
    factories.CategoryFactory(name="Home internet", in_scope=False, responsible_party="Your internet provider")
    response = client.get(reverse("support"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Monday to Friday, 7:30 AM to 4:30 PM, on school days",
        "Times count working hours (Monday to Friday, 7:30 AM to 4:30 PM, school days)",
        "summer",
        "Personal phones",
        "Home internet",
        "Your internet provider",
        "30 minutes",
        "4 working hours",
        "8 working hours",
        "2 working days",
        "5 working days",
    ):
        assert text in html


def test_support_page_hours_come_from_the_district_calendar(client, director):
    from schools.services import update_calendar

    update_calendar(
        actor=director,
        changes={
            "weekly_hours": {str(day): ["08:00", "15:45"] for day in range(1, 5)} | {"5": ["08:00", "12:00"]},
            "summer_start": date(2027, 6, 10),
            "summer_end": date(2027, 8, 1),
            "summer_hours": {str(day): ["09:00", "13:00"] for day in range(1, 5)},
        },
    )
    html = client.get(reverse("support")).content.decode()
    assert "Monday to Thursday, 8:00 AM to 3:45 PM; Friday, 8:00 AM to 12:00 PM, on school days" in html
    assert "Summer hours: Monday to Thursday, 9:00 AM to 1:00 PM." in html
    assert "7:30" not in html
    # 24-hour times in Spanish, from the same locale formats.
    spanish = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "de 8:00 a 15:45" in spanish and "PM" not in spanish
    spanish = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "De lunes a jueves, de 8:00 a 15:45; viernes, de 8:00 a 12:00, en días de clase" in spanish


def test_support_page_shows_what_the_director_saved(client, settings):
    """Targets from the SLA targets page, the after-hours and summer policy from the calendar,
    and whom to call when signing in fails."""
    from schools.models import DistrictCalendar
    from tickets.models import SlaTarget

    SlaTarget.objects.filter(priority="critical").update(response_value=15, response_unit="minutes")
    SlaTarget.objects.filter(priority="low").update(resolution_value=1, resolution_unit="days")
    DistrictCalendar.objects.update_or_create(
        pk=1,
        defaults={
            "after_hours_policy": "Text the on-call line at 555-0199 for emergencies.",
            "summer_policy": "Closed Fridays in July.",
        },
    )
    settings.HELPDESK_CONTACT_PHONE = "(555) 010-2222"
    settings.HELPDESK_CONTACT_EMAIL = "signin@district.example"
    html = client.get(reverse("support")).content.decode()
    critical = html.split('data-label="Priority">Critical</th>')[1].split("</tr>")[0]
    assert "15 minutes" in critical and "30 minutes" not in critical
    low = html.split('data-label="Priority">Low</th>')[1].split("</tr>")[0]
    assert "1 working day<" in low
    assert "Text the on-call line at 555-0199 for emergencies." in html
    assert "Closed Fridays in July." in html
    assert "Can&#x27;t sign in?" in html or "Can't sign in?" in html
    assert 'href="tel:5550102222">(555) 010-2222</a>' in html
    assert 'href="mailto:signin@district.example"' in html


def test_admin_lists_tickets_and_events_are_read_only(ticket):
    admin_user = factories.UserFactory(is_staff=True, is_superuser=True)
    client = client_for(admin_user)
    assert client.get("/admin/tickets/ticket/").status_code == 200
    assert client.get(f"/admin/tickets/ticket/{ticket.pk}/change/").status_code == 200
    assert client.get("/admin/tickets/ticketevent/").status_code == 200
    assert client.get("/admin/tickets/ticketevent/add/").status_code == 403
    event = TicketEvent.objects.filter(ticket=ticket).first()
    assert client.post(f"/admin/tickets/ticketevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TicketEvent.objects.filter(pk=event.pk).exists()
    assert client.get("/admin/notifications/outboundemail/").status_code == 200


def test_support_policies_read_in_spanish_with_english_when_empty(client, director):
    from schools.services import update_calendar

    update_calendar(
        actor=director,
        changes={
            "after_hours_policy": "Call the office.",
            "after_hours_policy_es": "Llame a la oficina.",
            "summer_policy": "Shorter hours.",
            "summer_policy_es": "",
        },
    )
    spanish = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Llame a la oficina." in spanish and "Call the office." not in spanish
    assert "Shorter hours." in spanish  # no Spanish text: the English one
    english = client.get(reverse("support"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Call the office." in english and "Llame a la oficina." not in english
