"""The director's menu and dashboard filters in headless Chromium, at desktop and phone width.

The menu fits one line at 1280 px in both languages (the director's pages grouped under
"Reports" and "Settings"), every director page is one of its links, and on a phone the
dashboard's filters fit the screen with no sideways scroll.
"""

from typing import Any

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

DIRECTOR_PAGES = [
    "dashboard",
    "dashboard-goals",
    "survey-follow-up",
    "kb:stats",
    "coverage",
    "person_list",
    "school_list",
    "category_list",
    "sla_targets",
    "calendar_settings",
    "rotations",
    "vendors",
    "devices:import",
]


@pytest.fixture
def open_as_director(browser: Any, live_server: Any) -> Any:
    director = factories.DirectorFactory()
    contexts = []

    def open_page(viewport: dict[str, int], locale: str = "en-US") -> Any:
        context = browser.new_context(viewport=viewport, base_url=live_server.url, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(director.username)
        page.locator("#id_password").fill("correct-horse-battery")
        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
        page.wait_for_load_state()
        return page

    yield open_page
    for context in contexts:
        context.close()


def menu_rows(page: Any) -> int:
    """How many lines the brand, the menu's top-level entries, name and sign-out button take:
    one when every entry starts above the bottom of every other."""
    return page.evaluate(
        """() => {
            const boxes = [...document.querySelectorAll('.navbar-brand, #nav > ul > li, #nav > a, #nav > form')]
              .map(el => el.getBoundingClientRect());
            const lowestTop = Math.max(...boxes.map(b => b.top));
            const highestBottom = Math.min(...boxes.map(b => b.bottom));
            return lowestTop < highestBottom ? 1 : 2;
        }"""
    )


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_the_directors_menu_fits_one_line_at_1280(open_as_director, locale):
    page = open_as_director(DESKTOP, locale)
    page.goto("/dashboard/")
    layout = page.evaluate(
        """[...document.querySelectorAll('#nav > ul > li, #nav > a, #nav > form, .navbar-brand')]
             .map(el => [el.textContent.trim().slice(0, 20), Math.round(el.getBoundingClientRect().left),
                         Math.round(el.getBoundingClientRect().top), Math.round(el.getBoundingClientRect().width)])"""
    )
    assert menu_rows(page) == 1, str(layout)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # The navbar is one line high: brand, links and sign-out side by side.
    assert page.evaluate("document.querySelector('.site-nav').getBoundingClientRect().height") < 80


def test_every_director_page_is_in_the_menu_and_a_group_opens_and_closes(open_as_director):
    page = open_as_director(DESKTOP)
    page.goto("/dashboard/")
    links = set(page.evaluate("[...document.querySelectorAll('#nav a')].map(a => new URL(a.href).pathname)"))
    missing = [name for name in DIRECTOR_PAGES if reverse(name) not in links]
    assert not missing, f"director pages not in the menu: {missing}"
    statistics = page.get_by_role("link", name="Self-help statistics")
    assert not statistics.is_visible()
    page.locator("#nav-reports > summary").click()
    assert statistics.is_visible()
    page.keyboard.press("Escape")
    assert not statistics.is_visible()
    page.locator("#nav-settings > summary").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Response and fix targets").click()
    page.wait_for_url("**/calendar/targets/")


@pytest.mark.parametrize("locale", ["en-US", "es-ES"])
def test_on_a_phone_the_dashboard_filters_fit_with_no_sideways_scroll(open_as_director, locale):
    page = open_as_director(PHONE, locale)
    page.goto("/dashboard/")
    wide = page.evaluate(
        """[...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
             .filter(el => !el.closest('.table-responsive, .chart-box'))
             .map(el => el.tagName + '#' + el.id + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))
             .slice(0, 8)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide
    boxes = page.evaluate(
        """[...document.querySelectorAll('form[method=get] select, form[method=get] input')]
             .filter(el => el.type !== 'hidden').map(el => el.getBoundingClientRect().right)"""
    )
    assert boxes and max(boxes) <= PHONE["width"]
    # The menu opens from its button and the groups read inside it.
    page.locator(".navbar-toggler").click()
    page.locator("#nav-settings > summary").click()
    assert page.locator("#nav-settings a").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
