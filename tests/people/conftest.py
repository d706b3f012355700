# The real-browser fixtures (system Chromium through Playwright) for test_sso_browser.py.
from tests.browser.conftest import new_phone_page  # noqa: F401
