"""The triage panel's assign and rating forms are served from a cache of their rendered
HTML (issue 17): neither depends on the viewer, so the referral page builds them once a
minute, not on every view. What each shows must still be right for the referral."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from referrals.triage import services as triage
from referrals.triage.forms import FORM_CACHE_SECONDS
from tests.auth import sign_in
from tests.factories import UserFactory, submitted_referral

pytestmark = pytest.mark.django_db


def _page(client, referral) -> str:
    response = client.get(reverse("referral_detail", args=[referral.reference]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_rating_form_asks_for_a_first_rating_or_a_change_whichever_was_cached_first(
    client, triager
):
    unrated, rated, also_unrated = (submitted_referral() for _ in range(3))
    triage.referral_rate(referral=rated, user=triager, rating="amber", rationale="Three signs.")
    sign_in(client, triager)
    first = _page(client, unrated)
    assert f'action="/referrals/{unrated.reference}/rate/"' in first
    assert "Change the RAG rating" not in first
    assert "Change the RAG rating" in _page(client, rated)
    assert "Why you are changing the rating" in _page(client, rated)
    again = _page(client, also_unrated)
    assert "Change the RAG rating" not in again
    assert "Why you chose this rating" in again
    assert f'action="/referrals/{also_unrated.reference}/rate/"' in again


def test_the_triage_workers_to_assign_to_are_read_once_a_minute_not_on_every_view(
    client, triager, social_care
):
    referral, other = submitted_referral(), submitted_referral()
    sign_in(client, triager)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert "Tara Testtriage" in _page(client, referral)
    UserFactory(full_name="Ødön Łaszlo-Newstarter", organisation=social_care, roles=[Role.TRIAGE])
    with (
        time_machine.travel(start + dt.timedelta(seconds=5), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        page = _page(client, other)
    assert "Ødön Łaszlo-Newstarter" not in page
    assert f'action="/referrals/{other.reference}/assign/"' in page
    assert not [
        q
        for q in queries.captured_queries
        if "accounts_user_groups" in q["sql"] and "DISTINCT" in q["sql"]
    ]
    later = start + dt.timedelta(seconds=FORM_CACHE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        assert "Ødön Łaszlo-Newstarter" in _page(client, other)
