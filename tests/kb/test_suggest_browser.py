"""kb-suggest.js in a real (headless) Chromium, under a CSP that forbids inline script."""

import os
import shutil

import pytest
from django.test import Client

from tests import factories
from tickets.kb import services
from tickets.models import Article, Deflection

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.kb.browser_urls")]

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page(live_server, transactional_db, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made here
    # between browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    teacher = factories.UserFactory()
    technician = factories.TechnicianFactory()
    services.create_article(actor=technician, title="Projector shows no picture", body="Press *Input*.")
    services.create_article(
        actor=technician, title="Projector <b>admin</b> notes", body="x", audience=Article.Audience.STAFF
    )
    client = Client()
    client.force_login(teacher)
    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM) if CHROMIUM else playwright.chromium.launch()
        except sync_api.Error as error:  # no browser on this machine
            pytest.skip(f"Chromium unavailable: {error}")
        context = browser.new_context(base_url=live_server.url)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
        page = context.new_page()
        page.csp_errors = []
        page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and page.csp_errors.append(message.text),
        )
        yield page
        browser.close()


def test_typing_a_title_offers_articles_and_this_solved_it_files_nothing(page):
    page.goto("/kb-test/new-ticket/")
    page.fill("#id_title", "The projector is dark")
    region = page.locator("#kb-suggestions")
    assert region.get_attribute("aria-live") == "polite"
    link = region.get_by_role("link", name="Projector shows no picture")
    link.wait_for(timeout=5000)
    assert "admin" not in region.inner_text()  # staff-only article never offered to a teacher

    region.get_by_role("button", name="This solved it").click()
    region.get_by_text("Glad that helped — no request was filed.").wait_for(timeout=5000)

    assert page.url.endswith("/kb-test/new-ticket/")  # the ticket form was not submitted
    deflection = Deflection.objects.get()
    assert deflection.query == "The projector is dark"
    assert Article.objects.get(pk=deflection.article_id).deflections == 1
    assert page.csp_errors == []


def test_typing_is_debounced_into_one_request(page):
    requests: list[str] = []
    page.on("request", lambda request: "/kb/suggest/" in request.url and requests.append(request.url))
    page.goto("/kb-test/new-ticket/")
    page.locator("#id_title").press_sequentially("projector", delay=40)
    page.get_by_role("link", name="Projector shows no picture").wait_for(timeout=5000)
    assert len(requests) == 1
    assert requests[0].endswith("?q=projector")


def test_without_suggestions_the_form_still_submits(page):
    page.goto("/kb-test/new-ticket/")
    page.fill("#id_title", "Something unrelated entirely")
    page.click("#send")
    page.wait_for_url("**/kb-test/filed/")
    assert "FILED" in page.content()
