"""`celery -A tests.security.worker_app worker`: the project's app with a short stale-claim clock.

See tests/security/worker_settings.py for why; used only by tests/security/test_faults.py.
"""

from datetime import timedelta

from celery.signals import worker_init

from helpdesk.celery import app

__all__ = ["app"]


@worker_init.connect
def _short_stale_claim(**kwargs: object) -> None:
    from notifications import delivery

    delivery.STALE_CLAIM = timedelta(seconds=2)
