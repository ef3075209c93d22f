"""Settings for the county-lines referral portal.

Every setting comes from the environment (12-factor), so production differs from
development only by environment variables. `.env.example` documents each one.
"""

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# No default outside DEBUG: a production deployment must never run on a known key.
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="insecure-development-key-only-for-debug-mode")
else:
    try:
        SECRET_KEY = env("SECRET_KEY")
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from exc

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's hosts, never '*'.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The portal's own public address, used for links in emails (which carry no personal data).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
PORTAL_NAME = env("PORTAL_NAME", default="County lines referrals")

INSTALLED_APPS = [
    "django.contrib.postgres",  # h20a: trigram search (pg_trgm)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "guardian",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "accounts",
    "indicators",
    "referrals",
]

MIDDLEWARE = [
    "accounts.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication, OTP and messages: each may sign the user out or redirect.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a locked-out sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.portal",
            ],
        },
    },
    # Row fragments of the hottest pages (`*.jinja`, rendered by referrals.fragments
    # only; README "Which template engine renders what"). No context processors: a
    # fragment gets what its presenter gives it.
    {
        "NAME": "fragments",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment"},
    },
]

# --- Database ---------------------------------------------------------------
_SUPPORTED_DB_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


def _database_from_url(url: str) -> dict:
    config = env.db_url_config(url)
    if config.get("ENGINE") not in _SUPPORTED_DB_ENGINES or not config.get("NAME"):
        # Fail loudly: a typo must not silently fall back to another database.
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a usable PostgreSQL or SQLite URL: {url!r} "
            "(expected postgres://user@host:5432/name or sqlite:///path)."
        )
    return config


