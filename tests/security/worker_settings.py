"""Settings for the Celery worker subprocess of tests/security/test_faults.py.

The project's settings, with two clocks shortened so a test can watch them run out:
the broker hands an unacknowledged task to another worker after 3 s (Redis visibility
timeout; production keeps kombu's one hour), and an outbox claim older than 2 s
counts as abandoned (`notifications.delivery.STALE_CLAIM`, emails and survey
invitations alike; 10 minutes in production; patched in `tests.security.worker_app`).
"""

from helpdesk.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 3,
}
