"""A technician's Today page in headless Chromium: today's school, its on-site work, one-click actions."""

import re

import pytest
from django.utils import timezone

from schools.models import Visit
from tests import factories
from tickets.models import Ticket

pytestmark = pytest.mark.browser


def test_technician_works_todays_visit_from_the_today_page(new_phone_page, screenshot):
    from playwright.sync_api import expect

    school = factories.SchoolFactory(name="Roosevelt Middle", address="12 Elm St")
    technician = factories.TechnicianFactory(first_name="Sam", last_name="Lee")
    teacher = factories.UserFactory(profile__school=school)
    visit = Visit.objects.create(technician=technician, school=school, date=timezone.localdate())
    urgent, routine = (
        factories.TicketFactory(requester=teacher, title=title, impact=impact, urgency="medium", service_mode="on_site")
        for title, impact in (("Cart of laptops will not charge", "high"), ("Label printer smudges", "low"))
    )
    Ticket.objects.filter(pk__in=[urgent.pk, routine.pk]).update(visit=visit, assignee=technician, status="assigned")

    page = new_phone_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(technician.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(page.get_by_text("Roosevelt Middle").first).to_be_visible()
    rows = page.get_by_test_id("onsite-ticket")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Cart of laptops")  # higher priority first
    screenshot(page, "today-before")

    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("button", name="Check in")).to_have_count(0)
    page.get_by_role("button", name=f"Start #{urgent.pk}").click()
    page.get_by_label("How it was fixed").first.fill("Replaced the charging cart's breaker.")
    page.get_by_role("button", name=f"Resolve #{urgent.pk}").click()
    expect(page.get_by_test_id("onsite-ticket")).to_have_count(1)
    screenshot(page, "today-after")

    urgent.refresh_from_db()
    visit.refresh_from_db()
    assert urgent.status == "resolved" and urgent.resolution == "Replaced the charging cart's breaker."
    assert visit.checked_in_at is not None
