"""The monthly summary gains partner response times per agency: requests sent, answered,
the share answered on time and the median hours to an answer, in the figures and the
PDF (read back with pdftotext)."""

import datetime as dt

import pytest

from accounts.models import Role
from referrals.exports import figures as summary_figures
from referrals.exports import services as exports
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.exports import flat, london, pdf_text
from tests.factories.partners import answered_request, sent_request
from tests.factories.triage import claimed_referral

OCTOBER = dt.date(2026, 10, 1)
MONDAY = london(2026, 10, 5, 9, 0)


def _requests(triager, practitioner, partner):
    health = OrganisationFactory(name="Testshire Health Ørsted", kind="health")
    nurse = UserFactory(email="hana.health@example.org", organisation=health, roles=[Role.PARTNER])
    referral = claimed_referral(triager, author=practitioner)
    due = MONDAY + dt.timedelta(hours=8)
    # Police: answered after 2 hours and after 6 hours (both on time), one after 10 (late).
    for hours in (2, 6, 10):
        info = sent_request(referral, triager, partner.organisation, due_at=due, now=MONDAY)
        answered_request(info, partner, now=MONDAY + dt.timedelta(hours=hours))
    # Health: one never answered.
    sent_request(referral, triager, health, due_at=due, now=MONDAY)
    return health, nurse


@pytest.mark.django_db
def test_partner_response_times_per_agency_are_in_the_figures_and_the_pdf(
    triager, practitioner, partner, settings
):
    settings.SUPPRESS_SMALL_COUNTS = False
    _requests(triager, practitioner, partner)
    figures = summary_figures.monthly_figures(OCTOBER, now=london(2026, 11, 1, 9, 0))
    assert figures["partner_responses"] == [
        {
            "agency": "Testshire Health Ørsted",
            "asked": 1,
            "answered": 0,
            "on_time": 0,
            "median_hours": None,
        },
        {
            "agency": "Testshire Police",
            "asked": 3,
            "answered": 3,
            "on_time": 2,
            "median_hours": 6.0,
        },
    ]

    summary = exports.summary_request(month=OCTOBER, queue=False)
    summary = exports.summary_generate(summary_id=summary.pk)
    text = flat(pdf_text(summary.pdf.open("rb").read()))
    assert "Partner response times" in text
    assert "Testshire Police: share answered on time 67%" in text
    assert "Testshire Police: median time to answer 6 hours" in text
    assert "Testshire Health Ørsted: median time to answer no answers" in text
