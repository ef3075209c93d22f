"""The referral page reads the referral once and costs the same number of queries
however many answers, people, links, events and exports it has (issue 9)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals import normalise
from tests.auth import sign_in
from tests.factories import submitted_referral

PHONE = normalise.phone_e164("07700 900123")


def _queries_for_referral_page(client, referral) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("referral_detail", args=[referral.reference]))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def _referral_selects(sql: list[str]) -> list[str]:
    return [q for q in sql if q.startswith("SELECT") and 'FROM "referrals_referral"' in q]


@pytest.mark.django_db
def test_a_triage_worker_s_referral_page_costs_the_same_queries_with_one_or_many_links(
    client, triager
):
    sign_in(client, triager)
    referral = submitted_referral(people=[{"phone": PHONE}])
    client.get(reverse("referral_detail", args=[referral.reference]))  # the sitting's "viewed"
    few = _queries_for_referral_page(client, referral)
    for _ in range(5):
        submitted_referral(people=[{"phone": PHONE}])
    many = _queries_for_referral_page(client, referral)
    assert len(few) == len(many)
    # h19b: +2, the agencies a request may go to and the information-sharing log;
    # issue 20: +1, the person record's panel looks up the subject's record;
    # issue 21: +1, the attachments panel reads the referral's files in one query.
    assert len(many) <= 21, many


@pytest.mark.django_db
def test_the_referral_page_reads_the_referral_row_once(client, triager, practitioner):
    referral = submitted_referral(author=practitioner, people=[{"phone": PHONE}])
    for user in (triager, practitioner):
        client.logout()
        sign_in(client, user)
        sql = _queries_for_referral_page(client, referral)
        # The referral itself once; links and repeats are separate look-ups of others.
        assert len([q for q in _referral_selects(sql) if "LIMIT 21" in q]) == 1, sql
