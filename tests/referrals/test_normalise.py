import pytest

from referrals import normalise


@pytest.mark.parametrize(
    "raw", ["07700 900123", "+44 7700 900123", "447700900123", "(07700) 900-123"]
)
def test_phone_numbers_in_different_formats_normalise_to_one_value(raw):
    assert normalise.phone_e164(raw) == "+447700900123"


@pytest.mark.parametrize("raw", ["12345", "999", "call me", "123456789012345"])
def test_impossible_phone_numbers_are_refused_with_a_message(raw):
    with pytest.raises(normalise.InvalidValue, match="phone number"):
        normalise.phone_e164(raw)


@pytest.mark.parametrize("raw", ["ls14ap", " LS1  4AP ", "Ls1 4ap"])
def test_postcodes_normalise_to_upper_case_with_one_space(raw):
    assert normalise.postcode(raw) == "LS1 4AP"


def test_an_invalid_postcode_is_refused():
    with pytest.raises(normalise.InvalidValue):
        normalise.postcode("12345")


def test_names_fold_case_accents_hyphens_and_apostrophes():
    assert normalise.match_name("Zoë", "O'Neil-Smith") == normalise.match_name("ZOE", "oneil smith")
