"""Email out (SMTP, the sender) and in (the mailbox read, what is filed and answered)."""

from helpdesk.config import env

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
# Automatic answers (acknowledgements of emailed requests, not filed, too large) per address
# per day: breaks loops with other robots.
INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY = env.int("INBOUND_EMAIL_AUTO_ANSWERS_PER_DAY", default=3)
# Runs whose handling of a message failed before it goes to the "needs a look" folder.
INBOUND_EMAIL_MAX_ATTEMPTS = env.int("INBOUND_EMAIL_MAX_ATTEMPTS", default=3)
