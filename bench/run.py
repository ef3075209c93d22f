"""The benchmark run: load each scale, serve it with gunicorn, measure, report.
Started by `python -m bench` (bench/__main__.py), which sets the environment first."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import load, services
from bench import wrk as wrk_driver
from bench.measure_journey import JourneyMeasurements
from bench.measure_people import PeopleMeasurements
from bench.measure_search import SearchMeasurements
from bench.measure_web import WebMeasurements
from bench.measure_work import WorkerMeasurements
from bench.report import MS, Report, Row, machine_header, scale_label, verdict

ROOT = Path(__file__).resolve().parent.parent


# --- The run -------------------------------------------------------------------------


class Run(
    WebMeasurements, WorkerMeasurements, SearchMeasurements, PeopleMeasurements, JourneyMeasurements
):
    def __init__(self, args):
        self.args = args
        self.report = Report()
        self.env = dict(os.environ)
        self.port = services.free_port()
        self.server: services.Child | None = None
        self.wrk_cpu: list[tuple[float, int]] = []  # wrk's CPU per request, requests

    # Django is set up by __main__ before this module's functions use the ORM.
    def main(self) -> Report:
        pg = services.server_version(self.env["DATABASE_URL"])
        for stale in services.LOGS.glob("queries-*.sql"):
            stale.unlink()
        shutil.rmtree(ROOT / ".bench-media", ignore_errors=True)  # PDFs of earlier runs
        self.report.header.update(machine_header(f"PostgreSQL {pg}"))
        self.report.header.update(
            {
                "Web server": f"gunicorn, {self.args.workers} {self.args.worker_class} workers, "
                f"127.0.0.1, DEBUG off, two-factor on, CONN_MAX_AGE="
                f"{self.env.get('CONN_MAX_AGE', '300')}, settings bench.settings",
                "Load": self._load_header(),
                "Database": f"{services.database_name(self.env['DATABASE_URL'])} (made and dropped "
                "by the run); broker: Redis " + self.env["CELERY_BROKER_URL"],
                "Load average at start": _loadavg(),
            }
        )
        if self.args.reuse_db:
            self._scale(None, full=True)
        else:
            self._template()
            scales = self.args.scales
            for n in scales:
                self._scale(n, full=(n == scales[-1]))
            if not self.args.keep_db:
                services.drop_database(self.env["DATABASE_URL"])
            services.drop_database(self._template_url())
        if self.wrk_cpu:
            total = sum(ms * n for ms, n in self.wrk_cpu)
            count = sum(n for _, n in self.wrk_cpu)
            worst = max(ms for ms, _ in self.wrk_cpu)
            self.report.header["Load generator CPU"] = (
                f"wrk used {total / MS:.1f} s of CPU for {count:,} measured requests: "
                f"{total / max(1, count):.2f} ms per request on average, "
                f"{worst:.2f} ms on its dearest line"
            )
        return self.report

    # --- data ---

    def _template_url(self) -> str:
        url = self.env["DATABASE_URL"]
        return services.with_database(url, services.database_name(url) + "_template")

    def _manage(self, *argv: str, url: str | None = None) -> str:
        env = {**self.env, "DATABASE_URL": url or self.env["DATABASE_URL"]}
        done = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _template(self) -> None:
        print("Migrating a template database ...", flush=True)
        services.recreate_database(self._template_url())
        self._manage("migrate", "--noinput", url=self._template_url())

    def _load(self, n: int) -> None:
        from django.db import connection

        connection.close()
        services.recreate_database(
            self.env["DATABASE_URL"], services.database_name(self._template_url())
        )
        print(f"Loading {n:,} referrals ...", flush=True)
        began = time.monotonic()
        out = self._manage("bench_data", "--referrals", str(n))
        seconds = time.monotonic() - began
        counts = out.strip().splitlines()[-1]
        self.report.loads.append(
            f"{n:,} referrals: {seconds:.0f} s for `bench_data` (load, VACUUM, ANALYZE): "
            f"{counts}; "
            f"load average before measuring: {_loadavg()}"
        )
        if n >= 1_000_000:
            self.report.add(
                Row(
                    "Load with bench_data",
                    scale_label(n),
                    f"{seconds / 60:.1f} min",
                    "",
                    "< 10 min",
                    verdict(seconds < 600),
                )
            )

    # --- one scale ---

    def _scale(self, n: int | None, *, full: bool) -> None:
        if n is None:  # --reuse-db: measure the database as an earlier run left it
            from referrals.models import Referral

            n = Referral.objects.submitted().count()
            self.report.loads.append(f"reused the database as it was: {n:,} submitted referrals")
        else:
            self._load(n)
        from bench.sessions import Browser

        people = _people()
        self.triage = [Browser(u) for u in people["triage"][: self.args.clients]]
        self.server = services.gunicorn(
            self.env, self.port, self.args.workers, self.args.worker_class
        )
        try:
            self._check_signed_in()
            self._measure("queue", self._queue, n)
            if full:
                self._measure("detail", self._detail, n)
                self._measure("pages", self._pages, n, people["practitioners"])
                self._measure("explain", self._explain, n)
                self._measure("submission", self._submission, n, people["practitioners"])
                self._measure("api", self._api_submission, n, people["practitioners"])
                self._measure("pdf", self._pdf, n)
                self._measure("search", self._search, n)
                self._measure("notifications", self._notifications, n, people["practitioners"])
        finally:
            self.server.stop()
        if full:
            self._measure("summary", self._summary, n)
            # h20b (issue 20): in-process, after the web lines.
            self._measure("journey", self._journey, n, people["practitioners"])
            self._measure("network", self._network, n)
            self._measure("mace", self._mace, n)

    def _measure(self, name: str, method, *args) -> None:
        """One measurement; a failure is reported in the table and the run goes on."""
        if name in self.args.skip:
            return
        try:
            method(*args)
        except Exception as exc:  # noqa: BLE001 - reported, and the other lines still run
            import traceback

            traceback.print_exc()
            self.report.add(
                Row(name, scale_label(args[0]), f"FAILED: {exc!s:.200}", "", "", "MISS")
            )

    def _check_signed_in(self) -> None:
        import http.client

        conn = http.client.HTTPConnection(load.HOST, self.port, timeout=30)
        conn.request("GET", "/triage/", headers=self.triage[0].headers())
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            raise RuntimeError(
                f"the bench session is not accepted: /triage/ answered {response.status} "
                f"{response.getheader('Location')}"
            )

    def _rotating(self, browsers, paths):
        """A request source cycling through browsers and paths (thread-safe enough:
        next() on itertools.cycle is atomic under the GIL)."""
        import itertools

        listed = [load.Request("GET", p, b.headers()) for p in paths for b in browsers]
        pairs = itertools.cycle(listed)

        def next_request():
            return next(pairs)

        next_request.requests = listed  # what wrk sends (bench/wrk.py)
        return next_request

    def _load_header(self) -> str:
        if self.args.driver == "wrk":
            return (
                f"wrk ({wrk_driver.version()}), {self.args.clients} keep-alive connections over "
                f"{self.args.wrk_threads} threads on the same machine, "
                f"{self.args.warmup:g} s warm-up then {self.args.seconds:g} s measured per line; "
                'wrk\'s own CPU per request is given beside each line ("wrk N ms")'
            )
        return (
            f"{self.args.clients} concurrent keep-alive clients (http.client threads "
            f"on the same machine), {self.args.warmup:g} s warm-up then "
            f"{self.args.seconds:g} s measured per line"
        )

    def _run(self, name, next_request, **kw):
        if self.args.driver == "wrk" and hasattr(next_request, "requests"):
            return self._run_wrk(name, next_request.requests, **kw)
        kw.pop("consumes", None)
        kw.setdefault("clients", self.args.clients)
        kw.setdefault("seconds", self.args.seconds)
        kw.setdefault("warmup", self.args.warmup)
        cpu_before = services.cpu_seconds_of_children(self.server.process.pid)
        result = load.run(name, self.port, next_request, **kw)
        cpu = services.cpu_seconds_of_children(self.server.process.pid) - cpu_before
        # Counted over warm-up and window alike, so divided by every response sent.
        result.app_cpu_ms = cpu * MS / max(1, result.sent)
        return result

    def _run_wrk(self, name, requests, *, consumes: bool = False, expect=(200,), **_):
        """wrk for the warm-up, then wrk again for the measured window, with the workers'
        CPU read from /proc around the measured run only. If each request consumes
        something (a draft), the warm-up gets the list's last tenth and the window the rest."""
        measured, warm = requests, requests
        if consumes:
            cut = max(1, len(requests) // 10)
            measured, warm = requests[:-cut], requests[-cut:]
        common = {"clients": self.args.clients, "threads": self.args.wrk_threads}
        if self.args.warmup > 0:
            wrk_driver.run(name, self.port, warm, seconds=self.args.warmup, expect=expect, **common)
        cpu_before = services.cpu_seconds_of_children(self.server.process.pid)
        result = wrk_driver.run(
            name, self.port, measured, seconds=self.args.seconds, expect=expect, **common
        )
        cpu = services.cpu_seconds_of_children(self.server.process.pid) - cpu_before
        result.app_cpu_ms = cpu * MS / max(1, result.sent)
        self.wrk_cpu.append((result.wrk_cpu_ms, result.sent))
        return result

    def _page_bytes(self, browser, path: str) -> int:
        """The size of one response to `path` from the server under test."""
        import http.client

        conn = http.client.HTTPConnection(load.HOST, self.port, timeout=30)
        try:
            conn.request("GET", path, headers=browser.headers())
            return len(conn.getresponse().read())
        finally:
            conn.close()

    def _api_queries(self, token: str, body: bytes) -> tuple[int, list]:
        """The SQL of one API submission (bench.count_queries API ...)."""
        services.LOGS.mkdir(exist_ok=True)
        body_file = services.LOGS / "api-submission-body.json"
        body_file.write_bytes(body)
        out = services.LOGS / "queries-post-api-v1-referrals.sql"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.count_queries",
                "API",
                "/api/v1/referrals/",
                token,
                str(out),
                str(body_file),
            ],
            cwd=services.APP_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"counting the API submission failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if result["status"] != 201:
            raise RuntimeError(f"the API submission answered {result['status']} to the test client")
        return result["count"], result["sql"]

    def _queries(self, browser, path: str, method: str = "GET") -> tuple[int, list]:
        """SQL statements of one request through the Django test client, counted in a
        process running the web server's code (this tree, or --app-dir)."""
        services.LOGS.mkdir(exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:60]
        out = services.LOGS / f"queries-{method.lower()}-{name}.sql"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.count_queries",
                method,
                path,
                browser.session_key,
                str(out),
            ],
            cwd=services.APP_DIR,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"counting the queries of {path} failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if result["status"] not in (200, 302):
            raise RuntimeError(f"{path} answered {result['status']} to the test client")
        return result["count"], result["sql"]


def _people() -> dict:
    from bench.data import _existing_bench_users

    practitioners, triage = _existing_bench_users()
    return {"practitioners": practitioners, "triage": triage}


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
