"""The front-door panel on the referral page (triage): whether the contact is about a
known child, and whether it may be another council's child, with the prompt to record
the home council. Keys start with `areas_`."""

from django.conf import settings
from django.urls import reverse

from referrals.models import AnswerChoice, Referral
from referrals.models.councils import covers
from referrals.permissions import Action, can

# The warning sign "Being found in areas away from home" (indicators.catalogue_seed);
# its code is kept across catalogue versions.
FOUND_AWAY_FROM_HOME = "cl-02"


def out_of_area_reasons(referral: Referral) -> list[str]:
    """Why the contact may be about another council's child. Reads the answers the page
    has already loaded (answers.load_details): no query."""
    reasons = [
        f"The referrer answered Yes to \N{LEFT DOUBLE QUOTATION MARK}{answer.indicator.wording}"
        "\N{RIGHT DOUBLE QUOTATION MARK}."
        for answer in referral.answers.all()
        if answer.indicator.code == FOUND_AWAY_FROM_HOME and answer.answer == AnswerChoice.YES
    ]
    home = settings.HOME_POSTCODE_AREAS
    if referral.postcode and home and not covers(home, referral.postcode):
        reasons.append(f"The home postcode {referral.postcode} is outside this council's area.")
    return reasons


def areas_panel_context(request, referral: Referral) -> dict:
    if not can(request.user, Action.TRIAGE, referral):
        return {}
    known_from = referral.known_from if referral.known_from_id else None
    return {
        "areas_known_from": known_from.reference if known_from else "",
        "areas_reasons": out_of_area_reasons(referral),
        "areas_home_council": referral.home_council if referral.home_council_id else None,
        "areas_home_council_url": reverse("referral_home_council", args=[referral.reference]),
    }
