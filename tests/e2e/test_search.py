"""Issue 20: a triage worker finds a referral by a name typed without its accents and
punctuation, and by a phone number typed in another format; the administrator's audit
search shows the search and the hit opened from it."""

import datetime as dt

from playwright.sync_api import expect

from referrals import normalise
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in, sign_out
from tests.factories import submitted_referral

pytestmark = E2E


def test_a_triage_worker_finds_a_referral_by_name_and_by_phone_and_the_audit_shows_it(
    open_tab, triager, admin
):
    zoe = submitted_referral(
        first_name="Zoë", last_name="O'Brien-Łukasz", date_of_birth=dt.date(2011, 5, 4)
    )
    phoned = submitted_referral(people=[{"phone": normalise.phone_e164("+44 7700 900123")}])

    visit = open_tab()
    sign_in(visit, triager, device=enrolled_totp_device(triager))
    visit.goto("/search/")
    visit.page.fill("#id_q", "zoe obrien")
    visit.click(visit.button("Search"))
    expect(visit.page.locator("#results")).to_have_text("1 result")
    visit.click(visit.link(zoe.reference))
    expect(visit.page.locator("h1")).to_contain_text(zoe.reference)

    visit.goto("/search/")
    visit.page.fill("#id_phone", "07700 900123")
    visit.click(visit.button("Search"))
    expect(visit.link(phoned.reference)).to_be_visible()
    sign_out(visit)

    sign_in(visit, admin, device=enrolled_totp_device(admin))
    visit.goto(f"/accounts/audit/?user={triager.email}")
    table = visit.page.locator("table")
    expect(table).to_contain_text("search.performed")
    expect(table).to_contain_text("search.hit_opened")
