"""Issue 16: the triage queue and the other list pages at any width. At 1280, 375 and
320 px, and at 400% zoom (a 1280 px window is 320 CSS px wide), no page scrolls
sideways as a whole (WCAG 1.4.10 reflow), and the queue shows each referral's
reference, urgency, decision due, links and who has it without any scrolling."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from accounts.two_factor import needs_second_factor
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import OrganisationFactory, UserFactory, submitted_referral
from tests.factories.triage import claimed_referral, decided_referral

pytestmark = E2E

VIEWPORTS = {
    "desktop-1280": {"viewport": {"width": 1280, "height": 900}},
    "phone-375": {"viewport": {"width": 375, "height": 812}, "is_mobile": True},
    "phone-320": {"viewport": {"width": 320, "height": 640}, "is_mobile": True},
    # 1280 x 900 device pixels at 400% zoom: 320 x 225 CSS px, each 4 device pixels.
    "zoom-400": {"viewport": {"width": 320, "height": 225}, "device_scale_factor": 4},
}
PEOPLE = [{"role": "suspected_exploiter", "name": "Invented Olderperson", "phone": "07700900123"}]
# A long name is the worst case for a cell.
LONG_NAME = "Bartholomew Featherstonehaugh-Cholmondeley"

# Each key cell of every queue row lies inside the viewport, with nothing scrolled.
KEY_CELLS_JS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const rows = document.querySelectorAll('.app-triage-queue tbody tr');
  if (!rows.length) problems.push('no rows');
  for (const row of rows) {
    for (const key of ['reference', 'urgency', 'due', 'links', 'assigned']) {
      const cell = row.querySelector(`[data-key="${key}"]`);
      if (!cell) { problems.push(`no ${key} cell`); continue; }
      const r = cell.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) problems.push(`${key} hidden`);
      if (r.left < 0 || r.right > width + 0.5) {
        problems.push(`${key} at ${Math.round(r.left)}-${Math.round(r.right)} of ${width}`);
      }
    }
  }
  return problems;
}"""


@pytest.fixture
def queue(practitioner, triager, other_triager, manager):
    """Referrals with everything the queue shows: urgent, overdue, repeat with a shared
    phone, assigned to a person with a long name, from an organisation with a long one."""
    long_org = OrganisationFactory(name="Testshire and Inventedborough Multi-Agency Hub")
    referrer = UserFactory(organisation=long_org, roles=[Role.PRACTITIONER])
    other_triager.full_name = LONG_NAME
    other_triager.save()
    earlier = submitted_referral(
        author=practitioner,
        first_name="Sample",
        last_name="Madeupname",
        date_of_birth=dt.date(2011, 2, 3),
        people=PEOPLE,
        submitted_at=timezone.now() - dt.timedelta(days=40),
    )
    assert earlier.reference
    submitted_referral(
        author=referrer,
        first_name="Sample",
        last_name="Madeupname",
        date_of_birth=dt.date(2011, 2, 3),
        people=PEOPLE,
        immediate_danger="yes",
        is_urgent=True,
        submitted_at=timezone.now() - dt.timedelta(days=3),
    )
    claimed_referral(other_triager, author=referrer)
    claimed_referral(triager, author=practitioner)
    submitted_referral(author=practitioner)


def _open(open_tab, user, viewport_name):
    tab = open_tab(**VIEWPORTS[viewport_name])
    device = enrolled_totp_device(user) if needs_second_factor(user) else None
    sign_in(tab, user, device=device)
    return tab


QUEUE_PAGES = {
    "queue": "/triage/",
    "filtered queue": "/triage/?urgent=yes",
    "queue with a filter error": (
        "/triage/?received_from_0=31&received_from_1=2&received_from_2=2011"
    ),
    "my work": "/triage/mine/",
}


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
def test_the_queue_pages_show_their_key_columns_without_scrolling_sideways(
    open_tab, queue, triager, viewport_name
):
    tab = _open(open_tab, triager, viewport_name)
    for name, path in QUEUE_PAGES.items():
        visit = tab.goto(path)
        visit.assert_reflows()
        visit.assert_no_axe_violations()
        problems = visit.page.evaluate(KEY_CELLS_JS)
        assert not problems, f"{name} at {viewport_name}: {problems}"
        region = visit.page.locator(".app-table-scroll").first
        expect(region).to_have_accessible_name(
            "Referrals assigned to you" if name == "my work" else "Referrals in the triage queue"
        )


@pytest.mark.parametrize("viewport_name", list(VIEWPORTS))
def test_notifications_reports_and_the_catalogue_do_not_scroll_sideways(
    open_tab, queue, triager, manager, viewport_name
):
    tab = _open(open_tab, triager, viewport_name)
    tab.goto("/notifications/").assert_reflows()
    tab.assert_no_axe_violations()
    expect(tab.page.locator(".app-table-scroll")).to_have_accessible_name("Your notifications")
    tab = _open(open_tab, manager, viewport_name)
    for path in ("/reports/", "/catalogue/"):
        tab.goto(path).assert_reflows()
        tab.assert_no_axe_violations()


@pytest.mark.parametrize("viewport_name", ["phone-320", "zoom-400"])
def test_my_referrals_shows_status_and_outcome_at_320_px(
    open_tab, practitioner, triager, viewport_name
):
    submitted_referral(author=practitioner)
    decided_referral(triager, author=practitioner, message="A social worker will call you.")
    tab = _open(open_tab, practitioner, viewport_name)
    visit = tab.goto("/referrals/mine/")
    visit.assert_reflows()
    visit.assert_no_axe_violations()
    width = visit.page.evaluate("() => document.documentElement.clientWidth")
    for key in ("status", "outcome"):
        for cell in visit.page.locator(f"[data-key='{key}']").all():
            box = cell.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, key
