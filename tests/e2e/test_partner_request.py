"""Issue 19, partner information requests, in the browser: triage sends a request to
the demo police organisation, the police Partner user signs in (with two-factor) and
answers "known to police: yes, with details", and triage sees the answer on the
referral, in its chronology and in the information-sharing log."""

from playwright.sync_api import expect

from accounts.models import Organisation, Role
from referrals.models import InformationRequest
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import UserFactory
from tests.factories.triage import claimed_referral

pytestmark = E2E

SUBJECT = {"first_name": "Zoë", "last_name": "Inventedperson", "concern": "Seen at the station."}
QUESTION = "Is Zoë known to police, and is there anything we should know?"
ANSWER = "Known to police: yes, with details. Stopped with Øyvind Testsson on 3 November."


def test_triage_asks_the_police_the_police_partner_answers_and_triage_sees_it(
    celery_worker, mailbox, open_tab, practitioner, triager
):
    police = Organisation.objects.create(name="Eastshire Police (demo)", kind="police")
    partner = UserFactory(
        email="partner.police@example.org",
        full_name="Piotr Demo-Police",
        organisation=police,
        roles=[Role.PARTNER],
    )
    referral = claimed_referral(triager, author=practitioner, **SUBJECT)

    desk = open_tab()
    sign_in(desk, triager, device=enrolled_totp_device(triager))
    desk.goto(f"/referrals/{referral.reference}/")
    panel = desk.page.locator("#partner-requests")
    desk.click(panel.get_by_role("link", name="Ask a partner agency"))
    desk.page.get_by_label("Agency").select_option(label="Eastshire Police (demo) (Police)")
    desk.page.get_by_label("What you are asking").fill(QUESTION)
    desk.click(desk.button("Send the request"))
    expect(desk.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Request sent to Eastshire Police (demo)"
    )
    expect(panel).to_contain_text("Waiting for an answer")
    info = InformationRequest.objects.get(referral=referral)

    agency = open_tab()
    sign_in(agency, partner, device=enrolled_totp_device(partner))
    expect(agency.page.locator("h1")).to_have_text("Information requests to your agency")
    agency.click(agency.page.get_by_role("link", name=f"Request {info.pk}"))
    expect(agency.page.locator("#partner-question")).to_contain_text(QUESTION)
    expect(agency.page.locator("#partner-shared")).to_contain_text("Zoë Inventedperson")
    expect(agency.page.locator("main")).not_to_contain_text(practitioner.full_name)
    agency.click(agency.button("Send the answer"))  # empty: explained
    agency.assert_error_summary_links(["id_answer"])
    agency.page.get_by_label("What your agency knows").fill(ANSWER)
    agency.click(agency.button("Send the answer"))
    expect(agency.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Answer sent"
    )
    # The referral itself stays out of reach.
    response = agency.page.goto(agency.base_url + f"/referrals/{referral.reference}/")
    assert response.status == 404
    agency.audit()

    desk.goto(f"/referrals/{referral.reference}/")
    expect(desk.page.locator("#partner-requests")).to_contain_text(ANSWER)
    expect(desk.page.locator("#partner-requests")).to_contain_text("Answered")
    chronology = desk.page.get_by_role(
        "table", name=f"Everything that has happened to {referral.reference}"
    )
    expect(chronology).to_contain_text("Answer from a partner")
    log = desk.page.locator("#sharing-log")
    expect(log).to_contain_text("Information request to a partner")
    expect(log).to_contain_text("A partner's answer")

    mailbox.wait_for(
        lambda: mailbox.accepted_for(partner.email) and mailbox.accepted_for(triager.email),
        what="the request's email to the partner and the answer's to the asker",
    )
    personal = ["Zoë", "Inventedperson", QUESTION, ANSWER, practitioner.full_name]
    for message in mailbox.accepted_for(partner.email) + mailbox.accepted_for(triager.email):
        text = message.text()
        leaked = [value for value in personal if value.lower() in text.lower()]
        assert not leaked, f"{message.subject!r} carries {leaked}"
