"""The director's dashboard in headless Chromium: the charts draw from the page's data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.dashboard import rollup
from surveys.models import SurveyInvitation, SurveyResponse
from tests import factories
from tickets.models import Ticket

pytestmark = pytest.mark.browser


@pytest.fixture
def director_page(new_phone_page):
    director = factories.DirectorFactory()
    technician = factories.TechnicianFactory()
    school = factories.SchoolFactory(name="<script>window.pwned=1</script> Elementary")
    requester = factories.UserFactory(profile__school=school)
    now = timezone.now()
    for days, quality in ((40, 5), (20, 4), (10, 2), (3, 5)):
        ticket = factories.TicketFactory(requester=requester)
        closed = now - timedelta(days=days)
        Ticket.objects.filter(pk=ticket.pk).update(
            status="closed",
            assignee=technician,
            created_at=closed - timedelta(hours=5),
            first_response_at=closed - timedelta(hours=4),
            resolved_at=closed - timedelta(hours=1),
            closed_at=closed,
            service_mode="remote",
        )
        invitation = SurveyInvitation.objects.create(ticket=ticket, token=f"t{days}", email="a@b.c", sent_at=closed)
        SurveyResponse.objects.create(invitation=invitation, ticket=ticket, quality=quality, timeliness=quality)
    rollup.rebuild_daily_stats(timezone.localdate(now) - timedelta(days=60), timezone.localdate(now))
    page = new_phone_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(director.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/dashboard/?period=last_30&interval=week")
    return page


def test_dashboard_draws_every_chart_and_keeps_the_numbers_in_tables(director_page, screenshot):
    page = director_page
    for chart in ("chart-satisfaction", "chart-volume", "chart-backlog", "chart-sla"):
        canvas = page.locator(f"#{chart}")
        canvas.wait_for()
        page.wait_for_function(f"document.getElementById('{chart}').dataset.chartDrawn === 'true'")
        assert page.evaluate(f"!!window.Chart.getChart(document.getElementById('{chart}'))")
        assert page.evaluate(f"document.getElementById('{chart}').getBoundingClientRect().height") > 50
    assert page.evaluate("window.pwned") is None  # the hostile school name stayed text
    page.get_by_text("Show the numbers").click()
    assert page.locator("#trend-table tbody tr").count() >= 1
    screenshot(page, "dashboard")


def test_breakdown_columns_sort_when_their_heading_is_pressed(director_page):
    page = director_page
    heading = page.locator("#breakdown-school thead th").nth(3)
    heading.get_by_role("button").click()
    assert heading.get_attribute("aria-sort") == "ascending"
    heading.get_by_role("button").click()
    assert heading.get_attribute("aria-sort") == "descending"
