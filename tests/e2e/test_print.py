"""Issue 16: printing a referral gives the record, not the page's controls: no header
navigation, buttons or forms, and the OFFICIAL-SENSITIVE marking on every sheet."""

import subprocess

from playwright.sync_api import expect

from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import submitted_referral

pytestmark = E2E

MARKING = "OFFICIAL-SENSITIVE"


def test_a_printed_referral_leaves_out_navigation_buttons_and_forms(
    open_tab, triager, practitioner, tmp_path
):
    referral = submitted_referral(author=practitioner)
    visit = sign_in(open_tab(), triager, device=enrolled_totp_device(triager))
    visit.goto(f"/referrals/{referral.reference}/")
    page = visit.page
    # On screen the controls are there ...
    expect(page.locator(".govuk-header__navigation")).to_be_visible()
    expect(page.get_by_role("button", name="Claim this referral")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator(".govuk-header__navigation")).to_be_hidden()
    for control in page.locator("main .govuk-button, main form, #export").all():
        expect(control).to_be_hidden()
    expect(page.locator(".app-protective-marking")).to_have_text(MARKING)
    expect(page.locator(".app-protective-marking")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(referral.reference)
    assert page.locator(".govuk-summary-card").count() > 0
    expect(page.locator(".govuk-summary-card").first).to_be_visible()

    # ... and Chromium's own print puts the marking at the top and bottom of each sheet.
    pdf = tmp_path / "referral.pdf"
    page.pdf(path=str(pdf), format="A4")
    sheets = _pdf_text(pdf).split("\f")
    sheets = [s for s in sheets if s.strip()]
    assert len(sheets) >= 1
    for number, sheet in enumerate(sheets, start=1):
        lines = [line.strip() for line in sheet.strip().splitlines() if line.strip()]
        # The top margin box comes first; pdftotext may read the bottom one out of order.
        assert lines[0] == MARKING, f"sheet {number} starts with {lines[0]!r}"
        assert lines.count(MARKING) >= 2, f"sheet {number} is marked once only"
    assert "Sign out" not in "".join(sheets)
    assert "Claim this referral" not in "".join(sheets)


def _pdf_text(path) -> str:
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout
