"""Issue 18: the practitioner's "who it is about" asks the NHS number (checked by its
modulus 11 check digit), the census ethnicity and disability codes, beside the words."""

import pytest

from referrals import normalise
from tests.auth import sign_in
from tests.referral_journey import VALID, post_section, start_draft


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in(client, practitioner)


@pytest.mark.parametrize("typed", ["943 476 5919", "943-476-5919", " 9434765919 ", "943 4765 919"])
def test_a_valid_nhs_number_is_kept_as_ten_digits_however_it_is_typed(typed):
    assert normalise.nhs_number(typed) == "9434765919"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("943 476 5918", "its last digit does not match"),  # wrong check digit
        ("943 476 591", "10 digits"),  # too short
        ("943 476 59190", "10 digits"),  # too long
        ("943 476 591X", "10 digits"),
        ("123 456 7890", "its last digit does not match"),  # remainder 1: check 10, never valid
    ],
)
def test_an_nhs_number_that_cannot_be_right_is_refused_with_a_message(typed, message):
    with pytest.raises(normalise.InvalidValue, match=message):
        normalise.nhs_number(typed)


def test_a_blank_nhs_number_is_allowed():
    assert normalise.nhs_number("  ") == ""


@pytest.mark.django_db
def test_the_subject_section_stores_the_nhs_number_and_the_census_codes(signed_in):
    draft = start_draft(signed_in)
    data = {
        **VALID["subject"],
        "nhs_number": "943 476 5919",
        "ethnicity_code": "WROM",
        "ethnicity": "Romani, says Zoë",
        "disability_codes": ["LD", "COMM"],
        "disability": "Dyslexia; needs things read aloud",
    }
    response = post_section(signed_in, draft, "subject", data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.nhs_number == "9434765919"
    assert draft.ethnicity_code == "WROM"
    assert draft.ethnicity == "Romani, says Zoë"
    assert draft.disability_codes == ["LD", "COMM"]


@pytest.mark.django_db
def test_a_wrong_nhs_number_gets_a_message_on_the_form_and_keeps_what_was_typed(signed_in):
    draft = start_draft(signed_in)
    data = {**VALID["subject"], "nhs_number": "943 476 5918", "ethnicity": "Łukasz's words"}
    response = post_section(signed_in, draft, "subject", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("Check the NHS number: its last digit does not match the others") == 2
    assert 'value="943 476 5918"' in page
    draft.refresh_from_db()
    assert draft.nhs_number == ""


@pytest.mark.django_db
def test_none_and_a_disability_together_are_refused(signed_in):
    draft = start_draft(signed_in)
    data = {**VALID["subject"], "disability_codes": ["NONE", "HEAR"]}
    response = post_section(signed_in, draft, "subject", data)
    assert response.status_code == 400
    assert "“None” cannot be combined with a disability" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_ethnicity_code_is_refused(signed_in):
    draft = start_draft(signed_in)
    response = post_section(
        signed_in, draft, "subject", {**VALID["subject"], "ethnicity_code": "XXXX"}
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.ethnicity_code == ""
