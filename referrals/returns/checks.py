"""The census's rules for the fields the returns carry, checked before a return is
downloaded. A row that breaks a rule is listed with the rule, never dropped: the intake
team corrects the contact (or knows why it is so) before the return goes to the DfE.

The rules follow the DfE's Children in Need census validation rules as implemented by
the open-source validator (data-to-insight/csc-validator-be-cin); the codes are those
rules' numbers where one applies."""

import datetime as dt
from dataclasses import dataclass

from referrals import codes


@dataclass(frozen=True)
class Violation:
    reference: str
    rule: str
    message: str


def referral_violations(row: dict, *, period_end: dt.date) -> list[Violation]:
    """The rules that apply to one CIN referral row (List 3 and the census fields)."""
    reference = row["reference"]
    found = []
    referral_date = row["referral_date"]
    if referral_date is None:
        found.append(Violation(reference, "8600", "The referral date is missing."))
    elif referral_date > period_end:
        found.append(
            Violation(reference, "8600", "The referral date is after the end of the period.")
        )
    if row["source_code"] not in codes.SOURCE_OF_REFERRAL:
        # Rule 8866: on or after 1 April 2013 the source must be present and a valid code.
        found.append(
            Violation(reference, "8866", "Source of referral is missing or an invalid code.")
        )
    if row["nfa"] is None:
        found.append(Violation(reference, "NFA", "The referral's NFA flag is not recorded."))
    found += factor_violations(reference, row["factors"])
    dob = row["date_of_birth"]
    if dob and referral_date and referral_date < dob:
        found.append(Violation(reference, "DOB", "The referral date is before the date of birth."))
    return found


def factor_violations(reference: str, factors: list[str]) -> list[Violation]:
    # Rule 8869 ("21", no factors identified, stands alone) and unknown codes: the same
    # check the triage form applies (referrals.codes.factors_error).
    error = codes.factors_error(factors)
    rule = "8869" if codes.NO_FACTORS in factors and not error.startswith("Unknown") else "FACTORS"
    return [Violation(reference, rule, error + ".")] if error else []


def contact_violations(row: dict) -> list[Violation]:
    """The rules that apply to one contact row (List 1)."""
    found = []
    if row["source_code"] not in codes.SOURCE_OF_REFERRAL:
        found.append(
            Violation(row["reference"], "8866", "The contact's source is missing or invalid.")
        )
    if not row["outcome"]:
        found.append(Violation(row["reference"], "OUTCOME", "No contact outcome is recorded."))
    if row["ethnicity_code"] and row["ethnicity_code"] not in codes.ETHNICITY:
        found.append(Violation(row["reference"], "ETHNICITY", "The ethnicity code is invalid."))
    return found
