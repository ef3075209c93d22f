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


@pytest.mark.parametrize(
    ("written", "without_special_letters"),
    [
        ("Łukasz Żółkiewski", "Lukasz Zolkiewski"),  # Polish
        ("Søren Kierkegård", "Soren Kierkegard"),  # Danish
        ("Ærøskøbing Æsop", "Aeroskobing Aesop"),  # Danish
        ("Bjørn Østergaard", "Bjorn Ostergaard"),  # Norwegian
        ("Þórunn Guðmundsdóttir", "Thorunn Gudmundsdottir"),  # Icelandic
        ("Hallgrímur Þórðarson", "Hallgrimur Thordarson"),  # Icelandic
        ("Jürgen Großmann", "Jurgen Grossmann"),  # German
        ("Đặng Thị Ngọc Thịnh", "Dang Thi Ngoc Thinh"),  # Vietnamese
        ("Nguyễn Văn Đức", "Nguyen Van Duc"),  # Vietnamese
        ("Işıl Yıldırım", "Isil Yildirim"),  # Turkish
        ("İlkay Gündoğan", "Ilkay Gundogan"),  # Turkish
        ("Siobhán Ó Séaghdha", "Siobhan O Seaghdha"),  # Irish
        ("Œdipe Cœur", "Oedipe Coeur"),  # French
    ],
)
def test_letters_without_an_ascii_decomposition_fold_to_how_they_are_written_in_ascii(
    written, without_special_letters
):
    assert normalise.fold(written) == normalise.fold(without_special_letters)
    assert normalise.fold(written).isascii() and len(normalise.fold(written)) >= len(
        normalise.fold(without_special_letters)
    )
