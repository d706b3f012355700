"""Sign-in bookkeeping that is deleted after a while (settings: "Retention").

Sessions end on their own but their rows stay until cleared; django-axes keeps a row per
sign-in, per failure and per throttled username and address for ever. None of it is the
ticket history, which is kept.
"""

from datetime import timedelta
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone


def clear_expired_sessions() -> None:
    """What `manage.py clearsessions` does, for the session engine in use."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


def prune_lockout_records(*, older_than: timedelta) -> int:
    """Delete sign-in logs, failure logs and throttle counters older than `older_than`.

    A throttle counter lives AXES_COOLOFF_TIME (15 minutes); `older_than` is days, so no
    lockout in force is lifted. Returns how many rows were deleted.
    """
    cutoff = timezone.now() - older_than
    deleted = 0
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        count, _ = model.objects.filter(attempt_time__lt=cutoff).delete()
        deleted += count
    return deleted
