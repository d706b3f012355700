import importlib
import os
import shutil
from collections.abc import Iterator

import pytest
from celery.result import allow_join_result
from django.apps import apps
from django.db.models.signals import post_migrate
from django.test import override_settings
from rest_framework.test import APIClient

from helpdesk.celery import app as celery_app
from schools.calendar import forget_district_reference
from tests import factories

# Rows the data migrations create. A transactional test ends by flushing every table
# (taking these with it), and a --reuse-db run starts from whatever the last run left.
REFERENCE_DATA = [
    ("schools.migrations.0002_staff_groups", "create_groups"),
    ("schools.migrations.0004_district_calendar_row", "create_row"),
    ("tickets.migrations.0003_seed_sla_targets", "seed"),
]


def restore_reference_data() -> None:
    """Re-run the (idempotent) data migrations' functions."""
    for module, function in REFERENCE_DATA:
        getattr(importlib.import_module(module), function)(apps, None)


DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup"}
CHEAP_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _uses_database(item: pytest.Item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(DB_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hasher() -> Iterator[None]:
    """MD5 for the whole session, so users made by module-wide fixtures (the security world)
    skip Argon2 too; each test also sets it (below), and a test about hashing sets its own."""
    with override_settings(PASSWORD_HASHERS=CHEAP_HASHERS):
        yield


@pytest.fixture(scope="session", autouse=True)
def _reference_data_at_start(request, django_db_blocker):
    """A --reuse-db database may lack the reference rows: restore them once, outside any
    test's transaction. pytest-django sets up the test database only when a collected
    test uses it, so do nothing otherwise (the connection would be the real database)."""
    if not any(_uses_database(item) for item in request.session.items):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        restore_reference_data()


def _reference_data_after_flush(sender: object, **kwargs: object) -> None:
    """A transactional test ends by flushing every table, and Django's flush then sends
    post_migrate: put the reference rows back there, after the flush. (A fixture's
    teardown runs too early: with the django_db(transaction=True) marker, pytest-django's
    own autouse fixture sets up the flushing test case first, so it is torn down last.)"""
    restore_reference_data()


post_migrate.connect(
    _reference_data_after_flush, sender=apps.get_app_config("tickets"), dispatch_uid="tests.reference_data"
)


@pytest.fixture(autouse=True)
def _district_reference_from_the_database():
    """Each test starts without this process's copy of the calendar and SLA targets
    (schools.calendar.district_reference), so a write that skips the version (a test's
    bulk_create or raw SQL) can only affect the test that made it."""
    forget_district_reference()


@pytest.fixture(autouse=True)
def _eager_celery_and_outbox(settings):
    """Under pytest tasks run in-process and email lands in mail.outbox (API.md)."""
    # The production hasher costs ~0.3 s per user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = CHEAP_HASHERS
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://helpdesk.district.example"
    settings.HELPDESK_EAGER_TASKS_IN_BACKGROUND = False  # sent in the test's own thread
    # The app reads Django settings under the CELERY_ namespace, so the prefixed
    # key is the one that counts; `conf.task_always_eager = ...` would be ignored.
    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    # Celery keeps "a task is running here, so .get() would block" in one process-wide flag,
    # set and restored around every eager task. Eager tasks on two threads at once (the race
    # tests, the background sender) can restore it out of order and leave it set, and every
    # later test in that process that calls .get() on a result is then refused. Each test
    # starts with it clear.
    with allow_join_result():
        yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture
def school(db):
    return factories.SchoolFactory()


@pytest.fixture
def category(db):
    return factories.CategoryFactory()


@pytest.fixture
def teacher(school):
    return factories.UserFactory(profile__school=school)


@pytest.fixture
def other_teacher(school):
    return factories.UserFactory(profile__school=school)


@pytest.fixture
def technician(db):
    return factories.TechnicianFactory()


@pytest.fixture
def director(db):
    return factories.DirectorFactory()


@pytest.fixture
def ticket(teacher, category):
    return factories.TicketFactory(requester=teacher, category=category)


@pytest.fixture
def api():
    return APIClient()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# One Chromium for the whole session, shared by tests/browser/ and tests/people/ (Playwright's
# sync API allows one running instance per thread).
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()
