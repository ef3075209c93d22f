"""Issue 20's whole journey in one go ("Do we know them?"): a triage worker finds a
referral by a name typed without its accents and punctuation, finds the referral entered
with "+44 7700 900123" by the number typed as "07700 900123", opens the person record
from the results, sees the line number shared with another referral in the network
table, and an administrator's audit search then shows the search and the opened hit."""

import datetime as dt

from playwright.sync_api import expect

from referrals import normalise
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in, sign_out
from tests.factories import submitted_referral

pytestmark = E2E

LINE = [
    {
        "name": "Invented Runner",
        "phone": normalise.phone_e164("+44 7700 900123"),
        "role": "suspected_exploiter",
    }
]


def test_a_triage_worker_asks_do_we_know_them_and_the_audit_shows_the_search_and_the_hit(
    open_tab, triager, admin, practitioner
):
    zoe = submitted_referral(
        author=practitioner,
        first_name="Zoë",
        last_name="O'Brien-Łukasz",
        date_of_birth=dt.date(2011, 5, 4),
        people=LINE,
    )
    other = submitted_referral(
        author=practitioner,
        first_name="Øyvind",
        last_name="Æsaberg",
        date_of_birth=dt.date(2010, 1, 20),
        people=LINE,
    )

    tab = open_tab()
    sign_in(tab, triager, device=enrolled_totp_device(triager))

    # The name, typed without accents, apostrophe or hyphen.
    tab.goto("/search/")
    tab.page.fill("#id_q", "zoe obrien")
    tab.click(tab.button("Search"))
    expect(tab.page.locator("#results")).to_have_text("1 result")
    expect(tab.link(zoe.reference)).to_be_visible()

    # The phone, typed in another format than the referrer's.
    tab.goto("/search/")
    tab.page.fill("#id_phone", "07700 900123")
    tab.click(tab.button("Search"))
    expect(tab.page.locator("#results")).to_have_text("2 results")
    results = tab.page.locator("#results + ul > li")
    expect(results).to_have_count(2)
    expect(results.filter(has_text=other.reference)).to_have_count(1)
    found = results.filter(has_text=zoe.reference)
    expect(found).to_have_count(1)

    # From the results to Zoë's person record, and the network behind the line.
    tab.click(found.get_by_role("link", name="Person record"))
    expect(tab.page.locator("h1")).to_have_text(
        "Person record " + tab.path.strip("/").split("/")[-1]
    )
    expect(tab.page.locator("#person-referrals")).to_contain_text(zoe.reference)
    table = tab.page.get_by_role("table", name="Every link in the network")
    expect(table).to_contain_text("Phone number 07700 900123")
    expect(table).to_contain_text(other.reference)
    sign_out(tab)

    sign_in(tab, admin, device=enrolled_totp_device(admin))
    tab.goto(f"/accounts/audit/?user={triager.email}")
    audit = tab.page.locator("table")
    expect(audit).to_contain_text("search.performed")
    expect(audit).to_contain_text("search.hit_opened")
    expect(audit).to_contain_text(zoe.reference)
    tab.finish()
