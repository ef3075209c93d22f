"""Test overrides. Services come from the same variables as production
(DATABASE_URL, CELERY_BROKER_URL); without them the suite runs on SQLite and the
tests that need a service say why they were skipped."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from config.settings import *  # noqa: E402,F403
from config.settings import BASE_DIR, CELERY_BROKER_URL, DATABASES, LOGGING, env  # noqa: E402

# Fast hashing: the Argon2 setting itself is asserted in the security tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"
# In-process tasks unless a test starts a real worker (tests/conftest.py: celery_worker);
# the worker process itself runs with CELERY_TASK_ALWAYS_EAGER=false.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# A file, not memory, so that a worker process can open the same SQLite test database.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
TEST_BROKER_URL = CELERY_BROKER_URL
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
WHITENOISE_AUTOREFRESH = True

# The test server and the test browser speak plain HTTP: cookies without Secure (and so
# without the __Host- prefix) and no redirect to HTTPS. Production values are proven by
# tests/test_security_deploy_check.py running `check --deploy` with production settings.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
# Two-factor sign-in stays on in tests whatever the environment says (tests.auth.sign_in
# enrols and verifies a device for the roles that need one).
REQUIRE_2FA = True

# Transactional tests end by emptying every table with TRUNCATE, which the audit table's
# append-only trigger refuses unless the session opts in (referrals/migrations/0002).
# UPDATE and DELETE stay refused, so the append-only tests still prove the rule.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["OPTIONS"]["options"] = "-c portal.allow_audit_truncate=on"
WEBHOOKS_ALLOW_LOOPBACK = True  # h22b: the webhook tests receive on 127.0.0.1
