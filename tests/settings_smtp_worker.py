"""Test settings for a worker process that really speaks SMTP (to a test's local sink,
given by EMAIL_URL): config.test_settings keeps the in-memory backend for everything
else."""

from config import settings as _configured
from config.test_settings import *  # noqa: F403

EMAIL_BACKEND = _configured.EMAIL_BACKEND
