"""Schemathesis against the OpenAPI schema: generated requests as a requester and as a technician
never get a 5xx, and every answer matches the schema. Bounded: a few examples per operation, so the
whole run stays well under a minute; it runs with the rest of the suite (CI included)."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from helpdesk.wsgi import application
from tests import factories

# The project's schema, as /api/schema/ serves it.
raw = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(raw)
schema.app = application
schema.location = "/api/schema/"
# Signing in is throttled (django-axes) and slow on purpose; it has its own tests.
schema = schema.exclude(path="/api/auth/token/")

MAX_EXAMPLES = 2


@pytest.fixture
def _keep_test_connection():
    """Calls go through the real WSGI handler, which closes the database connection at the end
    of each request; the test's transaction lives on that connection, so keep it open (as
    Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def _module_tokens(django_db_setup, django_db_blocker):
    """One small district for the whole module, rolled back at its end (like setUpTestData)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            school = factories.SchoolFactory()
            category = factories.CategoryFactory()
            teacher = factories.UserFactory(profile__school=school)
            technician = factories.TechnicianFactory()
            for n in range(2):
                factories.TicketFactory(requester=teacher, category=category, title=f"Projector {n}")
            yield {
                "requester": Token.objects.create(user=teacher).key,
                "technician": Token.objects.create(user=technician).key,
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def fuzz_world(_module_tokens, db, _keep_test_connection):
    return _module_tokens


@pytest.mark.fuzz
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["requester", "technician"])
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_never_errors_and_answers_match_the_schema(case, role, fuzz_world, request):
    cache.clear()
    case.call_and_validate(
        headers={"Authorization": f"Token {fuzz_world[role]}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