DATABASES = {
    "default": _database_from_url(
        env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
# Holds rendered page fragments that do not depend on the viewer (the triage queue's
# filter form), never personal data. Per process by default; a shared cache
# (redis://host:6379/1) lets every worker reuse one rendering.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Users and sign-in --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username + IP is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# The portal has no anonymous access to anything; guardian needs no anonymous user row.
ANONYMOUS_USER_NAME = None
# Guardian's generic object-permission tables are not used for referrals (they have
# direct foreign-key models), so the orphan-prone generic tables stay empty.
GUARDIAN_RAISE_403 = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Demo only: `seed_demo` gives every demo user this password.
DEMO_PASSWORD = env("DEMO_PASSWORD", default="demo-password-2026")

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "/static/"
# Where collectstatic puts the hashed files that whitenoise serves when DEBUG is off.
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# In development whitenoise serves straight from the app folders (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Email ----------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@county-lines.example.org")
# The intake team's shared mailbox(es): new-referral alerts go here.
INTAKE_MAILBOXES = env.list("INTAKE_MAILBOXES", default=["intake@example.org"])
# Where the accessibility statement (/accessibility/) asks people to report a problem.
ACCESSIBILITY_CONTACT_EMAIL = env(
    "ACCESSIBILITY_CONTACT_EMAIL", default="accessibility@example.org"
)

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker (the demo) tasks run in-process; whenever a broker is configured
# they go through it to a real worker.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
# Acknowledge after the task ran, so a worker killed mid-task has it redelivered;
# tasks are idempotent for exactly this reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Redis redelivers an unacknowledged task after visibility_timeout; it must exceed every
# countdown and time limit or a slow task would run twice (tested in test_settings_*).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A broker outage must be invisible to users (docs/security.md): a request publishes
    # after commit, tries the broker once, briefly, and leaves the outbox rows to the
    # relay. kombu retries a failed connect `max_retries` times, sleeping interval_start
    # (2 s) first: that sleep was the 2 s a submission waited with Redis down. A broker
    # whose host drops packets costs one connect timeout. The worker's own connection is
    # retried by Celery (broker_connection_retry*), not by these.
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE: dict = {
    "drafts-expire": {"task": "referrals.drafts_expire", "schedule": 3600.0},
}

# Notifications (referrals/notifications/delivery.py). The row counts attempts: after
# NOTIFICATION_MAX_ATTEMPTS failures it is marked failed and shown to administrators.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)
# Retry n waits between half and all of BACKOFF * 2**(n-1) seconds, at most BACKOFF_MAX.
NOTIFICATION_RETRY_BACKOFF = env.int("NOTIFICATION_RETRY_BACKOFF", default=30)
NOTIFICATION_RETRY_BACKOFF_MAX = env.int("NOTIFICATION_RETRY_BACKOFF_MAX", default=1800)
NOTIFICATION_SEND_SOFT_TIME_LIMIT = env.int(
    "NOTIFICATION_SEND_SOFT_TIME_LIMIT", default=3 * EMAIL_TIMEOUT
)
NOTIFICATION_SEND_TIME_LIMIT = env.int(
    "NOTIFICATION_SEND_TIME_LIMIT", default=NOTIFICATION_SEND_SOFT_TIME_LIMIT + 15
)
# A claim older than this belongs to a dead worker (it is longer than the send time
# limit, so a live attempt has always ended by then) and the relay republishes the row.
NOTIFICATION_CLAIM_SECONDS = env.int(
    "NOTIFICATION_CLAIM_SECONDS", default=2 * NOTIFICATION_SEND_TIME_LIMIT
)
# The relay publishes rows never published after this many seconds, and rows published
# (or due for a retry) this long ago but still pending.
NOTIFICATION_RELAY_SECONDS = env.float("NOTIFICATION_RELAY_SECONDS", default=5.0)
NOTIFICATION_RELAY_AFTER_SECONDS = env.int("NOTIFICATION_RELAY_AFTER_SECONDS", default=5)
NOTIFICATION_REPUBLISH_AFTER_SECONDS = env.int("NOTIFICATION_REPUBLISH_AFTER_SECONDS", default=600)
# The daily digest of overdue referrals to Triage leads, at this hour (Europe/London).
NOTIFICATION_DIGEST_HOUR = env.int("NOTIFICATION_DIGEST_HOUR", default=8)
CELERY_BEAT_SCHEDULE.update(
    {
        "notification-relay": {
            "task": "referrals.notification_relay",
            "schedule": NOTIFICATION_RELAY_SECONDS,
            # A relay that could not run in time is replaced by the next one.
            "options": {"expires": NOTIFICATION_RELAY_SECONDS},
        },
        "notifications-overdue": {"task": "referrals.notifications_overdue", "schedule": 300.0},
        "notifications-digest": {
            "task": "referrals.notifications_digest",
            "schedule": crontab(minute=0, hour=NOTIFICATION_DIGEST_HOUR),
        },
    }
)

# --- Safeguarding timescales -------------------------------------------------
# Working Together 2023: a decision within one working day; the hour it falls due.
DECISION_DUE_HOUR = env.int("DECISION_DUE_HOUR", default=17)
# Urgent (immediate danger) referrals must be claimed within this many hours.
URGENT_CLAIM_HOURS = env.int("URGENT_CLAIM_HOURS", default=1)
# Office hours (London time) on working days: the working hours the RAG clocks count.
WORKING_DAY_START_HOUR = env.int("WORKING_DAY_START_HOUR", default=9)
WORKING_DAY_END_HOUR = env.int("WORKING_DAY_END_HOUR", default=17)


def _rag_clocks(raw: dict) -> dict:
    """RAG_CLOCKS="red=4h,amber=1wd,green=3wd": per rating, "h" elapsed hours (through
    nights and weekends), "wh" working hours or "wd" working days (office hours only).
    Read as (hours, kind) for referrals.timeliness.rag_due."""
    day = WORKING_DAY_END_HOUR - WORKING_DAY_START_HOUR
    units = {"h": (1, "hours"), "wh": (1, "working hours"), "wd": (day, "working hours")}
    clocks = {}
    for rating in ("red", "amber", "green"):
        match = re.fullmatch(r"(\d+(?:\.\d+)?)(wh|wd|h)", str(raw.get(rating, "")).strip())
        if match is None:
            raise ImproperlyConfigured(f"RAG_CLOCKS needs {rating}=<number><h|wh|wd>")
        factor, kind = units[match.group(2)]
        clocks[rating] = (float(match.group(1)) * factor, kind)
    return clocks


RAG_CLOCKS = _rag_clocks(
    env.dict("RAG_CLOCKS", default={"red": "4h", "amber": "1wd", "green": "3wd"})
)
# A red contact still undecided this many minutes before its deadline alerts the leads.
RAG_RED_WARNING_MINUTES = env.int("RAG_RED_WARNING_MINUTES", default=60)

# A question to the referrer is due by the end of this many working days (the triage
# worker may choose another day); the decision's own clock never pauses meanwhile.
REFERRER_QUESTION_DUE_WORKING_DAYS = env.int("REFERRER_QUESTION_DUE_WORKING_DAYS", default=1)
# Unsubmitted drafts are deleted after this many days.
DRAFT_RETENTION_DAYS = env.int("DRAFT_RETENTION_DAYS", default=30)
# Known children (issue 18): a contact about someone with an undecided contact, or one
# decided at most this many days ago, goes to that contact's allocated worker (the
# open-case bypass: "closed within about 28 to 30 days").
KNOWN_CHILD_DAYS = env.int("KNOWN_CHILD_DAYS", default=30)
# This council's own postcode areas (LS) or districts (LS1): a subject whose home
# postcode is outside them prompts triage to record the home council. Empty: no prompt
# from the postcode (the "found out of area" answer still prompts).
HOME_POSTCODE_AREAS = [a.upper() for a in env.list("HOME_POSTCODE_AREAS", default=["LS"])]
# Named in the notice to another council's front door ("call ..."): this front door.
FRONT_DOOR_NAME = env("FRONT_DOOR_NAME", default="Testshire Council children's front door")
FRONT_DOOR_PHONE = env("FRONT_DOOR_PHONE", default="0113 496 0000")
# Proxies in front of the portal that append to X-Forwarded-For (for the client IP).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# --- Security -------------------------------------------------------------------
# Everything below is what `manage.py check --deploy --fail-level WARNING` and
# docs/security.md ask for; outside DEBUG nothing is optional.
_HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if NUM_PROXIES else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS)
# The health check is probed over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only matters once someone submits the domain to the browsers' list.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = _HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-sessionid" if _HTTPS else "sessionid"
CSRF_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "__Host-csrftoken" if _HTTPS else "csrftoken"
# A refused form gets a page in the service's design that says why and what to do,
# not Django's bare 403 page.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Idle timeout (ours: 30 minutes, with a warning shortly before) and an absolute
# lifetime; both are enforced on the server by accounts.middleware.SessionTimeoutMiddleware.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=2 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Content-Security-Policy (django-csp 4): scripts and styles only from the portal
# itself, so no inline script or style can run.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Two-factor sign-in (TOTP, django-otp) for Triage, Manager and Administrator.
# `make run`'s demo turns it off (REQUIRE_2FA=false) and the sign-in page says so.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=True)
OTP_TOTP_ISSUER = PORTAL_NAME
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_TOTP_THROTTLE_FACTOR = 1
# How many one-time backup codes a user gets at enrolment.
OTP_BACKUP_CODES = 10

# Lockout (django-axes): 5 failures for one username from one IP pause that pair for a
# cool-off, so an attacker can neither guess on nor lock a whole office out.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.username_from_request"
# The same client address the audit trail records (behind NUM_PROXIES proxies).
AXES_CLIENT_IP_CALLABLE = "referrals.audit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Successful sign-ins are on the audit trail already (accounts.signals).
AXES_DISABLE_ACCESS_LOG = True

# Invitation and password links stay valid this long (Django's reset tokens).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 60 * 60)

# --- Exports and reports ---------------------------------------------------------
# Where generated PDFs are kept. Local files by default; set STORAGE_BACKEND to
# "storages.backends.s3.S3Storage" (django-storages) so several web and worker hosts
# share them, with AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME and
# the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Files are never served from a
# public URL: downloads stream through a view that checks permission each time.
STORAGES["default"] = {
    "BACKEND": env("STORAGE_BACKEND", default="django.core.files.storage.FileSystemStorage")
}
if STORAGES["default"]["BACKEND"].startswith("storages.backends.s3"):
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
        "region_name": env("AWS_S3_REGION_NAME", default=None),
        # Private objects; no signed URLs are ever handed out.
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
# Referral PDFs are deleted this many days after they were produced.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
# A render longer than this fails with a message (soft) or is killed (hard), seconds.
EXPORT_RENDER_SOFT_TIME_LIMIT = env.int("EXPORT_RENDER_SOFT_TIME_LIMIT", default=45)
EXPORT_RENDER_TIME_LIMIT = env.int("EXPORT_RENDER_TIME_LIMIT", default=60)
# A PDF longer than this fails with a clear message instead of growing without bound.
EXPORT_MAX_PAGES = env.int("EXPORT_MAX_PAGES", default=200)
# Monthly summaries show counts of 1 to 4 as "fewer than 5".
SUPPRESS_SMALL_COUNTS = env.bool("SUPPRESS_SMALL_COUNTS", default=True)
CELERY_BEAT_SCHEDULE.update(
    {
        "monthly-summary-previous-month": {
            "task": "referrals.summary_previous_month",
            "schedule": crontab(minute=30, hour=2, day_of_month=1),
        },
        "exports-delete-expired": {
            "task": "referrals.exports_delete_expired",
            "schedule": crontab(minute=15, hour="*"),
        },
    }
)

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint narrates every render step at INFO; only its problems matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- h19b ---
# Partner information requests (referrals/partners). The answer is due, by the
# referral's RAG rating (blank counts as amber), after: red 2 working hours, amber 1
# working day, green 3 working days (units as RAG_CLOCKS). An agency kind may have its
# own clocks: PARTNER_REQUEST_DUE_BY_KIND='{"health": "red=4wh,amber=2wd,green=5wd"}'.
PARTNER_REQUEST_DUE = _rag_clocks(
    env.dict("PARTNER_REQUEST_DUE", default={"red": "2wh", "amber": "1wd", "green": "3wd"})
)
PARTNER_REQUEST_DUE_BY_KIND = {
    kind: _rag_clocks(dict(part.split("=", 1) for part in clocks.split(",")))
    for kind, clocks in env.json("PARTNER_REQUEST_DUE_BY_KIND", default={}).items()
}
# The partner's users are reminded this share of the time before the due time (at
# least PARTNER_REMINDER_MIN_MINUTES before); when overdue the triage leads are told.
PARTNER_REMINDER_SHARE = env.float("PARTNER_REMINDER_SHARE", default=0.25)
PARTNER_REMINDER_MIN_MINUTES = env.int("PARTNER_REMINDER_MIN_MINUTES", default=30)
CELERY_BEAT_SCHEDULE["partner-requests-chase"] = {
    "task": "referrals.partner_requests_chase",
    "schedule": 300.0,
}

# --- h19c ---
# Hand-offs (referrals/handoffs): a receiving team acknowledges within this many working
# days or the Triage leads are alerted; the link in its email works for this many days.
HANDOFF_ACK_WORKING_DAYS = env.int("HANDOFF_ACK_WORKING_DAYS", default=1)
HANDOFF_LINK_DAYS = env.int("HANDOFF_LINK_DAYS", default=14)
CELERY_BEAT_SCHEDULE.update(
    {"handoffs-overdue": {"task": "referrals.handoffs_overdue", "schedule": 900.0}}
)

# --- h20a ---
# How long a break-glass opening from the search (issue 20) lasts.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=3)

# --- h21a ---
# Attachments (referrals/attachments): size and count limits, and the ClamAV daemon
# that scans every file before anyone can open it. Without CLAMAV_SOCKET or CLAMAV_HOST
# (make run), files show "scanning unavailable" and cannot be opened.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_PER_REFERRAL = env.int("ATTACHMENT_MAX_PER_REFERRAL", default=10)
CLAMAV_SOCKET = env("CLAMAV_SOCKET", default="")
CLAMAV_HOST = env("CLAMAV_HOST", default="")
CLAMAV_PORT = env.int("CLAMAV_PORT", default=3310)
CLAMAV_TIMEOUT = env.float("CLAMAV_TIMEOUT", default=30.0)
CELERY_BEAT_SCHEDULE["attachments-rescan"] = {
    "task": "referrals.attachments_rescan_pending",
    "schedule": env.float("ATTACHMENT_RESCAN_SECONDS", default=60.0),
}

# --- h22 ---
# The partner API (issue 22): Django REST Framework under /api/v1/, bearer tokens of
# registered ApiClients, problem+json errors, a rate per client.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar"]
API_RATE = env("API_RATE", default="120/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["referrals.api.authentication.ApiClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["referrals.api.authentication.HasApiClient"],
    "DEFAULT_THROTTLE_CLASSES": ["referrals.api.throttling.ApiClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_client": API_RATE},
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "referrals.api.errors.problem_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{PORTAL_NAME} partner API",
    "DESCRIPTION": "Referrals from partner systems; see the README's API section.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's assets from the portal itself (drf-spectacular-sidecar): CSP 'self'.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- h22b ---
# Partner webhooks (issue 22): signed event deliveries from the outbox.
WEBHOOKS_ALLOW_LOOPBACK = env.bool("WEBHOOKS_ALLOW_LOOPBACK", default=False)
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=10.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {"task": "referrals.webhooks_sweep", "schedule": 60.0}

# --- h21r ---
# Retention (issue 21): the nightly task refreshes the due list at this hour (Europe/
# London); an administrator destroys at most this many records in one batch.
RETENTION_DUE_HOUR = env.int("RETENTION_DUE_HOUR", default=2)
RETENTION_BATCH_MAX = env.int("RETENTION_BATCH_MAX", default=200)
CELERY_BEAT_SCHEDULE["retention-list-due"] = {
    "task": "referrals.retention_list_due",
    "schedule": crontab(minute=15, hour=RETENTION_DUE_HOUR),
}
# --- h21s ---
# Subject access bundles (issue 21): every referral about a person in one PDF, so a
# longer page limit than a single referral's export.
SUBJECT_ACCESS_MAX_PAGES = env.int("SUBJECT_ACCESS_MAX_PAGES", default=500)
