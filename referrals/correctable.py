"""What triage may correct on a submitted contact and a decision, and how a correction's
values are stored and shown (the correction journey, the referral page and the PDF all
read them here).

A correction never edits in place in the sense that matters: the referral row carries
the effective value, so that the queue, the links and every export use it, and each
change is a Correction row (append-only) whose previous value is what it replaced; the
first correction of a field holds what was originally said."""

import datetime as dt

from django.utils import formats, timezone

from referrals.models import ContactOutcome, Correction, Referral

NOT_GIVEN = "Not given"

# Contact fields triage may correct: who it is about and where they live.
CONTACT_FIELDS = {
    "first_name": "First name",
    "last_name": "Last name",
    "known_as": "Also known as",
    "date_of_birth": "Date of birth",
    "approximate_age": "Approximate age",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "first_language": "First language",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "town": "Town or city",
    "postcode": "Postcode",
    "school_or_placement": "School, college or placement",
}
DECISION_FIELDS = {
    "contact_outcome": "Contact outcome",
    "decision_rationale": "Reasons for the decision",
}
# A correction of these re-indexes the referral's link keys (the same person, the address).
LINKED_FIELDS = {
    "first_name",
    "last_name",
    "known_as",
    "date_of_birth",
    "address_line_1",
    "postcode",
}


def label(field: str) -> str:
    return CONTACT_FIELDS.get(field) or DECISION_FIELDS.get(field) or field


def stored(value) -> str:
    """A field's value as a correction keeps it: dates in ISO form, blanks as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def shown(field: str, value: str) -> str:
    """A stored value as people read it."""
    if value == "":
        return NOT_GIVEN
    if field == "date_of_birth":
        return formats.date_format(dt.date.fromisoformat(value), "j F Y")
    if field == "contact_outcome":
        return ContactOutcome(value).label if value in ContactOutcome.values else value
    return value


def correction_rows(referral: Referral) -> list[dict]:
    """Every correction of the referral, oldest first, as the page and the PDF show it."""
    return [
        {
            "target": c.get_target_display(),
            "field": label(c.field),
            "previous": shown(c.field, c.previous_value),
            "corrected": shown(c.field, c.corrected_value),
            "reason": c.reason,
            "author": c.author.full_name or c.author.email,
            "at": timezone.localtime(c.created_at),
        }
        for c in Correction.objects.filter(referral=referral).select_related("author")
    ]
