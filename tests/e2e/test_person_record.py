"""Issue 20: a triage worker opens a referral, follows the link to the person record
of a child referred twice with the same line number, and sees the network as a table
(the SVG graph's equivalent for screen readers); the page passes axe-core."""

import datetime as dt

from playwright.sync_api import expect

from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import submitted_referral

pytestmark = E2E

LINE = [{"name": "Invented Runner", "phone": "+447700900123", "role": "suspected_exploiter"}]
DOB = dt.date(2011, 3, 9)


def test_triage_opens_a_person_record_and_sees_the_shared_line_in_the_network_table(
    open_tab, triager, practitioner
):
    first = submitted_referral(
        author=practitioner,
        first_name="Zoë",
        last_name="O'Brien-Łukasz",
        date_of_birth=DOB,
        people=LINE,
    )
    second = submitted_referral(
        author=practitioner,
        first_name="Zoe",
        last_name="OBrien Lukasz",
        date_of_birth=DOB,
        people=LINE,
    )
    tab = open_tab()
    sign_in(tab, triager, device=enrolled_totp_device(triager))
    tab.goto(f"/referrals/{second.reference}/")
    tab.click(tab.page.locator("#person-record").get_by_role("link", name="Person record"))
    expect(tab.page.locator("h1")).to_have_text(
        "Person record " + tab.path.strip("/").split("/")[-1]
    )
    referrals = tab.page.locator("#person-referrals")
    expect(referrals).to_contain_text(first.reference)
    expect(referrals).to_contain_text(second.reference)
    table = tab.page.get_by_role("table", name="Every link in the network")
    expect(table).to_contain_text("Phone number 07700 900123")
    expect(tab.page.locator("#network svg[role=img]")).to_be_visible()
    tab.finish()
