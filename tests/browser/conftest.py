"""Real-browser tests: Playwright for Python driving Debian's Chromium against live_server.

Never run `playwright install`; the system Chromium is used. Without it (or without
the playwright package) every browser test is skipped with the reason.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make (factories, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import CHROMIUM  # noqa: F401  (the one browser fixture is in tests/conftest.py)

SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _transactional(transactional_db) -> None:
    """The live server runs in another thread: the test's rows must be committed."""


@pytest.fixture
def new_phone_page(browser, live_server) -> Iterator[object]:
    """Opens a fresh phone-sized page (its own cookies) per person in the journey."""
    contexts = []

    def open_page() -> object:
        context = browser.new_context(viewport=PHONE, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot() -> object:
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page: object, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
