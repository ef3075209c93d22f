"""Settings for benchmark runs: the portal's own settings (DEBUG off, production
middleware, two-factor on) with only what a loopback, plain-HTTP run needs changed,
plus the baseline views under /bench/. Never used by the portal itself."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
# The API submission line sends hundreds a second per client: the throttle still counts
# each request (its cost is measured), with a rate no line reaches.
os.environ.setdefault("API_RATE", "1000000/minute")

from config.settings import *  # noqa: E402,F403
from config.settings import LOGGING, STORAGES, env  # noqa: E402

ROOT_URLCONF = "bench.urls"

# Plain HTTP on 127.0.0.1: cookies without Secure (and so without the __Host- prefix).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
REQUIRE_2FA = True

# No collectstatic step: templates resolve {% static %} without a manifest.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".bench-media"  # noqa: F405

# Persistent database connections, as a deployment would configure (CONN_MAX_AGE).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)  # noqa: F405

# Production logs at INFO (one audit line per request); the run keeps that cost but
# sends it to the process's stderr, which the harness writes to a file.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": env("LOG_LEVEL", default="INFO")}}
