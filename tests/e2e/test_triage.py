"""Journey 3: a triage worker enrols an authenticator app, works the queue (filters,
claim, linked referrals, a decision with its reasons); the practitioner then sees the
outcome; and every email, sent by the real worker through SMTP, carries no personal
data."""

import base64
import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from referrals.models import Referral, Status
from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, Visit, sign_in
from tests.factories import TEST_PASSWORD, submitted_referral

pytestmark = E2E

SUBJECT = {
    "first_name": "Testa",
    "last_name": "Linkperson",
    "date_of_birth": dt.date(2011, 5, 17),
    "address_line_1": "7 Invented Close",
    "postcode": "LS2 7QQ",
    "school_or_placement": "Testshire Academy",
    "concern": "Seen with older males near the station late at night.",
}
EXPLOITER = {"name": "Fictional Dealer", "phone": "+447700900456", "role": "suspected_exploiter"}
RATIONALE = "Repeat referral, a shared phone with an earlier concern and missing episodes."
MESSAGE = "A social worker will contact you about a joint visit."


def enrol_and_sign_in(visit: Visit, user) -> None:
    """First sign-in for a triage worker: password, then setting up the authenticator app
    from the key on the page (as typing it into an app would), then the backup codes."""
    visit.goto("/accounts/login/")
    visit.page.fill("#id_username", user.email)
    visit.page.fill("#id_password", TEST_PASSWORD)
    visit.click("#id_submit")
    form.heading(visit, "Set up two-factor sign-in")
    key = visit.page.locator(".app-secret-key").inner_text().replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    totp = TOTP(secret)
    visit.page.fill("#id_token", f"{totp.token():06d}")
    visit.click(visit.button("Set up"))
    form.heading(visit, "Your backup codes")
    expect(visit.page.locator(".app-backup-codes li")).to_have_count(settings.OTP_BACKUP_CODES)
    visit.click(visit.link("I have kept my codes – continue"))
    form.heading(visit, "Triage queue")


def apply_filter(visit: Visit, **selects) -> None:
    details = visit.page.locator("details", has_text="Filter referrals")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    for name, value in selects.items():
        visit.page.select_option(f"#id_{name}", value)
    visit.click(visit.button("Apply filters"))


def queue_references(visit: Visit) -> list[str]:
    table = visit.page.get_by_role("table", name="Referrals in the triage queue")
    if table.count() == 0:
        return []
    return [r.strip() for r in table.locator("tbody th[scope=row]").all_inner_texts()]


def test_a_triage_worker_claims_checks_links_and_decides_and_the_referrer_sees_the_outcome(
    celery_worker, mailbox, open_tab, practitioner, other_practitioner, triager
):
    earlier = submitted_referral(
        author=other_practitioner,
        people=[EXPLOITER],
        submitted_at=timezone.now() - dt.timedelta(days=60),
        **SUBJECT,
    )
    Referral.objects.filter(pk=earlier.pk).update(
        status=Status.DECIDED, contact_outcome="early_help"
    )
    routine = submitted_referral(author=other_practitioner, last_name="Otherperson")
    referral = submitted_referral(author=practitioner, people=[EXPLOITER], **SUBJECT)
    assert referral.is_repeat

    desk = open_tab()
    enrol_and_sign_in(desk, triager)
    assert set(queue_references(desk)) == {referral.reference, routine.reference}

    # Filters: by referring organisation, then only what is unassigned.
    apply_filter(desk, organisation=str(practitioner.organisation_id))
    assert queue_references(desk) == [referral.reference]
    expect(desk.page.get_by_role("link", name="Clear filters")).to_be_visible()
    apply_filter(desk, organisation="", assigned="unassigned")
    assert set(queue_references(desk)) == {referral.reference, routine.reference}
    desk.click(desk.link("Clear filters"))

    # The referral, its links to the earlier one, then claiming it.
    desk.click(desk.page.get_by_role("link", name=referral.reference, exact=True))
    form.heading(desk, f"Referral {referral.reference}")
    links = desk.page.get_by_role("table", name=f"Referrals linked to {referral.reference}")
    expect(links).to_contain_text(earlier.reference)
    expect(links).to_contain_text("Re-referral within 12 months")
    expect(links).to_contain_text("07700 900456")
    desk.click(links.get_by_role("link", name=earlier.reference).first)
    form.heading(desk, f"Referral {earlier.reference}")
    desk.page.go_back()
    desk.audit()
    desk.click(desk.button("Claim this referral"))
    expect(desk.page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You have claimed {referral.reference}"
    )
    triage_panel = desk.page.locator("#triage")
    expect(triage_panel).to_contain_text(triager.full_name)

    # A decision needs an outcome and the reasons for it.
    desk.click(desk.link("Record a decision"))
    form.heading(desk, "Record a decision")
    desk.click(desk.button("Record decision"))
    desk.assert_error_summary_links(["id_contact_outcome_1", "id_rationale"])
    desk.page.get_by_label("Becomes a referral to children's social care").check()
    desk.page.get_by_label("Child-in-need assessment (section 17)").check()
    desk.page.fill("#id_rationale", RATIONALE)
    desk.page.fill("#id_message_to_referrer", MESSAGE)
    desk.click(desk.button("Record decision"))
    expect(triage_panel).to_contain_text("Child-in-need assessment (section 17)")
    expect(triage_panel).to_contain_text(RATIONALE)
    referral.refresh_from_db()
    assert referral.status == Status.DECIDED and referral.decided_by == triager

    # The practitioner sees the outcome and the message, not the reasons.
    own = open_tab()
    sign_in(own, practitioner)
    sent = own.page.get_by_role("table", name="Referrals you have sent")
    row = sent.locator("tr", has_text=referral.reference)
    expect(row).to_contain_text("Child-in-need assessment (section 17)")
    expect(row).to_contain_text(MESSAGE)
    own.click(row.get_by_role("link", name=referral.reference))
    expect(own.page.locator("main")).to_contain_text("Child-in-need assessment (section 17)")
    expect(own.page.locator("main")).not_to_contain_text(RATIONALE)

    # The emails the worker sent through SMTP: the reference and a link, nothing personal.
    intake = settings.INTAKE_MAILBOXES[0]
    mailbox.wait_for(
        lambda: mailbox.accepted_for(intake) and len(mailbox.accepted_for(practitioner.email)) >= 2,
        what="new-referral, acknowledgement and outcome emails",
    )
    new_referral = [m for m in mailbox.accepted_for(intake) if referral.reference in m.text()]
    assert new_referral, [m.subject for m in mailbox.accepted_for(intake)]
    mine = [m for m in mailbox.accepted_for(practitioner.email) if referral.reference in m.text()]
    assert len(mine) == 2, [m.subject for m in mine]
    personal = [
        SUBJECT["first_name"],
        SUBJECT["last_name"],
        "17 May 2011",
        "2011-05-17",
        SUBJECT["address_line_1"],
        SUBJECT["postcode"],
        SUBJECT["school_or_placement"],
        SUBJECT["concern"],
        EXPLOITER["name"],
        "07700 900456",
        "+447700900456",
        RATIONALE,
        MESSAGE,
        practitioner.full_name,
        practitioner.organisation.name,
    ]
    for message in new_referral + mine:
        text = message.text()
        assert f"{settings.SITE_URL}/" in text
        leaked = [value for value in personal if value.lower() in text.lower()]
        assert not leaked, f"{message.subject!r} carries {leaked}"
