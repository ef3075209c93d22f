"""Issue 16, "Forms in the GOV.UK pattern", as a person sees it in Chromium: the
approximate age as a GOV.UK text input, About you with autocomplete, immediate danger
asked as the page's heading, each "Add detail" reveal with its own question, buttons
side by side in a button group, and the decision page showing what is being decided.
Every page, and its error state, passes axe-core with no WCAG 2.2 A/AA violation of
any impact (`assert_no_axe_violations`), besides the journeys' own audit()."""

import re

from playwright.sync_api import expect

from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, Visit, enrolled_totp_device, sign_in
from tests.factories import ReferralFactory, submitted_referral
from tests.factories.triage import claimed_referral

pytestmark = E2E

PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}

BOXES_JS = """selector => [...document.querySelectorAll(selector)].map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent.trim(), top: r.top, bottom: r.bottom, left: r.left,
          right: r.right, width: r.width, height: r.height};
})"""


def boxes(visit: Visit, selector: str) -> list[dict]:
    return visit.page.evaluate(BOXES_JS, selector)


def assert_aligned(buttons: list[dict]) -> None:
    """Buttons side by side share their top and height; stacked ones their left and
    width (a phone); none is out of line with a neighbour it overlaps."""
    assert len(buttons) >= 2, buttons
    for a in buttons:
        for b in buttons:
            side_by_side = a["top"] < b["bottom"] and b["top"] < a["bottom"]
            if side_by_side:
                assert abs(a["top"] - b["top"]) < 1, (a, b)
                assert abs(a["height"] - b["height"]) < 1, (a, b)
            else:
                assert abs(a["left"] - b["left"]) < 1, (a, b)


def submit_section(visit: Visit) -> None:
    form.save_and_continue(visit)
    visit.assert_no_axe_violations()


def test_the_approximate_age_is_a_govuk_text_input(open_tab, practitioner):
    draft = ReferralFactory(author=practitioner)
    visit = sign_in(open_tab(), practitioner)
    visit.goto(f"/referrals/drafts/{draft.public_id}/subject/")
    visit.assert_no_axe_violations()
    age = visit.page.locator("#id_approximate_age")
    expect(age).to_have_attribute("type", "text")
    expect(age).to_have_attribute("inputmode", "numeric")
    expect(age).to_have_class("govuk-input govuk-input--width-3")
    box = age.bounding_box()
    assert box["height"] >= 35, box  # GOV.UK's 40 px input, not the browser's 15 px box
    assert 40 <= box["width"] <= 120, box  # 3 characters wide
    assert visit.page.evaluate(
        "() => getComputedStyle(document.querySelector('#id_approximate_age')).borderTopWidth"
    ) == ("2px")

    # A name and no age: the error state, with what was typed kept.
    for part in range(3):
        visit.page.fill(f"#id_date_of_birth_{part}", "")
    visit.page.fill("#id_approximate_age", "ten")
    submit_section(visit)
    visit.assert_error_summary_links(["id_approximate_age"])
    expect(age).to_have_value("ten")
    expect(age).to_have_class("govuk-input govuk-input--width-3 govuk-input--error")
    expect(visit.page.locator("#id_approximate_age_1_error")).to_contain_text(
        "Enter a whole number"
    )


def test_about_you_has_autocomplete_for_the_referrers_own_details(open_tab, practitioner):
    draft = ReferralFactory(author=practitioner)
    visit = sign_in(open_tab(), practitioner)
    visit.goto(f"/referrals/drafts/{draft.public_id}/referrer/")
    visit.assert_no_axe_violations()
    for field, token in {
        "referrer_name": "name",
        "referrer_role": "organization-title",
        "referrer_organisation": "organization",
        "referrer_email": "email",
        "referrer_phone": "tel",
    }.items():
        expect(visit.page.locator(f"#id_{field}")).to_have_attribute("autocomplete", token)
    for field in ["referrer_name", "referrer_role", "referrer_organisation", "referrer_email"]:
        visit.page.fill(f"#id_{field}", "")
    submit_section(visit)
    visit.assert_error_summary_links(
        ["id_referrer_name", "id_referrer_role", "id_referrer_organisation", "id_referrer_email"]
    )


