"""The referral page's SQL does not grow with what it lists: its links, the people in
it, or the entries of its access log (issue 17: the budget of the hot pages)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import normalise
from referrals.audit import audit_record
from tests.auth import sign_in
from tests.factories import UserFactory, submitted_referral

PHONE = normalise.phone_e164("07700 900123")


def _queries_for_referral_page(client, referral) -> int:
    # The second of two loads: the first writes the once-a-day "viewed" event.
    url = reverse("referral_detail", args=[referral.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more_rows(referral, n: int) -> list[str]:
    """n more referrals sharing its phone, and n more readers in its access log."""
    linked = []
    for _ in range(n):
        linked.append(submitted_referral(people=[{"phone": PHONE}]).reference)
        audit_record(action="referral.viewed", actor=UserFactory(), referral=referral)
    return linked


@pytest.mark.django_db
def test_the_referral_page_costs_the_same_number_of_queries_for_2_or_12_links(client, triager):
    referral = submitted_referral(people=[{"phone": PHONE}, {"phone": PHONE}])
    _more_rows(referral, 2)
    sign_in(client, triager)
    few = _queries_for_referral_page(client, referral)
    linked = _more_rows(referral, 10)
    many = _queries_for_referral_page(client, referral)
    page = client.get(reverse("referral_detail", args=[referral.reference])).content.decode()
    assert all(reference in page for reference in linked)  # the links are listed
    assert few == many
