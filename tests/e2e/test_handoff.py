"""Issue 19, hand-offs, in the browser: a triage worker decides a contact is for early
help; the case is handed to the early help team administrators configured; the team
acknowledges by the link in its email (sent by the real worker through SMTP, carrying
no personal data); the referral page then shows the acknowledgement."""

import re

from playwright.sync_api import expect

from referrals.models import Handoff
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories.handoffs import EARLY_HELP_MAILBOX, early_help_team
from tests.factories.triage import claimed_referral

pytestmark = E2E

SUBJECT = {"first_name": "Łukasz", "last_name": "Inventedperson", "concern": "Seen at the station."}
RATIONALE = "Below the threshold for social care: early help with the family."


def test_triage_hands_a_contact_to_early_help_and_the_team_acknowledges_by_its_link(
    celery_worker, mailbox, open_tab, triager
):
    team = early_help_team()
    referral = claimed_referral(triager, **SUBJECT)

    desk = sign_in(open_tab(), triager, device=enrolled_totp_device(triager))
    desk.goto(f"/referrals/{referral.reference}/decide/")
    page = desk.page
    page.get_by_label("Early help").check()
    page.fill("#id_rationale", RATIONALE)
    desk.click(desk.button("Record decision"))
    panel = page.locator("#handoffs")
    expect(panel).to_contain_text(team.name)
    expect(panel).to_contain_text("Not yet acknowledged")
    desk.assert_no_axe_violations()
    assert Handoff.objects.get(referral=referral).state == "sent"

    mailbox.wait_for(
        lambda: mailbox.accepted_for(EARLY_HELP_MAILBOX), what="the early help team's email"
    )
    (message,) = mailbox.accepted_for(EARLY_HELP_MAILBOX)
    text = message.text()
    assert referral.reference in text
    leaked = [v for v in [*SUBJECT.values(), RATIONALE, "Łukasz"] if v.lower() in text.lower()]
    assert not leaked, f"{message.subject!r} carries {leaked}"
    link = re.search(r"https?://\S+/handoffs/acknowledge/\S+/", text).group(0)

    team_tab = open_tab()
    team_tab.goto("/" + link.split("/", 3)[3])
    expect(team_tab.page.locator("h1")).to_contain_text("Acknowledge the hand-off")
    team_tab.assert_no_axe_violations()
    team_tab.click(team_tab.button("Acknowledge the hand-off"))
    expect(team_tab.page.locator("h1")).to_contain_text("Hand-off acknowledged")
    team_tab.assert_no_axe_violations()
    team_tab.goto("/" + link.split("/", 3)[3])  # a second use says so
    expect(team_tab.page.locator("h1")).to_contain_text("already been acknowledged")
    team_tab.assert_no_axe_violations()

    desk.goto(f"/referrals/{referral.reference}/")
    panel = page.locator("#handoffs")
    expect(panel).to_contain_text("Acknowledged at")
    expect(panel).to_contain_text("by the link in the email")
    chronology = page.get_by_role(
        "table", name=f"Everything that has happened to {referral.reference}"
    )
    expect(chronology).to_contain_text("Hand-off acknowledged")
    desk.assert_no_axe_violations()
