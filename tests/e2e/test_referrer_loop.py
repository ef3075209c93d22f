"""Issue 19, the referrer loop, in the browser: triage asks the referrer a question,
the referrer finds it in "my referrals" and answers it, and triage sees the answer
(badged in the queue, on the referral page and in its chronology). The emails, sent
by the real worker through SMTP, carry no personal data."""

from playwright.sync_api import expect

from referrals.models import ReferrerQuestion
from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, enrolled_totp_device, sign_in
from tests.factories import submitted_referral
from tests.factories.triage import claimed_referral

pytestmark = E2E

SUBJECT = {"first_name": "Zoë", "last_name": "Inventedperson", "concern": "Seen at the station."}
QUESTION = "Has Zoë been seen with the older boys since Friday?"
ANSWER = "Yes: on Monday at the bus station, with two men in a grey car."


def test_triage_asks_the_referrer_a_question_the_referrer_answers_and_triage_sees_it(
    celery_worker, mailbox, open_tab, practitioner, triager
):
    referral = claimed_referral(triager, author=practitioner, **SUBJECT)
    submitted_referral(last_name="Otherperson")

    desk = open_tab()
    sign_in(desk, triager, device=enrolled_totp_device(triager))
    desk.goto(f"/referrals/{referral.reference}/")
    desk.click(desk.link("Ask the referrer a question"))
    form.heading(desk, "Ask the referrer a question")
    desk.click(desk.button("Send the question"))
    desk.assert_error_summary_links(["id_text"])
    desk.page.fill("#id_text", QUESTION)
    desk.click(desk.button("Send the question"))
    loop = desk.page.locator("#referrer-loop")
    expect(loop).to_contain_text("Waiting on referrer")
    expect(loop).to_contain_text(QUESTION)
    desk.goto("/triage/")
    row = desk.page.locator("tr", has_text=referral.reference)
    expect(row).to_contain_text("Waiting on referrer")

    own = open_tab()
    sign_in(own, practitioner)
    sent = own.page.get_by_role("table", name="Referrals you have sent")
    row = sent.locator("tr", has_text=referral.reference)
    expect(row).to_contain_text("Question from the intake team")
    own.click(row.get_by_role("link", name=referral.reference, exact=True))
    question = ReferrerQuestion.objects.get(referral=referral)
    card = own.page.locator(f"#question-{question.pk}")
    expect(card).to_contain_text(QUESTION)
    own.click(card.get_by_role("button", name="Send answer"))  # empty: explained
    own.assert_error_summary_links([f"id_q{question.pk}_body"])
    own.page.fill(f"#id_q{question.pk}_body", ANSWER)
    own.click(own.button("Send answer"))
    expect(own.page.locator(".govuk-notification-banner--success")).to_contain_text("Answer sent")
    expect(own.page.locator(f"#question-{question.pk}")).to_contain_text(ANSWER)

    desk.goto("/triage/")
    row = desk.page.locator("tr", has_text=referral.reference)
    expect(row).to_contain_text("New information")
    expect(row).not_to_contain_text("Waiting on referrer")
    desk.click(row.get_by_role("link", name=referral.reference, exact=True))
    expect(desk.page.locator("#referrer-loop")).to_contain_text(ANSWER)
    chronology = desk.page.get_by_role(
        "table", name=f"Everything that has happened to {referral.reference}"
    )
    expect(chronology).to_contain_text("Answer from the referrer")
    desk.goto("/triage/")
    row = desk.page.locator("tr", has_text=referral.reference)
    expect(row).not_to_contain_text("New information")  # seen by the assignee

    mailbox.wait_for(
        lambda: (
            [m for m in mailbox.accepted_for(practitioner.email) if "question" in m.subject]
            and mailbox.accepted_for(triager.email)
        ),
        what="the question's email to the referrer and the answer's to the asker",
    )
    personal = [*SUBJECT.values(), "Zoë", QUESTION, ANSWER, practitioner.full_name]
    for message in mailbox.accepted_for(practitioner.email) + mailbox.accepted_for(triager.email):
        text = message.text()
        assert referral.reference in text
        leaked = [value for value in personal if value.lower() in text.lower()]
        assert not leaked, f"{message.subject!r} carries {leaked}"
