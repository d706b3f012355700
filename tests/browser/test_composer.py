"""The composer's help-article picker in headless Chromium: the link goes in at the cursor with
no round trip, is announced, and is sent as the server writes it (tests/tickets/test_article_links.py)."""

import pytest

from tests import factories
from tests.browser.accessibility_world import sign_in
from tickets.kb import links
from tickets.models import Article, Comment

pytestmark = pytest.mark.browser


def test_a_help_article_link_goes_in_at_the_cursor_and_is_sent(new_phone_page):
    from playwright.sync_api import expect

    technician = factories.TechnicianFactory()
    ticket = factories.TicketFactory(title="Projector shows no picture")
    # A title with what JavaScript's replace() would expand ($&) and a placeholder of its own.
    article = Article.objects.create(title="Projector $& {id} steps", body="1. Check the cable.")

    page = new_phone_page()
    sign_in(page, technician)
    page.goto(f"/tickets/{ticket.pk}/")

    box = page.locator("#id_composer_body")
    box.fill("Start.\nEnd.")
    box.evaluate("el => el.setSelectionRange(6, 6)")  # after "Start."
    page.select_option("#id_composer_article", label=article.title)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.locator(".composer-insert-article").click()

    link = links.link_text(title=article.title, pk=article.pk)
    expect(box).to_have_value(f"Start.\n\n{link}\nEnd.")
    expect(page.locator("#composer-status")).to_have_text(f"Inserted: {article.title}")
    expect(page.locator("#id_composer_article")).to_have_value("")
    assert requests == []  # written in the browser, no page drawn again

    page.locator(".composer-send").click()
    expect(page.locator(f'.comment-body a[href="/kb/{article.pk}/"]')).to_be_visible()
    sent = Comment.objects.get(ticket=ticket).body
    assert sent.replace("\r\n", "\n") == f"Start.\n\n{link}\nEnd."  # a form posts its lines with CRLF
