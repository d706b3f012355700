"""Settings for the district help desk: one file, every value from the environment.

A `.env` file beside manage.py is read when present. Without any environment the
project runs as the zero-setup demo: SQLite in the repo, tasks in-process, email
printed to the console.
"""

import os
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

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

# Email: EMAIL_URL (e.g. smtp://user:pass@host:587) or the usual EMAIL_* settings.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
    EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IT Help Desk <helpdesk@district.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without REDIS_URL every task runs in-process, so the demo needs no services.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without a broker, outbox tasks run on a background thread after the response, never
# inside the request (issue 15, item 5; notifications.background). Tests turn it off
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

# --- Cache and sessions (issue 15, item 2) -----------------------------------------
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

# Email in and out (notifications.threading, notifications.inbound, tickets.email_in).
# Where replies go; default: DEFAULT_FROM_EMAIL.
HELPDESK_REPLY_TO = env.str("HELPDESK_REPLY_TO", default="")
# The mailbox a periodic task reads: imaps://user:password@host:993/INBOX, or
# imaps+xoauth2://user@host:993/INBOX with the INBOUND_EMAIL_OAUTH_* settings below.
INBOUND_EMAIL_URL = env.str("INBOUND_EMAIL_URL", default="")
INBOUND_EMAIL_DOMAINS = [d.lower().lstrip("@") for d in env.list("INBOUND_EMAIL_DOMAINS", default=[])]
INBOUND_EMAIL_CA_FILE = env.str("INBOUND_EMAIL_CA_FILE", default="")  # a private CA; default: the system's
INBOUND_EMAIL_OAUTH_TOKEN_URL = env.str("INBOUND_EMAIL_OAUTH_TOKEN_URL", default="")
INBOUND_EMAIL_OAUTH_CLIENT_ID = env.str("INBOUND_EMAIL_OAUTH_CLIENT_ID", default="")
INBOUND_EMAIL_OAUTH_CLIENT_SECRET = env.str("INBOUND_EMAIL_OAUTH_CLIENT_SECRET", default="")
INBOUND_EMAIL_OAUTH_REFRESH_TOKEN = env.str("INBOUND_EMAIL_OAUTH_REFRESH_TOKEN", default="")
INBOUND_EMAIL_OAUTH_SCOPE = env.str("INBOUND_EMAIL_OAUTH_SCOPE", default="")
INBOUND_EMAIL_NEEDS_LOOK_FOLDER = env.str("INBOUND_EMAIL_NEEDS_LOOK_FOLDER", default="Needs a look")
INBOUND_EMAIL_MAX_BYTES = env.int("INBOUND_EMAIL_MAX_BYTES", default=25 * 1024 * 1024)
# Tickets from people without a home school go to this school (its code); category by slug.
INBOUND_EMAIL_SCHOOL = env.str("INBOUND_EMAIL_SCHOOL", default="")
INBOUND_EMAIL_CATEGORY = env.str("INBOUND_EMAIL_CATEGORY", default="other")
# Automatic answers (not filed, too large) per address per day: breaks loops with other robots.
INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY = env.int("INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY", default=3)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

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

# --- Security: attachments and uploads (issue 9) ----------------------------------
# Teachers send screenshots. Each file is checked by its first bytes and its name
# (tickets/attachments.py); SVG and HTML are never accepted.
HELPDESK_ATTACHMENT_MAX_BYTES = env.int("HELPDESK_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
HELPDESK_ATTACHMENTS_PER_UPLOAD = env.int("HELPDESK_ATTACHMENTS_PER_UPLOAD", default=5)
# Uploads above this many bytes go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A form may carry a few files; anything past that is refused before a view runs.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Security: login throttling (django-axes) --------------------------------------
# Ten failures for one username from one address lock that pair out for 15 minutes.
# The login form's message is the same for an unknown user and a wrong password.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "schools.auth_backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the TLS proxy every request comes from the proxy: read the address it appended.
AXES_CLIENT_IP_CALLABLE = "schools.auth_backends.client_ip"
HELPDESK_TRUST_X_FORWARDED_FOR = BEHIND_TLS_PROXY

# --- Security: password reset ------------------------------------------------------
# Django's reset views (schools/urls.py); the email goes through the outbox with its link
# made at send time (notifications/password_reset.py). One email per address per
# HELPDESK_PASSWORD_RESET_EVERY_SECONDS, each link working PASSWORD_RESET_TIMEOUT: requests
# naming someone's address cannot keep a working link from them. Per client, a cache throttle.
PASSWORD_RESET_TIMEOUT = 3 * 3600
HELPDESK_PASSWORD_RESET_EVERY_SECONDS = env.int("HELPDESK_PASSWORD_RESET_EVERY_SECONDS", default=300)
HELPDESK_PASSWORD_RESET_PER_IP_PER_HOUR = env.int("HELPDESK_PASSWORD_RESET_PER_IP_PER_HOUR", default=20)

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

# --- Security: production transport and cookies ------------------------------------
# The values above come from the environment; these have one right answer everywhere.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading commits the district's whole domain to HTTPS in every browser for good:
# the district's decision, not the help desk's, so its absence is not a warning here.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Production: passwords, error reports, health, retention (issue 21) ------------
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
CELERY_IMPORTS += ["helpdesk.health"]
CELERY_BEAT_SCHEDULER = "helpdesk.health:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE["heartbeat"] = {"task": "helpdesk.health.heartbeat", "schedule": 60.0, "options": {"expires": 50}}

# Retention: what is only bookkeeping is deleted after a while; the ticket history is kept.
# Expired sessions go nightly; sign-in lockout records (django-axes) and API idempotency keys
# after the days below; sent emails keep their row (to, subject, when) but lose their bodies.
HELPDESK_LOCKOUT_KEEP_DAYS = env.int("HELPDESK_LOCKOUT_KEEP_DAYS", default=90)
HELPDESK_IDEMPOTENCY_KEEP_DAYS = env.int("HELPDESK_IDEMPOTENCY_KEEP_DAYS", default=30)
HELPDESK_OUTBOX_KEEP_DAYS = env.int("HELPDESK_OUTBOX_KEEP_DAYS", default=90)
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

# --- Sign-in: single sign-on (people app, issue 16) --------------------------------
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
# The sign-in buttons' forms redirect to the providers: the CSP must let forms go there.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += provider_origins(SOCIALACCOUNT_PROVIDERS)
