"""Filling the practitioner's referral form in the browser, section by section, with the
mouse (the keyboard-only journey has its own steps in test_keyboard_only.py)."""

from playwright.sync_api import expect

from tests.e2e.portal import Visit

SUBJECT = {
    "id_first_name": "Testa",
    "id_last_name": "Fictional",
    "id_known_as": "TF",
    "id_date_of_birth_0": "14",
    "id_date_of_birth_1": "3",
    "id_date_of_birth_2": "2012",
    "id_address_line_1": "12 Imaginary Road",
    "id_town": "Testtown",
    "id_postcode": "LS1 4AP",
    "id_school_or_placement": "Testshire High School",
}
PERSON = {
    "id_people-0-name": "Invented Olderperson",
    "id_people-0-nickname": "Madeup",
    "id_people-0-phone": "07700 900123",
    "id_people-0-vehicle_registration": "AB12 CDE",
}
CONCERN = "Seen getting into unknown cars after school."
REFERRER = {
    "id_referrer_role": "Safeguarding lead",
    "id_referrer_phone": "01632 960001",
}


# The first section is one question, whose legend is the page's heading.
DANGER_QUESTION = "Is anyone in immediate danger right now?"


def fill(visit: Visit, values: dict) -> None:
    for element_id, value in values.items():
        visit.page.fill(f"#{element_id}", value)


def save_and_continue(visit: Visit) -> Visit:
    return visit.click(visit.button("Save and continue"))


def heading(visit: Visit, text: str) -> None:
    expect(visit.page.locator("h1")).to_have_text(text)


def start_referral(visit: Visit) -> None:
    visit.goto("/referrals/new/")
    heading(visit, "Make a county lines referral")
    visit.click(visit.button("Start now"))
    heading(visit, DANGER_QUESTION)


def answer_danger_no(visit: Visit) -> None:
    visit.page.check("#id_immediate_danger_2")
    save_and_continue(visit)


def answer_subject(visit: Visit) -> None:
    heading(visit, "Who the referral is about")
    visit.page.check("#id_subject_type_1")  # a child
    fill(visit, SUBJECT)
    visit.page.check("#id_sex_1")
    save_and_continue(visit)


def answer_network(visit: Visit) -> None:
    heading(visit, "Household and network")
    visit.page.select_option("#id_people-0-role", "suspected_exploiter")
    fill(visit, PERSON)
    save_and_continue(visit)


def answer_indicators(visit: Visit) -> None:
    heading(visit, "Warning signs")
    visit.page.check("#id_answer_cl-01_1")  # Yes
    visit.page.get_by_text("Add detail", exact=False).first.click()
    visit.page.fill("#id_detail_cl-01", "Out until 2am twice")
    visit.page.check("#id_answer_cl-06_2")  # No
    save_and_continue(visit)


def answer_consent(visit: Visit) -> None:
    heading(visit, "Consent and information sharing")
    visit.page.check("#id_family_told_1")
    visit.page.check("#id_consent_given_1")
    save_and_continue(visit)


def answer_concern(visit: Visit) -> None:
    heading(visit, "Your concern")
    visit.page.fill("#id_concern", CONCERN)
    visit.page.check("#id_first_hand_1")
    save_and_continue(visit)


def answer_referrer(visit: Visit) -> None:
    heading(visit, "About you")
    fill(visit, REFERRER)
    save_and_continue(visit)


def send_from_check_answers(visit: Visit) -> str:
    """Send the referral from the check-answers page; returns its reference."""
    heading(visit, "Check your answers before sending your referral")
    visit.click(visit.button("Send referral"))
    expect(visit.page.locator("h1")).to_have_text("Referral sent")
    return visit.page.locator(".govuk-panel__body strong").inner_text().strip()
