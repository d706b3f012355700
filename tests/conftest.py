import pytest
from rest_framework.test import APIClient

from helpdesk.celery import app as celery_app
from tests import factories


@pytest.fixture(autouse=True)
def _eager_celery_and_outbox(settings):
    """Under pytest tasks run in-process and email lands in mail.outbox (API.md)."""
    # The production hasher costs ~0.3 s per user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://helpdesk.district.example"
    # The app reads Django settings under the CELERY_ namespace, so the prefixed
    # key is the one that counts; `conf.task_always_eager = ...` would be ignored.
    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
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
