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


# h21a: the ClamAV daemon that scripts/clamd-test starts (.ci/run starts it).
DEFAULT_CLAMAV_SOCKET = "/tmp/portal-clamd/clamd.sock"


def clamav_socket() -> str:
    return os.environ.get("CLAMAV_SOCKET") or DEFAULT_CLAMAV_SOCKET


def require_clamav() -> str:
    """The socket of a clamd that answers PING; skip (fail in CI) if there is none."""
    import socket

    path = clamav_socket()
    answered = False
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(3)
            sock.connect(path)
            sock.sendall(b"zPING\0")
            answered = sock.recv(16).startswith(b"PONG")
    except OSError:
        pass
    require(answered, f"it needs clamd on {path}: start it with scripts/clamd-test")
    return path
