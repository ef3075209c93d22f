"""A real Celery worker process on the real broker, for the tests that need one."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parent.parent


def _test_database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


class WorkerProcess:
    """`celery worker` as a child process, consuming a queue private to this test run
    so that nothing from another run or a developer's own worker interferes."""

    def __init__(self, queue: str | None = None, extra_env: dict | None = None):
        self.queue = queue or f"test-{uuid.uuid4().hex[:8]}"
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None
        self.log_path = ROOT / ".test-logs" / f"worker-{self.queue}.log"

    def env(self) -> dict:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": settings.TEST_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "EMAIL_URL": os.environ.get("TEST_WORKER_EMAIL_URL", "consolemail://"),
        }
        env.update(self.extra_env)
        return env

    def start(self) -> "WorkerProcess":
        self.log_path.parent.mkdir(exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                self.queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname={self.queue}@%h",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            if b"ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as when a host is lost."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "_log", None):
            self._log.close()


class publishing_to:  # noqa: N801 - used as a context manager
    """Within the block, tasks go through the broker to `queue` instead of running
    in-process (the test settings default to eager)."""

    def __init__(self, queue: str):
        self.queue = queue

    def __enter__(self):
        self._saved = (app.conf.task_always_eager, app.conf.task_default_queue)
        app.conf.task_always_eager = False
        app.conf.task_default_queue = self.queue
        return self

    def __exit__(self, *exc):
        app.conf.task_always_eager, app.conf.task_default_queue = self._saved
