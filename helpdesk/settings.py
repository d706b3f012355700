"""Settings for the district help desk: every value from the environment.

A `.env` file beside manage.py is read when present. Without any environment the
project runs as the zero-setup demo: SQLite in the repo, tasks in-process, email
printed to the console.
"""

import os

import environ
from celery.schedules import crontab

from helpdesk.config import BASE_DIR, env
from helpdesk.config.email import *  # noqa: F403
from helpdesk.config.operations import *  # noqa: F403
from helpdesk.config.security import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG and env.bool("REQUIRE_SECRET_KEY", default=False):
        raise environ.ImproperlyConfigured("SECRET_KEY must be set in production")
    # The demo and the test suite run without configuration; production sets
    # REQUIRE_SECRET_KEY (docker-compose does) so a missing key fails loudly.
    SECRET_KEY = "insecure-demo-key-do-not-use-in-production"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# .env.example's placeholders contain "change-me": a server still carrying one refuses to start.
if not DEBUG:
    _placeholders = [
        name for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "DATABASE_URL") if "change-me" in env.str(name, default="")
    ]
    if _placeholders:
        raise environ.ImproperlyConfigured(f"Replace the change-me placeholder in {', '.join(_placeholders)}")
# Production is "DEBUG off and an https SITE_URL": the transport and cookie settings below
# default to on then, so a district that copies .env.example needs no security flags.
TLS_BY_DEFAULT = not DEBUG and SITE_URL.startswith("https://")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "schools",
    "people",
    "devices",
    "tickets",
    "notifications",
    "surveys",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "schools.middleware.ProfileLanguageMiddleware",
    "surveys.middleware.SurveyLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The benchmark reads queries per request from a response header.
if env.bool("QUERY_COUNT_HEADER", default=False):
    MIDDLEWARE.insert(0, "helpdesk.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "helpdesk.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schools.context_processors.roles",
            ],
            "builtins": ["schools.templatetags.people", "schools.templatetags.translated"],
        },
    },
]

WSGI_APPLICATION = "helpdesk.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: a help desk's queries return a page of rows, but with millions of
    # tickets their cost estimates cross jit_above_cost, and PostgreSQL spent 587 of a queue
    # page's 672 ms compiling one (the EXPLAIN in bench/results/N10000000.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and one time format per language ("Mon Dec 7, 2026, 11:30 AM"; "lun 7 dic. 2026, 11:30").
FORMAT_MODULE_PATH = ["helpdesk.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files, in one place. The image runs `collectstatic` at build and sets
# WHITENOISE_USE_FINDERS=false: then every name carries a hash of its content and a gzip
# twin (whitenoise's CompressedManifestStaticFilesStorage), pages link the hashed names, and
# whitenoise serves those with `Cache-Control: max-age=315360000, public, immutable` (cached
# for a year and more; a new release has new names). The demo and the tests serve the files
# from the finders as they are, without collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
STATIC_COLLECTED = not WHITENOISE_USE_FINDERS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MANIFEST_STRICT = False
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


# Celery: without REDIS_URL every task runs in-process, so the demo needs no services.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without a broker, outbox tasks run on a background thread after the response, never
# inside the request (notifications.background). Tests turn it off
# to read mail.outbox right after a request.
HELPDESK_EAGER_TASKS_IN_BACKGROUND = True
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = TIME_ZONE
# Task modules autodiscovery (`<app>.tasks`) would not find.
CELERY_IMPORTS = ["tickets.sla.tasks", "surveys.dashboard.tasks"]
CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 120.0},
    # Does nothing until INBOUND_EMAIL_URL is set.
    "ingest-email": {"task": "tickets.tasks.ingest_mailbox", "schedule": 60.0},
    "check-sla-deadlines": {"task": "tickets.sla.check_sla_deadlines", "schedule": 300.0},
    "plan-visits": {"task": "schools.tasks.plan_visits", "schedule": 6 * 3600.0},
    "roll-past-visits": {"task": "tickets.tasks.roll_past_visits", "schedule": 3600.0},
    "schedule-maintenance": {"task": "devices.tasks.schedule_maintenance", "schedule": 3 * 3600.0},
    "sweep-survey-invitations": {"task": "surveys.tasks.sweep_survey_invitations", "schedule": 120.0},
    "send-survey-reminders": {"task": "surveys.tasks.send_survey_reminders", "schedule": 3600.0},
    "auto-close-resolved-tickets": {"task": "tickets.tasks.auto_close_resolved_tickets", "schedule": 3600.0},
    "refresh-dashboard-stats": {"task": "surveys.dashboard.tasks.refresh_recent_daily_stats", "schedule": 600.0},
    "rebuild-dashboard-stats": {
        "task": "surveys.dashboard.tasks.rebuild_all_daily_stats",
        "schedule": crontab(hour=2, minute=30),
    },
    # District time (CELERY_TIMEZONE), after the nightly rebuild. Daily, not only on the 1st:
    # the ledger makes it once per director and month, so a beat or broker outage on the 1st
    # delays the report by a day instead of losing it, and a director added mid-month gets it.
    "send-monthly-report": {
        "task": "surveys.dashboard.tasks.send_monthly_report",
        "schedule": crontab(hour=6, minute=15),
    },
}
SURVEY_EXPIRY_DAYS = env.int("SURVEY_EXPIRY_DAYS", default=30)
SURVEY_SWEEP_AFTER_SECONDS = env.int("SURVEY_SWEEP_AFTER_SECONDS", default=180)

