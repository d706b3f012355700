"""The core journey in a real browser, on a phone-sized screen:
a teacher files a request, a technician takes it, replies and resolves it with a
tip, and the teacher reads the reply and confirms the fix."""

import re

import pytest

from tests import factories
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_teacher_files_technician_resolves_teacher_confirms(new_phone_page, screenshot):
    from playwright.sync_api import expect

    school = factories.SchoolFactory(name="Jefferson Elementary")
    category = factories.CategoryFactory(name="Projector or display")
    factories.CategoryFactory(name="Home internet", in_scope=False, guidance="Call your internet provider.")
    teacher = factories.UserFactory(first_name="Ana", last_name="Ruiz", profile__school=school)
    technician = factories.TechnicianFactory(first_name="Sam", last_name="Lee")

    # The teacher signs in and files a request.
    teacher_page = new_phone_page()
    sign_in(teacher_page, teacher)
    expect(teacher_page.get_by_role("heading", name="My requests")).to_be_visible()
    screenshot(teacher_page, "01-teacher-home")
    teacher_page.get_by_role("link", name="New request").click()
    teacher_page.get_by_label("What's wrong?").fill("Projector in room 12 won't turn on")
    teacher_page.get_by_label("Tell us what happened").fill("The lamp light blinks orange and nothing shows.")
    teacher_page.get_by_label("What is it about?").select_option(label=category.name)
    teacher_page.get_by_label("My class or the school can't work").check()
    teacher_page.get_by_label("Today or tomorrow").check()
    screenshot(teacher_page, "02-new-request-form")
    teacher_page.get_by_role("button", name="Send request").click()
    expect(teacher_page.get_by_text(re.compile(r"We got it — request #\d+"))).to_be_visible()
    expect(teacher_page.locator(".status-badge")).to_have_text("Received")
    screenshot(teacher_page, "03-request-filed")
    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.school, ticket.priority) == (teacher, school, "high")

    # A technician signs in, lands on Today, opens the queue, takes it, replies and resolves it.
    tech_page = new_phone_page()
    sign_in(tech_page, technician)
    expect(tech_page).to_have_url(re.compile(r"/today/$"))
    tech_page.get_by_role("button", name="Menu").click()
    tech_page.get_by_role("link", name="Tickets", exact=True).click()
    expect(tech_page).to_have_url(re.compile(r"/tickets/\?open=true&ordering=-priority$"))
    screenshot(tech_page, "04-technician-queue")
    tech_page.get_by_role("link", name=ticket.title).click()
    expect(tech_page.get_by_role("heading", name="Requester")).to_be_visible()
    tech_page.get_by_label("Technician").select_option(str(technician.pk))
    tech_page.get_by_role("button", name="Assign", exact=True).click()
    expect(tech_page.get_by_text("Assigned to Sam Lee.")).to_be_visible()
    tech_page.get_by_label("Your reply to Ana").fill("Hi Ana, the lamp is worn out. I'll bring a new one at 10.")
    tech_page.get_by_role("button", name="Send to Ana").click()
    expect(tech_page.get_by_text("Reply sent.")).to_be_visible()
    tech_page.locator("summary", has_text="Resolve").click()
    resolve = tech_page.locator(".action-resolve")
    resolve.get_by_label("How was it fixed?").fill("Replaced the projector lamp.")
    resolve.get_by_label("How can they fix it themselves next time?").fill(
        "If the light blinks orange, the lamp is due: send a request before it goes out."
    )
    screenshot(tech_page, "05-technician-resolving")
    tech_page.get_by_role("button", name="Mark fixed").click()
    expect(tech_page.get_by_text("Marked as fixed.")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == ("resolved", technician)

    # The teacher sees the reply and the tip, and confirms the fix.
    teacher_page.reload()
    expect(teacher_page.get_by_text("the lamp is worn out")).to_be_visible()
    expect(teacher_page.get_by_text("If the light blinks orange")).to_be_visible()
    expect(teacher_page.locator(".status-badge")).to_have_text("Fixed — please confirm")
    screenshot(teacher_page, "06-teacher-confirms")
    teacher_page.get_by_role("button", name="Yes, it's fixed").click()
    expect(teacher_page.get_by_text("Thanks for confirming.")).to_be_visible()
    expect(teacher_page.locator(".status-badge")).to_have_text("Closed")
    screenshot(teacher_page, "07-closed")
    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_keyboard_focus_is_visible_and_pages_fit_a_phone(new_phone_page, screenshot):
    from playwright.sync_api import expect

    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    factories.CategoryFactory(name="Laptop")
    page = new_phone_page()
    page.goto("/support/")
    # The first Tab reaches the skip link, the next ones the page's controls; each shows a focus ring.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Tab")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")
    page.goto("/accounts/login/")
    expect(page.get_by_label("Username")).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") not in ("", "none")
    sign_in(page, teacher)
    for path in ("/", "/tickets/", "/tickets/new/", "/support/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone"
    screenshot(page, "08-support-on-phone")
