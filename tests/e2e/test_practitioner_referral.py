"""Journey 1: a practitioner makes a referral in the browser, puts it down half-way,
signs out, comes back to it from My referrals and sends it."""

from playwright.sync_api import expect

from referrals.models import Referral
from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, sign_in, sign_out

pytestmark = E2E


def test_a_practitioner_corrects_mistakes_saves_half_way_resumes_and_sends_a_referral(
    open_tab, practitioner
):
    visit = open_tab()
    sign_in(visit, practitioner)
    form.heading(visit, "My referrals")
    form.start_referral(visit)

    # Nothing answered: the error summary links to the question, which gets focus.
    form.save_and_continue(visit)
    visit.assert_error_summary_links(["id_immediate_danger_1"])
    visit.follow_error_link("id_immediate_danger_1")
    form.answer_danger_no(visit)

    # Mistakes are explained next to each field and in the summary; what was typed stays.
    form.heading(visit, "Who the referral is about")
    visit.page.check("#id_subject_type_1")
    form.fill(visit, {**form.SUBJECT, "id_postcode": "NOT VALID", "id_date_of_birth_2": "2099"})
    form.save_and_continue(visit)
    visit.assert_error_summary_links(["id_date_of_birth_0", "id_sex_1", "id_postcode"])
    expect(visit.page.locator("#id_postcode")).to_have_value("NOT VALID")
    expect(visit.page.locator("#id_first_name")).to_have_value("Testa")
    expect(visit.page.locator("#id_subject_type_1")).to_be_checked()
    visit.follow_error_link("id_postcode")
    form.fill(visit, {"id_postcode": "ls1 4ap", "id_date_of_birth_2": "2012"})
    visit.page.check("#id_sex_1")
    form.save_and_continue(visit)
    form.answer_network(visit)

    # Half-way through the warning signs: save and come back later, then sign out.
    form.heading(visit, "Warning signs")
    visit.page.check("#id_answer_cl-01_1")
    visit.click(visit.button("Save and come back later"))
    form.heading(visit, "My referrals")
    expect(visit.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your draft has been saved"
    )
    sign_out(visit)

    # Signed in again, the draft is in My referrals and resumes where it was left.
    sign_in(visit, practitioner)
    form.heading(visit, "My referrals")
    drafts = visit.page.get_by_role("table", name="Your unsent drafts")
    expect(drafts).to_contain_text("TF")
    visit.click(drafts.get_by_role("link", name="Continue"))
    form.heading(visit, "Your referral")
    visit.click(visit.link("Warning signs"))
    expect(visit.page.locator("#id_answer_cl-01_1")).to_be_checked()
    form.answer_indicators(visit)
    form.answer_consent(visit)
    form.answer_concern(visit)
    form.answer_referrer(visit)

    # Check answers shows what was entered, corrected values included.
    form.heading(visit, "Check your answers before sending your referral")
    main = visit.page.locator("main")
    expect(main).to_contain_text("Testa Fictional")
    expect(main).to_contain_text("LS1 4AP")
    expect(main).to_contain_text("14 March 2012")
    for answer in ("Out until 2am twice", "Invented Olderperson"):
        # The warning signs and the people must be on the page before sending, too.
        expect(main, f"check answers does not show {answer!r}").to_contain_text(answer)
    reference = form.send_from_check_answers(visit)

    referral = Referral.objects.get(reference=reference)
    assert referral.author == practitioner and not referral.is_draft
    assert referral.postcode == "LS1 4AP"
    assert {a.indicator.code: a.answer for a in referral.answers.all()} == {
        "cl-01": "yes",
        "cl-06": "no",
    }

    visit.click(visit.link("My referrals").last)
    sent = visit.page.get_by_role("table", name="Referrals you have sent")
    expect(sent).to_contain_text(reference)
    expect(sent).to_contain_text("Awaiting decision")
    expect(visit.page.get_by_role("table", name="Your unsent drafts")).to_have_count(0)