# --- Cache and sessions -------------------------------------------------------------
# A Redis outage only delays email: sessions live in the database, and the Redis cache
# answers as an empty cache while Redis is down (schools/cache.py). Without Redis the
# cache is the database's, shared by every gunicorn worker (a per-process cache would
# let each worker count throttles and claim double-submitted forms on its own).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "schools.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "helpdesk_cache"}}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "schools.pagination.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "helpdesk.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "helpdesk.api.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "District IT Help Desk API",
    "DESCRIPTION": "Tickets, schools, queues, rotations, surveys and metrics.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the sidecar wheel's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets shared by several fields, named once.
    "ENUM_NAME_OVERRIDES": {
        "ImpactEnum": "tickets.models.Impact",
        "TimeUnitEnum": "tickets.models.SlaTarget.Unit",
        "WaitingOnEnum": "tickets.models.Ticket.WaitingOn",
    },
}

# Business rules that the district may tune.
HELPDESK_AUTO_CLOSE_BUSINESS_DAYS = env.int("HELPDESK_AUTO_CLOSE_BUSINESS_DAYS", default=5)
HELPDESK_OUTBOX_RETRY_AFTER_SECONDS = env.int("HELPDESK_OUTBOX_RETRY_AFTER_SECONDS", default=120)
# Who a teacher who cannot sign in calls or writes to: shown on the public /support/ page.
HELPDESK_CONTACT_PHONE = env.str("HELPDESK_CONTACT_PHONE", default="(555) 010-4357")
HELPDESK_CONTACT_EMAIL = env.str("HELPDESK_CONTACT_EMAIL", default="helpdesk@district.example")

# Behind docker-compose's Caddy (TLS_BY_DEFAULT): trust its X-Forwarded-Proto, cookies over
# HTTPS only, redirect plain HTTP, HSTS for a year. The app's port is reachable only from the
# proxy, so nobody else can set the header. Each may still be set on its own.
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=TLS_BY_DEFAULT)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=TLS_BY_DEFAULT)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=TLS_BY_DEFAULT)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=TLS_BY_DEFAULT)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if TLS_BY_DEFAULT else 0)
# The compose health checks ask gunicorn directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]


# --- Security: login throttling (django-axes; its settings in helpdesk/config/security.py) ---
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
HELPDESK_TRUST_X_FORWARDED_FOR = BEHIND_TLS_PROXY

# --- Security: Content-Security-Policy (django-csp) --------------------------------
# No inline script or style anywhere: every page's JS and CSS are files under /static/.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The worker's and beat's heartbeats for /health/ (helpdesk/health.py).
CELERY_IMPORTS += ["helpdesk.health"]
CELERY_BEAT_SCHEDULER = "helpdesk.health:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE["heartbeat"] = {"task": "helpdesk.health.heartbeat", "schedule": 60.0, "options": {"expires": 50}}

CELERY_BEAT_SCHEDULE.update(
    {
        "clear-expired-sessions": {
            "task": "schools.tasks.clear_expired_sessions",
            "schedule": crontab(hour=3, minute=10),
        },
        "prune-lockout-records": {
            "task": "schools.tasks.prune_lockout_records",
            "schedule": crontab(hour=3, minute=20),
        },
        "prune-idempotency-keys": {
            "task": "tickets.tasks.prune_idempotency_keys",
            "schedule": crontab(hour=3, minute=30),
        },
        "prune-sent-email-bodies": {
            "task": "notifications.tasks.prune_sent_bodies",
            "schedule": crontab(hour=3, minute=40),
        },
    }
)

# --- Sign-in: single sign-on (people app) -------------------------------------------
# Google Workspace, Microsoft Entra ID and any OpenID Connect provider, each switched
# on by its SSO_* variables (people/sso.py reads them); the password form stays.
from people.sso import provider_origins, providers_from_env  # noqa: E402  (plain functions, no models)

INSTALLED_APPS += [
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
]
MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware"]
SOCIALACCOUNT_PROVIDERS = providers_from_env(os.environ)  # .env is already in os.environ
SOCIALACCOUNT_ADAPTER = "people.adapters.SocialAccountAdapter"
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the buttons POST, with CSRF
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
SSO_ONLY = env.bool("SSO_ONLY", default=False)
# A folder or .zip the student information system drops (nightly): imported by beat when it changes.
ROSTER_IMPORT_PATH = env.str("ROSTER_IMPORT_PATH", default="")
# Or fetched first from the SIS's SFTP server into ROSTER_IMPORT_PATH (people/roster/sftp.py).
ROSTER_SFTP_URL = env.str("ROSTER_SFTP_URL", default="")
ROSTER_SFTP_KEY_FILE = env.str("ROSTER_SFTP_KEY_FILE", default="")
ROSTER_SFTP_PASSWORD = env.str("ROSTER_SFTP_PASSWORD", default="")
ROSTER_SFTP_KNOWN_HOSTS = env.str("ROSTER_SFTP_KNOWN_HOSTS", default="")
CELERY_BEAT_SCHEDULE["scheduled-roster-import"] = {"task": "people.tasks.scheduled_roster_import", "schedule": 3600.0}
# The sign-in buttons' forms redirect to the providers: the CSP must let forms go there.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += provider_origins(SOCIALACCOUNT_PROVIDERS)
