"""Issue 16, "Forms in the GOV.UK pattern", as the referral form's markup shows it: the
approximate age as a GOV.UK text input for a number, the referrer's own details with
autocomplete (WCAG 1.3.5), immediate danger as a one-question page, each warning sign's
reveal inside its question's form group, and the buttons in a GOV.UK button group.
What a person sees (sizes, spacing, axe) is checked in tests/e2e/test_form_patterns.py."""

import re

import pytest

from tests.auth import sign_in
from tests.referral_journey import VALID, post_section, section_url, start_draft


@pytest.fixture
def draft(client, practitioner):
    sign_in(client, practitioner)
    return start_draft(client)


def _tag(page: str, element_id: str) -> str:
    match = re.search(rf'<(input|textarea)\b[^>]*\bid="{element_id}"[^>]*>', page, re.S)
    assert match, element_id
    return match.group(0)


def test_the_approximate_age_is_a_govuk_text_input_for_a_number(client, draft):
    page = client.get(section_url(draft, "subject")).content.decode()
    tag = _tag(page, "id_approximate_age")
    assert 'type="text"' in tag
    assert 'inputmode="numeric"' in tag
    assert 'spellcheck="false"' in tag
    assert re.search(r'class="govuk-input govuk-input--width-3"', tag), tag
    assert "min=" not in tag and "max=" not in tag


@pytest.mark.parametrize(
    "age,message",
    [("abc", "Enter a whole number."), ("121", "Enter an age between 0 and 120")],
)
def test_the_approximate_age_is_still_validated_as_a_whole_number(client, draft, age, message):
    data = {**VALID["subject"], "date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""}
    response = post_section(client, draft, "subject", {**data, "approximate_age": age})
    assert response.status_code == 400
    assert response.context["form"].errors["approximate_age"] == [message]
    tag = _tag(response.content.decode(), "id_approximate_age")
    assert "govuk-input--error" in tag
    assert f'value="{age}"' in tag


def test_about_you_tells_the_browser_what_each_field_is(client, draft):
    page = client.get(section_url(draft, "referrer")).content.decode()
    expected = {
        "id_referrer_name": "name",
        "id_referrer_role": "organization-title",
        "id_referrer_organisation": "organization",
        "id_referrer_email": "email",
        "id_referrer_phone": "tel",
    }
    for element_id, token in expected.items():
        assert f'autocomplete="{token}"' in _tag(page, element_id), element_id


def test_the_immediate_danger_question_is_the_page_heading(client, draft):
    page = client.get(section_url(draft, "danger")).content.decode()
    headings = re.findall(r"<h1\b[^>]*>(.*?)</h1>", page, re.S)
    assert [h.strip() for h in headings] == ["Is anyone in immediate danger right now?"]
    legend = re.search(r'<legend class="([^"]+)">\s*<h1 class="govuk-fieldset__heading">', page)
    assert legend and legend.group(1) == "govuk-fieldset__legend govuk-fieldset__legend--l"
    assert "<title>Immediate danger" in page
    # The warning stays with the question, before the answers.
    fieldset = page[page.index("govuk-fieldset__heading") : page.index("id_immediate_danger_1")]
    assert "call 999 now" in fieldset


def test_the_immediate_danger_page_still_names_the_missing_answer(client, draft):
    response = post_section(client, draft, "danger", {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Immediate danger" in page
    assert 'href="#id_immediate_danger_1"' in page
    assert 'id="id_immediate_danger_1_error"' in page
    described_by = re.search(r'<fieldset class="govuk-fieldset" aria-describedby="([^"]*)"', page)
    assert described_by.group(1).split() == ["id_immediate_danger_1_error"]


def test_each_warning_signs_reveal_is_inside_its_questions_form_group(client, draft):
    page = client.get(section_url(draft, "indicators")).content.decode()
    groups = re.findall(
        r'<div class="govuk-form-group app-question-reveal">(.*?)</details>', page, re.S
    )
    assert groups
    for group in groups:
        code = re.search(r'name="answer_([\w-]+)"', group).group(1)
        assert 'class="govuk-details' in group
        assert f'id="id_detail_{code}"' in group
        assert group.index(f'name="answer_{code}"') < group.index("govuk-details__summary")
        assert len(re.findall(r'name="answer_', group)) == 3  # its own Yes / No / Not known


@pytest.mark.parametrize("section", ["danger", "subject", "indicators", "consent", "referrer"])
def test_the_section_buttons_are_in_a_button_group(client, draft, section):
    page = client.get(section_url(draft, section)).content.decode()
    group = re.search(r'<div\s+class="govuk-button-group"\s*>(.*?)</div>', page, re.S)
    assert group, section
    names = re.findall(r'<button name="(\w+)"', group.group(1))
    assert names == ["continue", "later"]
