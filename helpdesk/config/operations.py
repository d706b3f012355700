"""Operations: logging, password hashing, error reports, health checks, retention."""

from helpdesk.config import env

# Every line says when, how bad and where from: "2026-11-24 09:30:01,123 WARNING django.request …",
# or one JSON object per line with LOG_FORMAT=json. gunicorn logs each request (--access-logfile -).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "helpdesk.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": env.str("LOG_FORMAT", default="plain")},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# --- Production: passwords, error reports, health, retention ------------------------
# Argon2 first; passwords stored under the older hashers are rehashed at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Errors (web and Celery) go to Sentry when SENTRY_DSN is set; no personal data is sent.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        traces_sample_rate=0.0,
    )

# /health/ (helpdesk/health.py): database, cache, broker, and heartbeats of the worker and beat.
# Anonymous callers get "ok" or "not ok"; staff, or a caller sending HEALTH_TOKEN as a bearer
# token, get each check. beat runs the heartbeat task every minute and records its own ticks.
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")
HEALTH_HEARTBEAT_MAX_AGE_SECONDS = env.int("HEALTH_HEARTBEAT_MAX_AGE_SECONDS", default=300)

# Retention: what is only bookkeeping is deleted after a while; the ticket history is kept.
# Expired sessions go nightly; sign-in lockout records (django-axes) and API idempotency keys
# after the days below; sent emails keep their row (to, subject, when) but lose their bodies.
HELPDESK_LOCKOUT_KEEP_DAYS = env.int("HELPDESK_LOCKOUT_KEEP_DAYS", default=90)
HELPDESK_IDEMPOTENCY_KEEP_DAYS = env.int("HELPDESK_IDEMPOTENCY_KEEP_DAYS", default=30)
HELPDESK_OUTBOX_KEEP_DAYS = env.int("HELPDESK_OUTBOX_KEEP_DAYS", default=90)
