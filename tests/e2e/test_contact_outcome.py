"""Issue 18 in the browser: a triage worker decides that a contact becomes a referral
to children's social care, with its next step, the factors the warning signs suggest,
and the CIN referral date; the "no factors" rule is explained on the form."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import ContactOutcome, Status
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories.triage import claimed_referral

pytestmark = E2E

RATIONALE = "Missing twice this month and holding hotel keys: a strategy discussion today."


def test_a_triage_worker_decides_a_contact_becomes_a_referral(open_tab, triager):
    referral = claimed_referral(triager, yes_to=["cl-01", "cl-10"], first_name="Zoë")
    visit = sign_in(open_tab(), triager, device=enrolled_totp_device(triager))
    visit.goto(f"/referrals/{referral.reference}/decide/")
    page = visit.page
    visit.assert_no_axe_violations()

    # The factors the warning signs point to are ticked already.
    for label in ["10A: Going or being missing", "23A: Child criminal exploitation"]:
        expect(page.get_by_label(label)).to_be_checked()
    expect(page.get_by_label("13A: Gangs")).not_to_be_checked()

    # Choosing "becomes a referral" reveals its next step and date.
    next_step = page.get_by_role("group", name="Next step")
    expect(next_step).to_be_hidden()
    page.get_by_label("Becomes a referral to children's social care").check()
    expect(next_step).to_be_visible()
    page.get_by_label("21: No factors identified").check()
    page.fill("#id_rationale", RATIONALE)
    visit.click(visit.button("Record decision"))
    visit.assert_error_summary_links(["id_next_step_1", "id_factors_1"])
    expect(page.locator("main")).to_contain_text(
        "“No factors identified” cannot be combined with another factor"
    )
    expect(page.locator("#id_rationale")).to_have_value(RATIONALE)  # nothing typed is lost
    visit.assert_no_axe_violations()

    page.get_by_label("21: No factors identified").uncheck()
    expect(page.get_by_role("group", name="Next step")).to_be_visible()  # still revealed
    page.get_by_label("Child-protection strategy discussion (section 47)").check()
    visit.click(visit.button("Record decision"))

    record = page.locator("#triage")
    expect(record).to_contain_text(
        "Becomes a referral to children's social care: "
        "Child-protection strategy discussion (section 47)"
    )
    expect(record).to_contain_text("23A: Child criminal exploitation")
    expect(record).to_contain_text("2A: Schools")
    today = timezone.localdate()
    expect(record).to_contain_text(f"{today.day} {today:%B %Y}")
    visit.assert_no_axe_violations()
    referral.refresh_from_db()
    assert referral.status == Status.DECIDED
    assert referral.contact_outcome == ContactOutcome.REFERRAL
    assert referral.outcome == "s47"
    assert referral.factors == ["10A", "11A", "12A", "23A"]
    assert referral.cin_referral_date == today
    assert isinstance(referral.cin_referral_date, dt.date)
