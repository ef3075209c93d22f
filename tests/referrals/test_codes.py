"""The census code lists (referrals.codes) and their rules."""

from accounts.models import Organisation
from indicators.catalogue_seed import FIRST_CATALOGUE
from referrals import codes


def test_the_source_list_holds_the_censuss_22_codes():
    assert list(codes.SOURCE_OF_REFERRAL) == [
        "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F",
        "4", "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10",
    ]  # fmt: skip


def test_every_organisation_kind_has_a_valid_source():
    for kind in Organisation.Kind.values:
        assert codes.source_for_organisation_kind(kind) in codes.SOURCE_OF_REFERRAL
    assert codes.source_for_organisation_kind("school") == "2A"
    assert codes.source_for_organisation_kind("police") == "6"
    assert codes.source_for_organisation_kind("no such kind") == "10"


def test_no_factors_cannot_be_combined_with_another_factor():
    assert codes.factors_error(["21"]) == ""
    assert codes.factors_error(["23A", "10A"]) == ""
    assert "cannot be combined" in codes.factors_error(["21", "23A"])
    assert "Unknown" in codes.factors_error(["18A"])  # retired: 18B or 18C (rule 8945Q)


def test_none_cannot_be_combined_with_a_disability():
    assert codes.disability_error(["NONE"]) == ""
    assert "cannot be combined" in codes.disability_error(["NONE", "LD"])


def test_every_suggestion_names_a_warning_sign_and_a_factor_that_exist():
    indicator_codes = {row[0] for row in FIRST_CATALOGUE}
    for indicator, factors in codes.FACTORS_SUGGESTED_BY_INDICATOR.items():
        assert indicator in indicator_codes
        assert set(factors) <= set(codes.FACTORS) - {codes.NO_FACTORS}


def test_suggestions_come_once_each_in_census_order():
    assert codes.factors_suggested_by(["cl-10", "cl-01", "unknown"]) == [
        "10A", "11A", "12A", "23A",
    ]  # fmt: skip


def test_the_ethnicity_list_holds_the_censuss_20_codes():
    assert len(codes.ETHNICITY) == 20
    assert {"WBRI", "WIRI", "NOBT", "REFU"} <= set(codes.ETHNICITY)
