"""A PDF export in the browser: the referral page's "Export as PDF" opens the page of
what to withhold (issue 17 moved the choices off the referral page); the practitioner
withholds their own identity, the worker produces the PDF and the referral page offers
it for download."""

import time

from playwright.sync_api import expect

from referrals.models import Export
from referrals.models.exports import ExportState
from tests.e2e.portal import E2E, sign_in
from tests.factories import submitted_referral

pytestmark = E2E


def test_a_practitioner_chooses_what_to_withhold_and_downloads_the_pdf(
    celery_worker, open_tab, practitioner
):
    referral = submitted_referral(
        author=practitioner, first_name="Øyvind", last_name="Łukasz-Testperson"
    )
    visit = open_tab()
    sign_in(visit, practitioner)
    visit.goto(f"/referrals/{referral.reference}/")
    visit.click(visit.page.locator("#export").get_by_role("link", name="Export as PDF"))
    expect(visit.page.locator("h1")).to_have_text("Export as PDF")
    visit.page.get_by_label("Withhold the referrer's identity").check()
    visit.click(visit.button("Export PDF"))
    expect(visit.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The PDF is being produced"
    )
    export = Export.objects.get(referral=referral)
    assert export.redact_referrer
    for _ in range(120):  # the worker renders it
        export.refresh_from_db()
        if export.state != ExportState.PENDING:
            break
        time.sleep(0.25)
    assert export.state == ExportState.READY, export.error
    visit.goto(f"/referrals/{referral.reference}/")
    panel = visit.page.locator("#export")
    expect(panel).to_contain_text("Ready")
    expect(panel.get_by_role("link", name="Download PDF")).to_be_visible()
