"""Self-help suggestions on the real new-request page, in headless Chromium."""

import pytest

from tests import factories
from tickets.kb import services
from tickets.models import Article, Deflection, Ticket

pytestmark = pytest.mark.browser


@pytest.fixture
def teacher_page(new_phone_page, live_server):
    teacher = factories.UserFactory(profile__school=factories.SchoolFactory())
    technician = factories.TechnicianFactory()
    factories.CategoryFactory(name="Projector", slug="projector")
    services.create_article(actor=technician, title="Projector shows no picture", body="Press *Input*.")
    services.create_article(
        actor=technician, title="Projector <b>admin</b> notes", body="x", audience=Article.Audience.STAFF
    )
    page = new_phone_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(teacher.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/tickets/new/")
    return page


def test_typing_a_title_offers_articles_and_this_solved_it_files_nothing(teacher_page, screenshot):
    page = teacher_page
    page.fill("#id_title", "The projector is dark")
    region = page.locator("#kb-suggestions")
    assert region.get_attribute("aria-live") == "polite"
    region.get_by_role("link", name="Projector shows no picture").wait_for()
    assert "admin" not in region.inner_text()  # a staff-only article is never offered to a teacher
    screenshot(page, "kb-suggestion")

    region.get_by_role("button", name="This solved it").click()
    region.get_by_text("Glad that helped — no request was filed.").wait_for()

    assert page.url.endswith("/tickets/new/")
    assert Ticket.objects.count() == 0
    deflection = Deflection.objects.get()
    assert deflection.query == "The projector is dark"
    assert Article.objects.get(pk=deflection.article_id).deflections == 1


def test_typing_is_debounced_into_one_request(teacher_page):
    page = teacher_page
    requests: list[str] = []
    page.on("request", lambda request: "/kb/suggest/" in request.url and requests.append(request.url))
    page.locator("#id_title").press_sequentially("projector", delay=40)
    page.get_by_role("link", name="Projector shows no picture").wait_for()
    assert len(requests) == 1
    assert requests[0].endswith("?q=projector")
