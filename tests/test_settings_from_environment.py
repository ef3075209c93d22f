"""Settings come from the environment and refuse unsafe or broken values loudly."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('loaded')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_fails_loudly():
    result = _load_settings(DEBUG="false", ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_secret_key_from_environment_loads_with_debug_off():
    result = _load_settings(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


def test_unrecognised_database_url_fails_loudly():
    result = _load_settings(DEBUG="true", DATABASE_URL="postgress//typo@127.0.0.1/test")
    assert result.returncode != 0
    assert "DATABASE_URL is not a usable PostgreSQL or SQLite URL" in result.stderr


def test_database_url_with_unsupported_engine_fails_loudly():
    result = _load_settings(DEBUG="true", DATABASE_URL="mysql://root@127.0.0.1/test")
    assert result.returncode != 0
    assert "DATABASE_URL is not a usable" in result.stderr


def test_wildcard_allowed_hosts_is_refused_in_production():
    result = _load_settings(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "never '*'" in result.stderr


def test_tasks_run_through_the_broker_whenever_one_is_configured():
    env = {"DEBUG": "true", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
    code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False", result.stderr
