"""Issue 18 in the browser: a second contact about a child already known goes to their
allocated worker, who finds it in their notifications and the queue; the child lives in
another council's area, whose front door is sent one content-light notice; a wrong first
name is corrected with the original kept. Emails go through the real worker and SMTP."""

import datetime as dt

from django.conf import settings
from playwright.sync_api import expect

from referrals.models import Council, Referral
from referrals.triage import services as triage
from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import submitted_referral

pytestmark = E2E

CHILD = {
    "first_name": "Zoë",
    "last_name": "Ødegård",
    "date_of_birth": dt.date(2011, 9, 14),
    "address_line_1": "3 Invented Terrace",
    "postcode": "BD7 1AA",
    "concern": "Found at a station far from home with two phones.",
}
REASON = "Her school confirmed the spelling of her first name."


def test_a_known_child_goes_to_their_worker_their_council_is_told_and_a_name_is_corrected(
    celery_worker, mailbox, open_tab, practitioner, other_practitioner, triager
):
    earlier = submitted_referral(author=other_practitioner, **CHILD)
    triage.referral_claim(referral=earlier, user=triager)
    council = Council.objects.create(
        name="Westdale Council",
        front_door_email="mash@westdale.example",
        front_door_phone="01632 960100",
        postcode_areas=["BD"],
    )
    second = submitted_referral(author=practitioner, yes_to=["cl-02"], **CHILD)
    assert second.known_from_id == earlier.pk

    desk = sign_in(open_tab(), triager, device=enrolled_totp_device(triager))
    form.heading(desk, "Triage queue")
    row = desk.page.locator("tr", has_text=second.reference)
    expect(row).to_contain_text(f"Known — with {triager.full_name}")

    # The worker's notification opens the new contact.
    desk.goto("/notifications/")
    told = desk.page.locator("tr", has_text="New contact about someone already known")
    expect(told).to_contain_text(second.reference)
    desk.click(told.get_by_role("button", name="Open"))
    form.heading(desk, f"Referral {second.reference}")
    panel = desk.page.locator("#front-door")
    expect(panel).to_contain_text(earlier.reference)
    expect(panel).to_contain_text("This may be another council's child")

    # The home council, suggested from the postcode; its front door is told once.
    desk.click(panel.get_by_role("link", name="Record the home council"))
    form.heading(desk, "Record the home council")
    expect(desk.page.locator("#id_council")).to_have_value(str(council.pk))
    desk.click(desk.button("Record and tell the council"))
    expect(desk.page.locator("#front-door")).to_contain_text("Home council: Westdale Council")

    # A correction: the page shows the corrected name, the chronology the original.
    desk.click(desk.link("Correct the contact's details"))
    form.heading(desk, "Correct the contact's details")
    desk.page.fill("#id_first_name", "Zoey")
    desk.page.fill("#id_reason", REASON)
    desk.click(desk.button("Record correction"))
    expect(desk.page.locator("main")).to_contain_text("Zoey Ødegård")
    expect(desk.page.locator("#corrections")).to_contain_text(REASON)
    expect(desk.page.locator("#triage")).to_contain_text("First name: Zoë → Zoey")
    assert Referral.objects.get(pk=second.pk).first_name == "Zoey"
    desk.finish()

    mailbox.wait_for(
        lambda: (
            mailbox.accepted_for(council.front_door_email)
            and any("already known" in m.subject for m in mailbox.accepted_for(triager.email))
        ),
        what="the notice to the home council and the worker's email",
    )
    [notice] = mailbox.accepted_for(council.front_door_email)
    worker_email = [m for m in mailbox.accepted_for(triager.email) if "already known" in m.subject]
    assert second.reference in notice.text() and settings.FRONT_DOOR_PHONE in notice.text()
    personal = ["Zoë", "Zoey", "Ødegård", "14 September 2011", "2011-09-14", "3 Invented Terrace"]
    personal += ["BD7 1AA", CHILD["concern"], practitioner.full_name]
    for message in [notice, *worker_email]:
        leaked = [value for value in personal if value.lower() in message.text().lower()]
        assert not leaked, f"{message.subject!r} carries {leaked}"
