"""From the closing email's link to the thank-you page, in headless Chromium, signed out."""

import re

import pytest
from django.core import mail

from surveys.models import SurveyResponse
from tests import factories
from tickets import services

pytestmark = pytest.mark.browser


def test_teacher_answers_the_survey_from_the_emails_rating_link(new_phone_page, live_server, settings, screenshot):
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url  # the email's links point at this test server
    teacher = factories.UserFactory(first_name="Ana", profile__school=factories.SchoolFactory())
    technician = factories.TechnicianFactory(first_name="Sam", last_name="Lee")
    ticket = factories.TicketFactory(requester=teacher, title="Projector dark in room 12")
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(
        actor=technician,
        ticket=ticket,
        resolution="Replaced the lamp.",
        self_help="Blinking orange? Ask before it dies.",
    )
    mail.outbox.clear()
    services.close_ticket(actor=teacher, ticket=ticket)  # on commit, eagerly: the survey email goes out

    [email] = [m for m in mail.outbox if m.to == [teacher.email]]
    excellent = re.search(r"5 - Excellent: (\S+)", email.body).group(1)
    assert excellent.startswith(live_server.url) and excellent.endswith("?quality=5")

    page = new_phone_page()
    page.goto(excellent)
    assert SurveyResponse.objects.count() == 0  # opening the link records nothing (mail scanners follow it)
    quality = page.get_by_role("group", name="How well was your problem solved?")
    expect(quality.get_by_label("Excellent")).to_be_checked()
    timeliness = page.get_by_role("group", name="How quickly was your request handled?")
    expect(timeliness.get_by_label("Excellent")).to_be_checked()  # one press would answer both
    timeliness.get_by_label("Good").check()
    page.get_by_role("group", name="I learned how to handle this next time").get_by_label("Yes").check()
    screenshot(page, "survey-form")
    page.get_by_role("button", name="Send my answer").click()

    expect(page.get_by_text("Blinking orange? Ask before it dies.")).to_be_visible()
    screenshot(page, "survey-thanks")
    answer = SurveyResponse.objects.get()
    assert (answer.quality, answer.timeliness, answer.learned) == (5, 4, True)


def test_a_teacher_who_taps_and_leaves_is_kept_and_one_press_answers(new_phone_page, live_server, settings):
    """Tap "Poor" in the email, leave; the director sees the survey opened but unanswered; the
    plain link later opens with "Poor" chosen for both questions; one press sends it."""
    from playwright.sync_api import expect

    settings.SITE_URL = live_server.url
    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    technician = factories.TechnicianFactory()
    ticket = factories.TicketFactory(requester=teacher, title="Printer jams")
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Cleared the rollers.")
    mail.outbox.clear()
    services.close_ticket(actor=teacher, ticket=ticket)
    [email] = [m for m in mail.outbox if m.to == [teacher.email]]
    poor = re.search(r"2 - Poor: (\S+)", email.body).group(1)
    plain = re.search(r"Or open the survey here:\n(\S+)", email.body).group(1)
    assert "one press sends it" in email.body and "two quick questions" not in email.body

    page = new_phone_page()
    with page.expect_response(lambda r: r.url.endswith("/opened/") and r.status == 204):
        page.goto(poor)
    page.goto("about:blank")  # the teacher leaves without pressing anything
    invitation = ticket.survey_invitation
    invitation.refresh_from_db()
    assert invitation.landed_at is not None and invitation.tapped_quality == 2
    assert not SurveyResponse.objects.exists()

    page.goto(plain)
    for question in ("How well was your problem solved?", "How quickly was your request handled?"):
        expect(page.get_by_role("group", name=question).get_by_label("Poor", exact=True)).to_be_checked()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Thank you for your answer")).to_be_visible()
    answer = SurveyResponse.objects.get()
    assert (answer.quality, answer.timeliness, answer.learned) == (2, 2, None)
