"""Which real services this run has, and how a test that needs one says so.

Locally a missing service skips its tests with the reason; in CI (CI=true) a missing
service fails them, because CI must run every test."""

import os

import pytest
from django.conf import settings


def using_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def broker_url() -> str:
    return settings.TEST_BROKER_URL


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run this test, but {reason}", pytrace=False)
    pytest.skip(reason)


def require_postgres() -> None:
    require(using_postgres(), "it needs PostgreSQL: set DATABASE_URL=postgres://...")


def require_broker() -> None:
    require(bool(broker_url()), "it needs a Redis broker: set CELERY_BROKER_URL=redis://...")
