"""What axe cannot see, checked with the keyboard in Chromium: the skip link, every
action reachable by Tab and operable by Enter/Space with a visible focus ring, error
summaries that take focus and lead to the fields, status messages in a live region,
badges that carry text, text at 200% without horizontal scrolling, and the language
switcher."""

import re
from typing import Any

import pytest

from tests.browser.test_accessibility import DESKTOP, PHONE, World, seed_world, sign_in
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80


@pytest.fixture
def world() -> World:
    return seed_world()


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def open_(viewport: dict[str, int] = PHONE, user: Any = None) -> Any:
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="en-US")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            sign_in(page, user)
        return page

    yield open_
    for context in contexts:
        context.close()


def focus_ring(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => { const el = document.activeElement, style = getComputedStyle(el);
        return {tag: el.tagName, text: (el.innerText || el.value || el.id || '').trim().slice(0, 40),
                style: style.outlineStyle, width: parseFloat(style.outlineWidth)}; }"""
    )


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until `selector` has focus, checking every stop on the way shows a focus ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        if ring["tag"] != "BODY":
            assert ring["style"] != "none" and ring["width"] >= 2, f"no visible focus ring on {ring}"
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab from {page.url}")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(open_page):
    page = open_page(DESKTOP)
    page.goto("/support/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.skip-link')")
    box = page.locator("a.skip-link").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0, "the skip link must be visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the content, past the navigation
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_teacher_files_a_request_with_only_the_keyboard(open_page, world):
    from playwright.sync_api import expect

    page = open_page(PHONE, world.teacher)
    page.goto("/tickets/new/")
    tab_to(page, "#id_title")
    page.keyboard.type("Smartboard pen does nothing")
    tab_to(page, "#id_description")
    page.keyboard.type("The pen lights up but nothing draws.")
    tab_to(page, "#id_category")
    page.keyboard.type("Projector")
    assert page.locator("#id_category option:checked").inner_text() == "Projector or display"
    tab_to(page, "#id_impact_0")
    page.keyboard.press("ArrowDown")  # arrows move and check within a radio group
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_urgency_0")
    page.keyboard.press("Space")
    tab_to(page, "form.ticket-new-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("#messages")).to_contain_text(re.compile(r"We got it — request #\d+"))
    ticket = Ticket.objects.get(title="Smartboard pen does nothing")
    assert (ticket.impact, ticket.urgency, ticket.category.name) == ("high", "low", "Projector or display")


def test_form_errors_take_focus_and_each_links_to_its_field(open_page, world):
    from playwright.sync_api import expect

    page = open_page(DESKTOP, world.teacher)
    page.goto("/tickets/new/")
    page.locator("form.ticket-new-form").evaluate("form => { form.noValidate = true; }")
    tab_to(page, "form.ticket-new-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert summary.get_attribute("role") == "alert"
    links = summary.locator("a")
    assert links.count() == 5  # title, description, category, impact, urgency
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    page.keyboard.press("Enter")
    title = page.locator("#id_title")
    expect(title).to_be_focused()
    assert title.get_attribute("aria-invalid") == "true"
    described = [page.locator(f"#{i}").inner_text() for i in title.get_attribute("aria-describedby").split()]
    assert any("This field is required." in text for text in described)
    # The radio groups announce their error too, and the summary link lands on the first choice.
    expect(page.locator("#div_id_impact fieldset")).to_have_attribute("aria-describedby", "id_impact_error")
    assert links.nth(3).get_attribute("href") == "#id_impact_0"


def test_requester_confirms_the_fix_with_space_and_the_result_is_announced(open_page, world):
    from playwright.sync_api import expect

    page = open_page(PHONE, world.teacher)
    page.goto(f"/tickets/{world.resolved_ticket.pk}/")
    tab_to(page, ".confirm-fix button.btn-success")
    page.keyboard.press("Space")
    region = page.locator("#messages")
    expect(region).to_contain_text("Thanks for confirming. This request is closed.")
    assert (region.get_attribute("role"), region.get_attribute("aria-live")) == ("status", "polite")
    expect(page.locator(".status-badge")).to_have_text("Closed")


def test_technician_assigns_and_saves_with_the_keyboard(open_page, world):
    from playwright.sync_api import expect

    page = open_page(DESKTOP, world.technician)
    page.goto(f"/tickets/{world.resolved_ticket.pk}/")
    # A <details> section opens with Enter, and its form is then reachable.
    tab_to(page, ".action-reopen summary")
    page.keyboard.press("Enter")
    tab_to(page, ".action-reopen textarea")
    page.keyboard.type("Still blurry on the left side.")
    tab_to(page, ".action-reopen button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Reopened.")
    tab_to(page, ".triage-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("Details saved.")


def test_phone_menu_opens_and_navigates_with_the_keyboard(open_page, world):
    page = open_page(PHONE, world.teacher)
    page.goto("/support/")
    tab_to(page, ".navbar-toggler")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.navbar-toggler').getAttribute('aria-expanded') === 'true'")
    tab_to(page, "#nav a[href='/tickets/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tickets/new/$"))


def test_badges_carry_their_meaning_in_text(open_page, world):
    """Status, priority and due-date badges are coloured, but the colour is never the only signal."""
    page = open_page(DESKTOP, world.technician)
    for url in ["/tickets/?open=true", "/today/", f"/tickets/{world.open_ticket.pk}/"]:
        page.goto(url)
        badges = page.locator(".badge")
        assert badges.count() > 0, url
        texts = badges.all_inner_texts()
        assert all(text.strip() for text in texts), f"a badge without text on {url}: {texts}"
    page.goto("/tickets/?open=true")
    assert "Critical" in page.locator(".priority-badge").all_inner_texts()  # impact high × urgency high


@pytest.mark.parametrize("user", ["teacher", "technician"])
def test_text_at_200_percent_needs_no_horizontal_scrolling(open_page, world, user):
    person = getattr(world, user)
    page = open_page({"width": 1280, "height": 900}, person)
    urls = (
        [
            "/",
            "/tickets/new/",
            f"/tickets/{world.open_ticket.pk}/",
            "/kb/",
            "/support/",
            f"/surveys/{world.survey_token}/",
        ]
        if user == "teacher"
        else ["/today/", "/tickets/?open=true", f"/tickets/{world.open_ticket.pk}/", "/rotations/"]
    )
    for url in urls:
        page.goto(url)
        before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
        assert after >= 1.9 * before, f"text did not grow on {url}"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px with text at 200%"


def test_language_switcher_works_with_the_keyboard_and_sets_lang(open_page, world):
    from playwright.sync_api import expect

    page = open_page(PHONE)
    page.goto("/support/")
    assert page.locator("html").get_attribute("lang") == "en"
    tab_to(page, "#language-select")
    page.keyboard.type("Esp")
    tab_to(page, ".language-switcher button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cómo pedir ayuda a TI del Distrito")
    for url in ["/accounts/login/", f"/surveys/{world.survey_token}/"]:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "es", url
