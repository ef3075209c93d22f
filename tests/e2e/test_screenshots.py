"""The main pages at desktop and phone widths, and at 200% zoom: each renders, passes
axe-core and, when narrow, the forms need no sideways scrolling. With SCREENSHOTS=1 the
test also writes the pictures the README shows, to docs/screenshots/ (synthetic data
only):

    SCREENSHOTS=1 make test PYTEST_ARGS=tests/e2e/test_screenshots.py
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.two_factor import needs_second_factor
from referrals.exports import figures
from referrals.exports import services as exports
from referrals.models import MonthlySummary
from referrals.models.exports import ExportState
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import ReferralFactory, submitted_referral

pytestmark = E2E

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {
    "desktop": {"width": 1280, "height": 1000},
    "mobile-375": {"width": 375, "height": 812},
    "mobile-320": {"width": 320, "height": 640},
    # 1280 px at 200% zoom: checked, not photographed.
    "zoom-200": {"width": 640, "height": 500},
}
PEOPLE = [{"role": "suspected_exploiter", "name": "Invented Olderperson", "phone": "07700900123"}]


@pytest.fixture
def pages(practitioner, triager, manager, other_practitioner):
    """Synthetic referrals behind each page, and who looks at it."""
    draft = ReferralFactory(author=practitioner, first_name="Testa", last_name="Fictional")
    earlier = submitted_referral(
        author=other_practitioner,
        first_name="Sample",
        last_name="Madeupname",
        date_of_birth=dt.date(2011, 2, 3),
        people=PEOPLE,
        submitted_at=timezone.now() - dt.timedelta(days=40),
    )
    submitted_referral(author=other_practitioner)
    submitted_referral(author=practitioner, immediate_danger="yes", is_urgent=True)
    current = submitted_referral(
        author=practitioner,
        first_name="Sample",
        last_name="Madeupname",
        date_of_birth=dt.date(2011, 2, 3),
        people=PEOPLE,
    )
    assert current.is_repeat and earlier.reference
    month = figures.previous_month(timezone.localdate())
    exports.summary_request(month=month, user=manager)  # rendered in-process (eager tasks)
    assert MonthlySummary.objects.get(month=month).state == ExportState.READY
    drafts = f"/referrals/drafts/{draft.public_id}"
    return [
        ("referral-form", practitioner, f"{drafts}/subject/", "Who the referral is about", True),
        ("check-answers", practitioner, f"{drafts}/check/", "Check your answers", True),
        ("triage-queue", triager, "/triage/", "Triage queue", False),
        ("referral", triager, f"/referrals/{current.reference}/", "Referral ", False),
        ("reports", manager, "/reports/", "Monthly summaries", False),
    ]


def test_the_main_pages_render_accessibly_at_desktop_and_phone_widths(open_tab, pages):
    write = os.environ.get("SCREENSHOTS") == "1"
    if write:
        FOLDER.mkdir(parents=True, exist_ok=True)
    tabs = {}
    for width_name, viewport in WIDTHS.items():
        for name, user, path, heading, must_reflow in pages:
            key = (width_name, user.pk)
            if key not in tabs:
                tabs[key] = open_tab(viewport=viewport, is_mobile=width_name.startswith("mobile"))
                device = enrolled_totp_device(user) if needs_second_factor(user) else None
                sign_in(tabs[key], user, device=device)
            visit = tabs[key].goto(path)
            expect(visit.page.locator("h1")).to_contain_text(heading)
            if must_reflow and width_name != "desktop":
                visit.assert_reflows()
            if write and width_name != "zoom-200":
                visit.page.screenshot(path=FOLDER / f"{name}-{width_name}.png")
