"""Issue 21, attachments, in the browser: a practitioner attaches a PDF and the EICAR
test file to what they sent; the real worker scans both with a real clamd
(scripts/clamd-test); the PDF can then be downloaded and EICAR shows quarantined;
triage download the clean file, and the download is audited."""

import time

import pytest
from playwright.sync_api import expect

from referrals.models import Attachment, AuditEvent
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories.attachments import EICAR, PDF_BYTES
from tests.factories.triage import claimed_referral
from tests.services import require_clamav

pytestmark = [*E2E, pytest.mark.clamav]


def _attach(visit, name: str, mime: str, content: bytes) -> None:
    visit.page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": mime, "buffer": content}]
    )
    visit.click(visit.button("Attach"))
    expect(visit.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "File attached"
    )


def _wait_scanned(count: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = Attachment.objects.filter(state=Attachment.State.PENDING).exists()
        if not pending and Attachment.objects.count() == count:
            return
        time.sleep(0.3)


def test_a_practitioner_attaches_a_pdf_and_eicar_and_triage_download_the_clean_one(
    celery_worker, open_tab, practitioner, triager, settings
):
    settings.CLAMAV_SOCKET = require_clamav()
    referral = claimed_referral(triager, author=practitioner, first_name="Zoë")

    own = open_tab()
    sign_in(own, practitioner)
    own.goto(f"/referrals/{referral.reference}/")
    own.click(own.link("Attach a file"))
    expect(own.page.locator(".govuk-warning-text").first).to_contain_text(
        "Never upload nude or semi-nude images"
    )
    _attach(own, "Zoë's letter.pdf", "application/pdf", PDF_BYTES)
    _attach(own, "screenshot.txt", "text/plain", EICAR)
    _wait_scanned(2)

    own.goto(f"/referrals/{referral.reference}/")
    panel = own.page.locator("#attachments")
    expect(panel.locator("tr", has_text="screenshot.txt")).to_contain_text("Quarantined")
    expect(panel.get_by_role("link", name="screenshot.txt")).to_have_count(0)
    expect(panel.locator("tr", has_text="Zoë's letter.pdf")).to_contain_text("Checked")
    with own.page.expect_download() as download:
        panel.get_by_role("link", name="Zoë's letter.pdf").click()
    assert download.value.suggested_filename == "Zoë's letter.pdf"

    desk = open_tab()
    sign_in(desk, triager, device=enrolled_totp_device(triager))
    desk.goto(f"/referrals/{referral.reference}/")
    with desk.page.expect_download() as download:
        desk.page.locator("#attachments").get_by_role("link", name="Zoë's letter.pdf").click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF_BYTES
    clean = Attachment.objects.get(state=Attachment.State.CLEAN)
    assert AuditEvent.objects.filter(
        action="attachment.downloaded", actor=triager, object_id=str(clean.pk)
    ).exists()
