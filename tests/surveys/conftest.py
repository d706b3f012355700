import pytest
from django.core.cache import cache

from tickets import services


@pytest.fixture(autouse=True)
def _fresh_cache(django_db_setup, django_db_blocker):
    """The token-guessing counter lives in the cache; each test starts from zero.

    Without Redis the cache is a database table: cleared even for a test that has not
    asked for the database (yet).
    """
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


def work_and_close(ticket, technician, *, closer=None, self_help="Hold the power button for ten seconds."):
    """Assign, resolve with a self-help tip, and close (by the requester unless told)."""
    services.assign_ticket(actor=technician, ticket=ticket, assignee=technician)
    services.resolve_ticket(actor=technician, ticket=ticket, resolution="Replaced the lamp.", self_help=self_help)
    return services.close_ticket(actor=closer or ticket.requester, ticket=ticket)


@pytest.fixture
def closed_ticket(ticket, technician, django_capture_on_commit_callbacks):
    """A ticket worked by `technician` and confirmed by its requester, survey sent."""
    with django_capture_on_commit_callbacks(execute=True):
        return work_and_close(ticket, technician)


@pytest.fixture
def invitation(closed_ticket):
    return closed_ticket.survey_invitation
