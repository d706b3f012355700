"""`manage.py smoke`: every page and API list as each demo role, after `seed_demo` (see demo/smoke.py)."""

import logging
import warnings
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import setup_test_environment

from demo.smoke import run_smoke


class Command(BaseCommand):
    help = "Request each page as anonymous, the demo teacher, technician and director; fail on 5xx or surprises."

    def handle(self, *args: Any, **options: Any) -> None:
        # The test client needs the 'testserver' host and must never send real email.
        try:
            setup_test_environment()
        except RuntimeError:
            pass  # already set up: the command runs under the test runner
        # Expected 403/404 answers would print a warning each; failures are printed below with their traceback.
        logging.getLogger("django.request").setLevel(logging.CRITICAL)
        # whitenoise warns that collectstatic has not run; the smoke run serves from the finders.
        warnings.filterwarnings("ignore", message="No directory at")
        try:
            report = run_smoke()
        except LookupError as error:
            raise CommandError(str(error)) from None
        for failure in report.failures:
            self.stderr.write(f"FAIL {failure}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