def test_immediate_danger_is_asked_as_the_pages_heading(open_tab, practitioner):
    visit = sign_in(open_tab(), practitioner)
    form.start_referral(visit)  # the h1 is the question
    visit.assert_no_axe_violations()
    expect(visit.page).to_have_title(re.compile(r"^Immediate danger – "))
    heading = visit.page.locator("fieldset > legend.govuk-fieldset__legend--l > h1")
    expect(heading).to_have_text(form.DANGER_QUESTION)
    expect(heading).to_have_class("govuk-fieldset__heading")
    expect(visit.page.get_by_role("group", name=form.DANGER_QUESTION)).to_contain_text(
        "call 999 now"
    )
    assert visit.page.locator("h1").count() == 1
    size = visit.page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('legend h1')).fontSize)"
    )
    assert size >= 24, size  # the large legend, not the body text size

    submit_section(visit)
    visit.assert_error_summary_links(["id_immediate_danger_1"])
    visit.follow_error_link("id_immediate_danger_1")
    visit.page.check("#id_immediate_danger_1")  # Yes reveals the police questions
    expect(visit.page.locator("#id_police_called_1")).to_be_visible()
    visit.assert_no_axe_violations()


def test_each_add_detail_reveal_sits_with_its_own_question(open_tab, practitioner):
    draft = ReferralFactory(author=practitioner)
    draft.answers.all().delete()  # nothing answered yet
    visit = sign_in(open_tab(), practitioner)
    visit.goto(f"/referrals/drafts/{draft.public_id}/indicators/")
    visit.assert_no_axe_violations()
    groups = visit.page.locator(".govuk-form-group.app-question-reveal")
    assert groups.count() >= 2
    for i in range(2):
        group = groups.nth(i)
        expect(group.locator("fieldset").first.locator(".govuk-radios__input")).to_have_count(3)
        expect(group.locator("details.govuk-details")).to_have_count(1)
    first, second = groups.nth(0), groups.nth(1)
    radios = first.locator("fieldset").first.bounding_box()
    summary = first.locator(".govuk-details__summary").bounding_box()
    next_legend = second.locator("legend").first.bounding_box()
    to_own = summary["y"] - (radios["y"] + radios["height"])
    to_next = next_legend["y"] - (summary["y"] + summary["height"])
    assert 0 < to_own < to_next, (to_own, to_next)

    first.locator(".govuk-details__summary").click()
    expect(first.locator("textarea")).to_be_visible()
    visit.assert_no_axe_violations()
    submit_section(visit)  # nothing answered
    code = visit.page.locator(".govuk-error-summary a").first.get_attribute("href")[1:]
    visit.assert_error_summary_links([code])


def test_the_section_buttons_line_up_in_a_button_group(open_tab, practitioner):
    draft = ReferralFactory(author=practitioner)
    for context in ({}, PHONE):
        visit = sign_in(open_tab(**context), practitioner)
        visit.goto(f"/referrals/drafts/{draft.public_id}/concern/")
        buttons = boxes(visit, "form .govuk-button-group > .govuk-button")
        assert [b["text"] for b in buttons] == ["Save and continue", "Save and come back later"]
        assert_aligned(buttons)
        if not context:
            assert buttons[0]["top"] == buttons[1]["top"]  # side by side on a desktop
        else:
            assert buttons[0]["width"] == buttons[1]["width"]  # stacked, full width
        visit.assert_no_axe_violations()


def test_the_triage_panels_buttons_line_up(open_tab, triager):
    referral = submitted_referral()
    device = enrolled_totp_device(triager)
    for context in ({}, PHONE):
        visit = sign_in(open_tab(**context), triager, device=device)
        visit.goto(f"/referrals/{referral.reference}/")
        buttons = boxes(visit, "#triage > .govuk-button-group .govuk-button")
        texts = [b["text"] for b in buttons]
        assert "Claim this referral" in texts and "Add a case note" in texts, texts  # form, link
        assert_aligned(buttons)
        visit.assert_no_axe_violations()


def test_the_decision_page_shows_what_is_being_decided(open_tab, triager):
    referral = claimed_referral(triager, yes_to=["cl-01"], concern="Invented: out until 2am")
    wording = referral.answers.get(indicator__code="cl-01").indicator.wording
    visit = sign_in(open_tab(), triager, device=enrolled_totp_device(triager))
    visit.goto(f"/referrals/{referral.reference}/decide/")
    visit.assert_no_axe_violations()
    aside = visit.page.get_by_role("complementary", name="What you are deciding on")
    expect(aside.get_by_role("listitem")).to_have_text([wording])
    expect(aside).to_contain_text("Invented: out until 2am")
    outcomes = visit.page.get_by_role("group", name="Contact outcome").bounding_box()
    beside = aside.bounding_box()
    assert beside["x"] >= outcomes["x"] + outcomes["width"], (beside, outcomes)
    assert beside["y"] < outcomes["y"] + outcomes["height"], (beside, outcomes)

    visit.click(visit.button("Record decision"))
    visit.assert_error_summary_links(["id_contact_outcome_1", "id_rationale"])
    expect(aside).to_contain_text("Invented: out until 2am")
    visit.assert_no_axe_violations()
