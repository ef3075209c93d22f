"""Journey 4: a manager asks for last month's summary, the real worker renders the PDF,
the manager downloads it, and the PDF's text holds the month's figures."""

import datetime as dt
import re
import subprocess
import time
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import expect

from referrals.exports import figures
from referrals.models import MonthlySummary
from referrals.models.exports import ExportState
from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, Visit, enrolled_totp_device, sign_in
from tests.factories import submitted_referral

pytestmark = E2E
LONDON = ZoneInfo("Europe/London")


def received_on(month: dt.date, day: int) -> dt.datetime:
    return dt.datetime.combine(month.replace(day=day), dt.time(12), tzinfo=LONDON)


def reload_until_ready(visit: Visit, month: dt.date, timeout: float = 60) -> None:
    """The page says the summary is being produced; reload (as the manager would) once
    the worker has finished it."""
    deadline = time.monotonic() + timeout
    while not MonthlySummary.objects.filter(month=month, state=ExportState.READY).exists():
        assert time.monotonic() < deadline, "the worker did not produce the summary in time"
        time.sleep(0.3)
    visit.page.reload()
    visit.audit()


def pdf_text(path) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def figure(text: str, label: str) -> str:
    match = re.search(rf"{re.escape(label)}\s{{2,}}(.+?)\s*$", text, re.MULTILINE)
    assert match, f"no {label!r} in the PDF:\n{text[:3000]}"
    return match.group(1).strip()


def test_a_manager_produces_and_downloads_last_months_summary_with_the_right_figures(
    celery_worker, open_tab, manager, practitioner, other_practitioner, tmp_path
):
    month = figures.previous_month(timezone.localdate())
    for day in range(1, 6):  # five urgent referrals about children
        submitted_referral(
            author=practitioner,
            submitted_at=received_on(month, day),
            immediate_danger="yes",
            is_urgent=True,
            police_called=True,
        )
    for day in (10, 11):  # two routine referrals about adults at risk
        submitted_referral(
            author=other_practitioner, subject_type="adult", submitted_at=received_on(month, day)
        )
    submitted_referral(author=practitioner)  # this month: not in last month's summary
    submitted_referral(
        author=practitioner, submitted_at=received_on(month, 1) - dt.timedelta(days=3)
    )

    visit = open_tab()
    sign_in(visit, manager, device=enrolled_totp_device(manager))
    form.heading(visit, "Monthly summaries")

    visit.click(visit.button("Produce summary"))
    visit.assert_error_summary_links(["id_month"])
    visit.page.select_option("#id_month", f"{month:%Y-%m}")
    visit.click(visit.button("Produce summary"))
    expect(visit.page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"The summary for {month:%B %Y} is being produced"
    )
    reload_until_ready(visit, month)
    row = visit.page.locator("tr", has_text=f"{month:%B %Y}")
    expect(row.locator(".govuk-tag")).to_have_text("Ready")

    with visit.page.expect_download() as download_info:
        row.get_by_role("link", name=f"PDF summary for {month:%B %Y}").click()
    download = download_info.value
    assert download.suggested_filename == f"referrals-summary-{month:%Y-%m}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    text = pdf_text(saved)
    assert f"{month:%B %Y}" in text
    assert figure(text, "Referrals received") == "7"
    assert figure(text, "Urgent (immediate danger)") == "5"
    # 7 - 5 would give the adults' "c" away: the children's count is withheld.
    assert figure(text, "About a child") == "withheld"
    assert figure(text, "About an adult at risk") == "c"
    assert figure(text, "Decided") == "0"
    assert "Testperson" not in text and "Imaginary Road" not in text
