"""Security settings with one right answer everywhere: headers, cookies, uploads, sign-in lockout,
password reset. The transport settings that depend on the environment stay in settings.py."""

from helpdesk.config import env

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Security: attachments and uploads ----------------------------------------------
# Teachers send screenshots. Each file is checked by its first bytes and its name
# (tickets/attachments.py); SVG and HTML are never accepted.
HELPDESK_ATTACHMENT_MAX_BYTES = env.int("HELPDESK_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
HELPDESK_ATTACHMENTS_PER_UPLOAD = env.int("HELPDESK_ATTACHMENTS_PER_UPLOAD", default=5)
# Uploads above this many bytes go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A form may carry a few files; anything past that is refused before a view runs.
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Sign-in lockout (django-axes) -----------------------------------------------
# Ten failures for one username from one address lock that pair out for 15 minutes.
# The login form's message is the same for an unknown user and a wrong password.
# Passwords are checked by RoleLoadingBackend, Django's ModelBackend loading the user's roles
# with the user. ModelBackend itself stays listed only because a session names the backend
# that signed it in: sessions from before RoleLoadingBackend stay signed in (it can go once
# those have expired, SESSION_COOKIE_AGE: two weeks; until then a refused password is checked
# by both).
AUTHENTICATION_BACKENDS = [
    "schools.auth_backends.LockoutBackend",
    "schools.auth_backends.RoleLoadingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the TLS proxy every request comes from the proxy: read the address it appended
# (whether to trust it, HELPDESK_TRUST_X_FORWARDED_FOR, follows the transport in settings.py).
AXES_CLIENT_IP_CALLABLE = "schools.auth_backends.client_ip"

# --- Security: password reset ------------------------------------------------------
# Django's reset views (schools/urls.py); the email goes through the outbox with its link
# made at send time (notifications/password_reset.py). One email per address per
# HELPDESK_PASSWORD_RESET_EVERY_SECONDS, each link working PASSWORD_RESET_TIMEOUT: requests
# naming someone's address cannot keep a working link from them. Per client, a cache throttle.
PASSWORD_RESET_TIMEOUT = 3 * 3600
HELPDESK_PASSWORD_RESET_EVERY_SECONDS = env.int("HELPDESK_PASSWORD_RESET_EVERY_SECONDS", default=300)
HELPDESK_PASSWORD_RESET_PER_IP_PER_HOUR = env.int("HELPDESK_PASSWORD_RESET_PER_IP_PER_HOUR", default=20)

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
