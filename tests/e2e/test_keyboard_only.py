"""Journey 5: journey 1 with the keyboard alone (Tab, Shift+Tab, arrows, Space, Enter and
typing; no mouse, no scripted filling), with the focus visible after every key press."""

from playwright.sync_api import expect

from referrals.models import Referral
from tests.e2e import referral_form as form
from tests.e2e.portal import E2E, Keyboard, Visit
from tests.factories import TEST_PASSWORD

pytestmark = E2E


def sign_in_by_keyboard(visit: Visit, keys: Keyboard, user) -> None:
    visit.goto("/accounts/login/")
    first = keys.tab()
    assert first["text"] == "Skip to main content", first
    keys.type_into("id_username", user.email)
    keys.type_into("id_password", TEST_PASSWORD)
    keys.activate("Sign in")
    form.heading(visit, "My referrals")


def fill_by_keyboard(keys: Keyboard, values: dict) -> None:
    """Fields in page order, Tab from one to the next."""
    for element_id, value in values.items():
        keys.type_into(element_id, value)


def test_a_practitioner_makes_a_referral_with_the_keyboard_alone_and_always_sees_the_focus(
    open_tab, practitioner
):
    visit = open_tab()
    keys = Keyboard(visit)
    sign_in_by_keyboard(visit, keys, practitioner)
    keys.activate("Make a new referral")
    form.heading(visit, form.DANGER_QUESTION)

    # Sending the section unanswered, then following the error summary to the question.
    keys.activate("Save and continue")
    visit.assert_error_summary_links(["id_immediate_danger_1"])
    link = keys.tab_to(lambda i: i["tag"] == "a" and "immediate danger" in i["text"], "error link")
    assert link["text"].startswith("Select yes if anyone is in immediate danger")
    visit.page.keyboard.press("Enter")
    assert keys.focused()["id"] == "id_immediate_danger_1"
    visit.page.keyboard.press("ArrowDown")  # from "Yes" to "No", which selects it
    info = keys.focused()
    assert info["id"] == "id_immediate_danger_2" and info["visible"], info
    keys.activate("Save and continue")

    form.heading(visit, "Who the referral is about")
    keys.choose("subject_type", "child")
    fill_by_keyboard(
        keys,
        {
            "id_first_name": "Testa",
            "id_last_name": "Fictional",
            "id_known_as": "TF",
            "id_date_of_birth_0": "14",
            "id_date_of_birth_1": "3",
            "id_date_of_birth_2": "2012",
        },
    )
    keys.choose("sex", "Female")
    fill_by_keyboard(
        keys,
        {
            "id_address_line_1": "12 Imaginary Road",
            "id_town": "Testtown",
            "id_postcode": "LS1 4AP",
            "id_school_or_placement": "Testshire High School",
        },
    )
    keys.activate("Save and continue")

    form.heading(visit, "Household and network")
    keys.to_id("id_people-0-role")
    visit.page.keyboard.type("Suspected")  # a select's type-ahead picks the option
    expect(visit.page.locator("#id_people-0-role")).to_have_value("suspected_exploiter")
    fill_by_keyboard(keys, {"id_people-0-name": "Invented Olderperson"})
    keys.activate("Save and continue")

    # Half-way: save, come back later, sign out, all by keyboard.
    form.heading(visit, "Warning signs")
    keys.choose("answer_cl-01", "yes")
    keys.activate("Save and come back later")
    form.heading(visit, "My referrals")
    keys.activate("Sign out")
    form.heading(visit, "Sign in")

    sign_in_by_keyboard(visit, keys, practitioner)
    keys.tab_to(lambda i: i["tag"] == "a" and i["text"].startswith("Continue"), "Continue link")
    visit.press("Enter")
    form.heading(visit, "Your referral")
    keys.tab_to(lambda i: i["tag"] == "a" and i["text"] == "Warning signs", "Warning signs")
    visit.press("Enter")
    form.heading(visit, "Warning signs")
    expect(visit.page.locator("#id_answer_cl-01_1")).to_be_checked()

    # Open "Add detail" with Enter, type the detail; Shift+Tab back does not lose focus.
    keys.tab_to(lambda i: i["tag"] == "summary", "Add detail")
    visit.page.keyboard.press("Enter")
    keys.type_into("id_detail_cl-01", "Out until 2am twice")
    back = keys.tab(backwards=True)
    assert back["tag"] == "summary", back
    keys.choose("answer_cl-06", "no")
    keys.activate("Save and continue")

    form.heading(visit, "Consent and information sharing")
    keys.choose("family_told", "yes")
    keys.choose("consent_given", "yes")
    keys.activate("Save and continue")

    form.heading(visit, "Your concern")
    keys.type_into("id_concern", form.CONCERN)
    keys.choose("first_hand", "first")
    keys.to_id("id_other_referrals_1")
    visit.page.keyboard.press("Space")
    expect(visit.page.locator("#id_other_referrals_1")).to_be_checked()
    keys.activate("Save and continue")

    form.heading(visit, "About you")
    fill_by_keyboard(keys, {"id_referrer_role": "Safeguarding lead"})
    keys.activate("Save and continue")

    form.heading(visit, "Check your answers before sending your referral")
    keys.activate("Send referral")
    expect(visit.page.locator("h1")).to_have_text("Referral sent")
    reference = visit.page.locator(".govuk-panel__body strong").inner_text().strip()

    keys.tab_to(lambda i: i["tag"] == "a" and i["text"] == "My referrals", "My referrals")
    visit.press("Enter")
    expect(visit.page.get_by_role("table", name="Referrals you have sent")).to_contain_text(
        reference
    )
    referral = Referral.objects.get(reference=reference)
    assert referral.other_referrals == ["police"]
    assert referral.answers.get(indicator__code="cl-01").detail == "Out until 2am twice"
    assert keys.steps > 50  # the journey really was walked key by key
