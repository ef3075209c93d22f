"""Both PDFs rendered by a real Celery worker (through Redis) and read back with
pdftotext: the referral PDF as its exporter may see it, and the monthly summary whose
figures equal counts worked out in the test."""

import datetime as dt
import re
import time

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from indicators.models import CatalogueVersion, Indicator
from referrals.models import Export, MonthlySummary, ReferralEvent
from referrals.models.exports import ExportState
from referrals.tasks import export_render_task
from tests.auth import sign_in
from tests.celery_worker import WorkerProcess, publishing_to
from tests.factories import submitted_referral
from tests.factories.exports import (
    decide,
    downloaded_bytes,
    expected_figures,
    flat,
    known_month,
    pdf_text,
)
from tests.services import require_broker

pytestmark = pytest.mark.broker
MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture(autouse=True)
def _committed_db(_migration_data_restored, django_db_serialized_rollback, transactional_db):
    """Rows the worker's own connection sees; the migrations' data (catalogue, role
    groups) is restored before each test, as the flush after each empties every table."""


def wait_until_done(obj, timeout: float = 60):
    """Poll until the worker has moved the row out of pending (not a timing assertion:
    the deadline only stops a broken run from hanging)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        obj.refresh_from_db()
        if obj.state != ExportState.PENDING:
            return obj
        time.sleep(0.2)
    raise AssertionError(f"{obj} still pending after {timeout}s")


def wait_for_task(worker, task_id: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while f"[{task_id}] succeeded" not in worker.log():
        if time.monotonic() > deadline:
            raise AssertionError(f"task {task_id} not done:\n{worker.log()[-2000:]}")
        time.sleep(0.2)


def export_via_page(client, referral, **data) -> Export:
    client.post(reverse("export_create", args=[referral.reference]), data)
    export = Export.objects.filter(referral=referral).latest("requested_at")
    return wait_until_done(export)


def download_text(client, referral, export) -> list[str]:
    response = client.get(reverse("export_download", args=[referral.reference, export.pk]))
    assert response.status_code == 200
    return pdf_text(downloaded_bytes(response)).split("\f")[:-1]


@pytest.fixture
def decided_referral(practitioner, triager):
    referral = submitted_referral(
        author=practitioner,
        first_name="Testa",
        last_name="Testperson",
        yes_to=["cl-01", "cl-02"],
        people=[{"name": "Invented Person One", "phone": "+447700900555"}],
    )
    decide(
        referral,
        decided_at=timezone.now(),
        contact_outcome="referral",
        next_step="s17",
        decided_by=triager,
    )
    referral.refresh_from_db()
    referral.message_to_referrer = "Thank you: an assessment has started."
    referral.save(update_fields=["message_to_referrer"])
    return referral


def test_the_referral_pdf_holds_its_reference_marking_and_answered_indicators(
    celery_worker, client, practitioner, decided_referral
):
    # The catalogue is reworded after the referral: the PDF keeps the wording answered.
    version = CatalogueVersion.objects.create(number=999, change_summary="Reworded for the test")
    Indicator.objects.create(
        version=version,
        code="cl-01",
        wording="Reworded after submission",
        audience="both",
        group="exploitation",
        order=1,
    )
    sign_in(client, practitioner)
    export = export_via_page(client, decided_referral)
    assert export.state == ExportState.READY, export.error
    pages = download_text(client, decided_referral, export)
    text = flat(" ".join(pages))
    assert decided_referral.reference in text
    assert "Returning home late, staying out all night or going missing Yes" in text
    assert "Being found in areas away from home Yes" in text
    assert "Reworded after submission" not in text
    assert "Testa Testperson" in text
    # A referrer sees the outcome and the message for them, not the reasons.
    assert "Child-in-need assessment (section 17)" in text
    assert "Thank you: an assessment has started." in text
    assert "Invented rationale for the test." not in text
    assert "Chronology" not in text
    for number, page in enumerate(pages, start=1):
        page = flat(page)
        assert page.count(MARKING) >= 2  # header and footer
        assert "Exported by Pat Testteacher on" in page
        assert f"Page {number} of {len(pages)}" in page


def test_a_triage_pdf_adds_the_decision_chronology_and_linked_references(
    celery_worker, client, triager, practitioner, decided_referral
):
    linked = submitted_referral(people=[{"phone": "+447700900555"}])
    ReferralEvent.objects.create(
        referral=decided_referral, kind="note", actor=triager, text="Invented case note."
    )
    sign_in(client, triager)
    export = export_via_page(client, decided_referral)
    text = flat(" ".join(download_text(client, decided_referral, export)))
    assert "Invented rationale for the test." in text
    assert "Chronology" in text and "Referral received" in text
    assert "Invented case note." in text
    assert linked.reference in text
    assert "Exported by Tara Testtriage on" in text


def test_the_referrers_identity_can_be_withheld(celery_worker, client, triager, decided_referral):
    sign_in(client, triager)
    export = export_via_page(client, decided_referral, redact_referrer="on")
    text = flat(" ".join(download_text(client, decided_referral, export)))
    assert export.redact_referrer
    assert "Pat Testteacher" not in text
    assert "pat.teacher@example.org" not in text
    assert "Withheld in this export" in text
    assert decided_referral.reference in text


def test_a_redelivered_render_task_does_not_render_twice(
    celery_worker, client, practitioner, decided_referral
):
    sign_in(client, practitioner)
    export = export_via_page(client, decided_referral)
    files_before = set(default_storage.listdir("exports")[1])
    name_before = export.file.name
    # As if the broker delivered the task again (a lost acknowledgement).
    export_render_task.delay(export.pk)
    export_render_task.delay(export.pk)
    last = export_render_task.delay(export.pk)
    wait_for_task(celery_worker, last.id)  # the worker takes tasks in order
    export.refresh_from_db()
    assert export.file.name == name_before
    assert set(default_storage.listdir("exports")[1]) == files_before


# --- Monthly summary --------------------------------------------------------------


@pytest.fixture(scope="module")
def unsuppressed_worker_process(django_db_setup, django_db_blocker):
    """A worker with SUPPRESS_SMALL_COUNTS off, so every figure is printed exactly."""
    require_broker()
    worker = WorkerProcess(extra_env={"SUPPRESS_SMALL_COUNTS": "false"}).start()
    yield worker
    worker.stop()


@pytest.fixture
def unsuppressed_worker(unsuppressed_worker_process, transactional_db):
    with publishing_to(unsuppressed_worker_process.queue):
        yield unsuppressed_worker_process


def hours(value: float) -> str:
    return f"{value:g} hours"


def share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def test_the_summary_pdf_figures_equal_counts_worked_out_from_the_referrals(
    unsuppressed_worker, client, manager
):
    october = known_month()
    sign_in(client, manager)
    client.post(reverse("report_list"), {"month": "2026-10"})
    summary = wait_until_done(MonthlySummary.objects.get(month=dt.date(2026, 10, 1)))
    assert summary.state == ExportState.READY, summary.error
    response = client.get(reverse("summary_download_pdf", args=["2026-10"]))
    assert response.status_code == 200
    content = downloaded_bytes(response)
    pages = pdf_text(content).split("\f")[:-1]
    text = flat(" ".join(pages))
    # Laid out as printed: each figure on one line with its label.
    lines = pdf_text(content, layout=True)
    e = expected_figures(october, timezone.now())
    expected_lines = [
        ("Referrals received", e["received"]),
        ("Urgent (immediate danger)", e["urgent"]),
        ("About a child", e["child"]),
        ("About an adult at risk", e["adult"]),
        ("Re-referrals within 12 months", e["repeat"]),
        ("Re-referral rate", share(e["repeat"], e["received"])),
        ("Sharing a phone number with another referral", e["shared_phone"]),
        ("Sharing an address with another referral", e["shared_address"]),
        ("Decided", e["decided"]),
        ("Decided within one working day", e["decided_in_time"]),
        ("Share decided within one working day", share(e["decided_in_time"], e["received"])),
        ("Decided late", e["decided_late"]),
        ("Awaiting a decision and overdue", e["overdue_undecided"]),
        ("Median time to decision", hours(e["median_hours"])),
        ("90th percentile time to decision", hours(e["p90_hours"])),
        ("Police", e["kinds"]["police"]),
        ("Housing", e["kinds"]["housing"]),
        ("School or college", e["kinds"]["school"]),
        ("Adult safeguarding", e["outcomes"]["adult_safeguarding"]),
        ("Becomes a referral to children's social care", e["outcomes"]["referral"]),
        ("Returning home late, staying out all night or going missing", e["yes"]["cl-01"]),
        ("Being found in areas away from home", e["yes"]["cl-02"]),
    ]
    for label, value in expected_lines:
        pattern = rf"^\s*{re.escape(label)}\s{{2,}}{re.escape(str(value))}\s*$"
        assert re.search(pattern, lines, re.MULTILINE), (label, value)
    assert "October 2026" in text
    for number, page in enumerate(pages, start=1):
        assert flat(page).count(MARKING) >= 2
        assert f"Page {number} of {len(pages)}" in flat(page)
    # No personal data: none of the names or postcodes of the month's referrals.
    for referral in october:
        assert referral.last_name not in text
        assert referral.postcode not in text
