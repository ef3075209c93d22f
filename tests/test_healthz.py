"""`/healthz` tells a load balancer whether the portal can serve."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.services import require_broker

ROOT = Path(__file__).resolve().parent.parent


def _healthz_in_fresh_process(**env_overrides) -> tuple[int, dict]:
    """Ask /healthz from a process configured with these variables, so that a
    database or broker that is really unreachable is what the view meets."""
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz', HTTP_HOST='localhost');"
        "print(json.dumps([r.status_code, json.loads(r.content)]))"
    )
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CELERY_BROKER_URL", None)
    env.update(env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    return status, body


def test_healthz_is_ok_with_database_and_no_broker_configured(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.headers["Content-Type"] == "application/json"


def test_healthz_answers_503_when_the_database_is_unreachable():
    status, body = _healthz_in_fresh_process(DATABASE_URL="postgres://postgres@127.0.0.1:1/none")
    assert status == 503
    assert body == {"database": "down", "broker": "not configured"}


def test_healthz_reports_a_broker_that_is_down_without_failing(tmp_path):
    status, body = _healthz_in_fresh_process(
        DATABASE_URL=f"sqlite:///{tmp_path / 'h.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
    )
    assert status == 200
    assert body == {"database": "ok", "broker": "down"}


def test_healthz_reports_a_reachable_broker_as_ok(tmp_path):
    require_broker()
    from django.conf import settings

    status, body = _healthz_in_fresh_process(
        DATABASE_URL=f"sqlite:///{tmp_path / 'h.sqlite3'}",
        CELERY_BROKER_URL=settings.TEST_BROKER_URL,
    )
    assert (status, body) == (200, {"database": "ok", "broker": "ok"})


def test_a_reachable_broker_is_asked_at_most_every_few_seconds(client, db, settings, monkeypatch):
    """The broker check opened a new connection on every request (more than half of
    the request's CPU); a broker found reachable is remembered for BROKER_OK_SECONDS,
    one found down is asked again at once."""
    from config import views

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    calls = []

    class Connection:
        def __init__(self, fail):
            self.fail = fail

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def ensure_connection(self, **kwargs):
            calls.append(self.fail)
            if self.fail:
                raise OSError("refused")

    outcome = {"fail": True}
    monkeypatch.setattr(views.app, "connection_for_write", lambda: Connection(outcome["fail"]))
    monkeypatch.setattr(views, "_broker_ok_until", 0.0)
    assert client.get("/healthz").json()["broker"] == "down"
    assert client.get("/healthz").json()["broker"] == "down"
    assert len(calls) == 2
    outcome["fail"] = False
    assert client.get("/healthz").json()["broker"] == "ok"
    assert client.get("/healthz").json()["broker"] == "ok"
    assert len(calls) == 3
    monkeypatch.setattr(views, "_broker_ok_until", 0.0)  # BROKER_OK_SECONDS later
    outcome["fail"] = True
    assert client.get("/healthz").json()["broker"] == "down"
    assert len(calls) == 4
