"""The processes a run needs, all on 127.0.0.1 and all stopped by the run: the
benchmark database, gunicorn, one Celery worker and an SMTP sink."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / ".bench-logs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- Database ----------------------------------------------------------------------


def _admin_connection(url: str):
    parts = urllib.parse.urlsplit(url)
    conn = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
    )
    conn.autocommit = True
    return conn


def server_version(url: str) -> str:
    conn = _admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    conn.close()
    return version


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def recreate_database(url: str, template: str | None = None) -> None:
    """Drop and create the run's own database (optionally as a copy of `template`)."""
    name = database_name(url)
    conn = _admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        cursor.execute(f'CREATE DATABASE "{name}"{suffix}')
    conn.close()


def drop_database(url: str) -> None:
    conn = _admin_connection(url)
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    conn.close()


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


# --- Child processes -----------------------------------------------------------------


# Where gunicorn and the worker run from: this tree, or (--app-dir) another checkout of
# the portal, e.g. one with a proposed fix, measured against the same data.
APP_DIR = ROOT


class Child:
    """A child process in its own process group, logging to .bench-logs/NAME.log."""

    def __init__(self, name: str, argv: list[str], env: dict):
        LOGS.mkdir(exist_ok=True)
        self.name = name
        self.log_path = LOGS / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            argv,
            cwd=APP_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_for(self, text: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            if text in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} not ready in {timeout}s; see {self.log_path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self._log.close()


def cpu_seconds_of_children(parent_pid: int) -> float:
    """User + system CPU time used so far by the live child processes of `parent_pid`
    (gunicorn's workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, ... utime is field 14, stime 15 (1-based).
        if int(fields[1]) == parent_pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def gunicorn(env: dict, port: int, workers: int = 2, worker_class: str = "sync") -> Child:
    bin_dir = Path(sys.executable).parent
    argv = [
        str(bin_dir / "gunicorn"),
        "config.wsgi:application",
        f"--workers={workers}",
        f"--worker-class={worker_class}",
        f"--bind=127.0.0.1:{port}",
        "--backlog=64",
        "--timeout=60",
        "--keep-alive=5",
    ]
    if worker_class == "gthread":
        argv.append("--threads=4")
    child = Child("gunicorn", argv, env)
    child.wait_for(b"Booting worker", 60)
    _wait_port(port)
    return child


def celery_worker(env: dict, queue: str) -> Child:
    argv = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
        f"--hostname=bench-{queue}@%h",
    ]
    child = Child("celery-worker", argv, env)
    child.wait_for(b"ready.", 60)
    return child


def _wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on 127.0.0.1:{port}")


# --- SMTP sink -------------------------------------------------------------------------


class SmtpSink:
    """aiosmtpd on 127.0.0.1: records when each message was accepted."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.accepted: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                content = envelope.content.decode("utf-8", "replace")
                with sink._lock:
                    sink.accepted.append((time.monotonic(), content))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def first_containing(self, text: str) -> float | None:
        with self._lock:
            return next((t for t, content in self.accepted if text in content), None)
