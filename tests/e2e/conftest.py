"""Browser journeys: Debian's Chromium through Playwright, against pytest-django's live
server on PostgreSQL, with a real Celery worker whose email goes to a local SMTP sink.

On failure every open tab's screenshot and HTML are saved under test-artifacts/e2e/
(the folder CI should keep from a failed run)."""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from tests.celery_worker import WorkerProcess
from tests.e2e.portal import Visit
from tests.services import clamav_socket, require, require_broker, require_postgres

# Playwright's sync API runs an event loop in the test's thread; the test still talks
# to the database directly (factories, assertions), which Django allows only with this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 900}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    yield {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "accept_downloads": True,
    }
    # While Playwright's loop still runs: the test's own database connection (see
    # _migrated_rows) is closed, or it would keep the test database from being dropped.
    connections.close_all()


@pytest.fixture(autouse=True)
def _e2e_services():
    """Locally, without PostgreSQL or Chromium the journeys are skipped with the reason;
    in CI (CI=true) they fail instead."""
    require_postgres()
    require(Path(CHROMIUM).exists(), f"it needs Chromium at {CHROMIUM} (apt-get install chromium)")


# --- The database: committed rows, restored between journeys -------------------------


@pytest.fixture(scope="session", autouse=True)
def _migrated_rows(django_db_setup):
    """The rows migrations created (role groups, the indicator catalogue), as serialized
    when the test database was made. Taken before Playwright starts: once its event loop
    runs in this thread, Django hands the test a different connection object, which
    lacks them, so pytest-django's serialized rollback would silently restore nothing."""
    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def committed_db(transactional_db, _migrated_rows):
    """The live server and the worker see what the test commits, starting from the
    migrations' rows. (The teardown flush may empty the audit table: the test settings
    opt their database sessions in, see config/test_settings.py.)"""
    if _migrated_rows:
        # From now on pytest-django's own serialized rollback works on this connection.
        connection._test_serialized_contents = _migrated_rows
        _restore_migrated_rows(_migrated_rows)
    yield


def _restore_migrated_rows(rows: str) -> None:
    from indicators.models import CatalogueVersion

    if CatalogueVersion.objects.exists():
        return
    # Empty the tables first without post_migrate's new content types and permissions,
    # whose ids would clash with the serialized ones.
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(rows)


# --- The worker and the intake mailbox ---------------------------------------------


@pytest.fixture(scope="session")
def smtp_sink():
    from tests.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, smtp_sink):
    """As tests/conftest.py's, but the worker really speaks SMTP, to the sink."""
    require_broker()
    env = {"EMAIL_URL": smtp_sink.url, "DJANGO_SETTINGS_MODULE": "tests.settings_smtp_worker"}
    env["CLAMAV_SOCKET"] = clamav_socket()  # h21a: attachments are scanned on the worker
    worker = WorkerProcess(extra_env=env).start()
    yield worker
    worker.stop()


@pytest.fixture
def mailbox(smtp_sink):
    """The sink, emptied for this test."""
    for kept in (smtp_sink.accepted, smtp_sink.seen, smtp_sink.abandoned, smtp_sink.refused):
        kept.clear()
    return smtp_sink


# --- Evidence when a journey fails ----------------------------------------------------


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item._e2e_call_report = report
    if report.when == "call" and report.failed:
        _save_artifacts(item)


def _save_artifacts(item) -> None:
    browser = item.funcargs.get("browser")
    if browser is None:
        return
    folder = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for c, context in enumerate(browser.contexts):
        for p, page in enumerate(context.pages):
            stem = folder / f"tab{c}-{p}"
            try:
                page.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(page.content())
                Path(f"{stem}.url.txt").write_text(page.url + "\n")
            except Exception as exc:  # noqa: BLE001 - evidence is best effort
                Path(f"{stem}.error.txt").write_text(repr(exc))


@pytest.fixture
def open_tab(new_context, live_server, request):
    """open_tab(**context_args) -> a Visit in a fresh browser context (its own cookies,
    so one per person). After a passing test, every page each tab loaded must have
    been checked with axe-core."""
    visits = []

    def _open(**context_args):
        context = new_context(**{"viewport": DESKTOP, **context_args})
        visit = Visit(context.new_page(), live_server.url)
        visits.append(visit)
        return visit

    yield _open
    report = getattr(request.node, "_e2e_call_report", None)
    if report is not None and report.passed:
        for visit in visits:
            visit.finish()
